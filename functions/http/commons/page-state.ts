import type { Context, MiddlewareHandler } from "hono";
import { chooseLang, type Lang } from "#functions/http/i18n/lang.ts";
import type { Principal } from "#shared/principal.ts";

/** What every page is drawn with: the reader's language, its messages, and its own path (with query). */
export interface Page<M> {
  lang: Lang;
  m: M;
  /** For the language switch. */
  path: string;
}

/** A staff page also shows who is signed in. */
export interface StaffPage<M> extends Page<M> {
  user: Principal;
}

export type PageEnv<M> = { Variables: { page: Page<M> } };
export type StaffPageEnv<M> = { Variables: { principal: Principal; page: StaffPage<M> } };

/** The page state of this request (`chooseLang` remembers a `?lang=` in a cookie). */
export function pageOf<M>(c: Context, messagesOf: (lang: Lang) => M): Page<M> {
  const lang = chooseLang(c);
  const url = new URL(c.req.url);
  return { lang, m: messagesOf(lang), path: url.pathname + url.search };
}

/** Sets `c.var.page` once for the pages it guards, instead of in every handler. */
export function pageState<M>(messagesOf: (lang: Lang) => M): MiddlewareHandler<PageEnv<M>> {
  return async (c, next) => {
    c.set("page", pageOf(c, messagesOf));
    await next();
  };
}

/** The same for staff pages, after authentication has set `principal`. */
export function staffPageState<M>(messagesOf: (lang: Lang) => M): MiddlewareHandler<StaffPageEnv<M>> {
  return async (c, next) => {
    c.set("page", { ...pageOf(c, messagesOf), user: c.var.principal });
    await next();
  };
}

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { CommonMessages } from "#functions/http/i18n/common-messages.ts";
import type { Lang } from "#functions/http/i18n/lang.ts";

export const STYLESHEET_PATH = "/assets/app.css";

/** Standards mode: JSX renders no doctype, and without one browsers lay the page out in quirks mode. */
export const DOCTYPE = raw("<!DOCTYPE html>");

/** The page frame every public and staff page shares: language switch, skip link, landmarks. */
export function Layout(props: {
  lang: Lang;
  m: CommonMessages;
  title: string;
  /** Path (with query) of this page, for the language switch. */
  path: string;
  /** Staff pages: who is signed in (shows the inbox link, for admins the admin link, and sign-out). */
  user?: { name: string; role: string };
  /** Tables and side-by-side panels: header, main and footer all take the wider measure, aligned. */
  wide?: boolean;
  /** Public pages: the accessibility statement the footer links (ACCESSIBILITY_STATEMENT_URL). */
  accessibilityUrl?: string | undefined;
  children: Child;
}) {
  const other = props.m.otherLangCode;
  return (
    <>
      {DOCTYPE}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} – ${props.m.siteName}`}</title>
          <link rel="stylesheet" href={STYLESHEET_PATH} />
        </head>
        <body class={props.wide ? "wide" : undefined}>
          <a class="skip" href="#main">
            {props.m.skip}
          </a>
          <header class="site">
            <div class="wrap">
              <a class="brand" href="/">
                {props.m.siteName}
              </a>
              <span class="tagline">{props.m.tagline}</span>
              {props.user && (
                <nav class="staff" aria-label={props.m.staffTitle}>
                  <a href="/inbox">{props.m.inboxTitle}</a>
                  {props.user.role === "admin" && <a href="/admin">{props.m.adminLink}</a>}
                  <span>{props.user.name}</span>
                  <form method="post" action="/signout" class="inline-form">
                    <button type="submit" class="link">
                      {props.m.signOut}
                    </button>
                  </form>
                </nav>
              )}
              <a class="lang" href={withLang(props.path, other)} hreflang={other} lang={other}>
                {props.m.otherLang}
              </a>
            </div>
          </header>
          <main id="main" class={props.wide ? "wrap wide" : "wrap"}>
            {props.children}
          </main>
          <footer class="site">
            <div class="wrap">
              <p>{props.m.privacy}</p>
              <p>
                <a href="/api/docs">{props.m.apiDocs}</a>
              </p>
              {props.accessibilityUrl && (
                <p>
                  <a href={props.accessibilityUrl}>{props.m.accessibility}</a>
                </p>
              )}
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

/** The same page in another language: the path with its `lang` query parameter set. */
export function withLang(path: string, lang: string): string {
  const url = new URL(path, "http://x");
  url.searchParams.set("lang", lang);
  return url.pathname + url.search;
}

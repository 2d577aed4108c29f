import { type Context, Hono } from "hono";
import { formBody } from "#functions/http/commons/form-body.ts";
import { Layout } from "#functions/http/commons/layout.tsx";
import { pageOf } from "#functions/http/commons/page-state.ts";
import { publicMessages } from "#functions/http/i18n/public-messages.ts";
import { REFERENCE_PATTERN } from "#shared/cases/ids.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import { ratingSignatureMatches } from "#shared/conversation/case-links.ts";
import { rateCase } from "#shared/conversation/outcome.ts";
import { AppError } from "#shared/errors.ts";

export interface RatingDeps {
  cases: CaseStore;
  now: () => string;
  caseLinkSecret?: () => Promise<string | undefined>;
}

/**
 * `/rate/:reference?score=&sig=`: the closing e-mail's rating link. Opening it shows the score
 * chosen and a comment field (a GET records nothing: mail scanners open links); the post records
 * the rating, once per case, and says thank you.
 */
export function ratingRoutes(deps: RatingDeps) {
  const app = new Hono();
  const valid = async (reference: string, sig: string) => {
    const secret = await deps.caseLinkSecret?.();
    return Boolean(
      secret && REFERENCE_PATTERN.test(reference) && ratingSignatureMatches(secret, reference, sig),
    );
  };
  const page = (c: Context, body: unknown, status: 200 | 400 | 409 = 200) => {
    const p = pageOf(c, publicMessages);
    return c.html(
      <Layout lang={p.lang} m={p.m} title={p.m.rateTitle} path={p.path}>
        {body as never}
      </Layout>,
      status,
    );
  };

  app.get("/:reference", async (c) => {
    const reference = c.req.param("reference");
    const sig = c.req.query("sig") ?? "";
    if (!(await valid(reference, sig))) return c.notFound();
    const { m, lang } = pageOf(c, publicMessages);
    const chosen = c.req.query("score") ?? "";
    if (c.req.query("done") === "1")
      return page(
        c,
        <p class="confirmation" role="status">
          {m.rateThanks}
        </p>,
      );
    return page(
      c,
      <>
        <h1>{m.rateTitle}</h1>
        <form method="post" action={`/rate/${reference}?lang=${lang}`}>
          <input type="hidden" name="sig" value={sig} />
          <fieldset>
            <legend>{m.rateScore}</legend>
            {["1", "2", "3", "4", "5"].map((s) => (
              <label class="choice">
                <input type="radio" name="score" value={s} checked={s === chosen} required /> {s}
              </label>
            ))}
          </fieldset>
          <label for="rate-comment">
            {m.rateComment} <span class="optional">({m.optional})</span>
          </label>
          <textarea id="rate-comment" name="comment" rows={3} maxlength={1000} />
          <button type="submit">{m.rateSend}</button>
        </form>
      </>,
    );
  });

  app.post("/:reference", async (c) => {
    const reference = c.req.param("reference");
    const form = await formBody(c);
    const sig = typeof form.sig === "string" ? form.sig : "";
    if (!(await valid(reference, sig))) return c.notFound();
    const { m, lang } = pageOf(c, publicMessages);
    try {
      await rateCase(deps, reference, sig, {
        score: form.score,
        ...(form.comment ? { comment: form.comment } : {}),
      });
    } catch (err) {
      if (err instanceof AppError && err.code === "conflict")
        return page(
          c,
          <p class="notice" role="status">
            {m.rateAlready}
          </p>,
          409,
        );
      if (err instanceof AppError && err.code === "validation_failed")
        return c.redirect(`/rate/${reference}?sig=${encodeURIComponent(sig)}&lang=${lang}`, 303);
      throw err;
    }
    return c.redirect(`/rate/${reference}?sig=${encodeURIComponent(sig)}&lang=${lang}&done=1`, 303);
  });
  return app;
}

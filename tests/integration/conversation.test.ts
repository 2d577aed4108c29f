import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseRecord } from "#shared/cases/model.ts";
import { verifyReplyAddress } from "#shared/conversation/case-links.ts";
import { COMPANY_MESSAGES_PER_HOUR } from "#shared/conversation/messages.ts";
import { readOutbox, startTestService, submitAndDeliver, waitFor } from "#tests/support/local.ts";

/**
 * The conversation on the embedded stack: a consultant writes to the company (API and form), the
 * e-mail lands in the outbox with the status link and a signed reply address, the company answers
 * on its status page, the case shows "new reply" in the inbox until a consultant opens it.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
let consultant: string;

beforeAll(async () => {
  svc = await startTestService();
  consultant = await svc.issueToken({
    sub: "u-bornholm",
    name: "Karen Konsulent",
    role: "consultant",
    consortiumId: "rar-bornholm",
  });
});
afterAll(async () => {
  await svc?.stop();
});

const outbox = () => readOutbox(svc);

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${svc.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${consultant}`, "content-type": "application/json", ...init.headers },
  });

const statusLinkIn = (text: string) => text.match(/http:\/\/127\.0\.0\.1:\d+\/status\/\S+/)?.[0] ?? "";

async function replyOnStatusPage(reference: string, token: string, text: string) {
  return fetch(`${svc.url}/status/${reference}/messages?lang=en`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ token, text }).toString(),
    redirect: "manual",
  });
}

describe("conversation with the company on the local stack", () => {
  it("consultant → e-mail with link and signed reply address → company answers on the status page → new reply until opened", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
    const ref = c.reference;
    await api(`/api/inbox/cases/${ref}/notes`, {
      method: "POST",
      body: JSON.stringify({ text: "INTERN: ringede til jobcentret" }),
    });
    const sent = await api(`/api/inbox/cases/${ref}/messages`, {
      method: "POST",
      body: JSON.stringify({ text: "Hej! Hvor mange timer om ugen <b>skal</b> tømreren arbejde?" }),
    });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toEqual({ mailed: true });

    const mail = await waitFor(async () =>
      outbox().find(
        (m) =>
          (m.to === c.payload.contact.email && m.subject.includes("besked")) ||
          m.subject.includes("New message"),
      ),
    );
    expect(mail.subject).toMatch(new RegExp(ref));
    expect(mail.text).toContain("Hvor mange timer");
    expect(mail.html).toContain("&lt;b&gt;skal&lt;/b&gt;");
    expect(mail.text).not.toContain("INTERN");
    expect(JSON.stringify(mail)).not.toContain("Karen");
    // The reply address names this case, signed with the service's key.
    const secret = svc.ctx.config.CASE_LINK_SECRET as string;
    expect(
      verifyReplyAddress(secret, mail.replyTo ?? "", "svar.localhost", new Date().toISOString()),
    ).toEqual({
      ok: true,
      reference: ref,
    });

    const link = statusLinkIn(mail.text);
    const token = new URL(link).searchParams.get("token") ?? "";
    const page = await (await fetch(link, { headers: { accept: "text/html" } })).text();
    expect(page).toContain("Hvor mange timer om ugen &lt;b&gt;skal&lt;/b&gt;");
    expect(page).not.toContain("INTERN");
    expect(page).not.toContain("Karen");

    // The company answers; the reply is escaped everywhere.
    const answer = await replyOnStatusPage(ref, token, "Cirka 37 timer. <script>alert(1)</script>");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toContain("sent=1");
    const after = await (
      await fetch(`${svc.url}${answer.headers.get("location")}`, { headers: { accept: "text/html" } })
    ).text();
    expect(after).toContain("Thank you – your message has been sent to the team.");
    expect(after).toContain("Cirka 37 timer. &lt;script&gt;");
    expect(after).not.toContain("<script>alert(1)");

    const stored = (await svc.ctx.cases.get(ref)) as CaseRecord;
    const reply = stored.timeline.at(-1);
    expect(reply).toMatchObject({ event: "message_from_company", actor: "company", via: "web" });
    expect(stored.newReplyAt).toBeDefined();

    // The inbox marks it, as JSON and on the page, until a consultant opens the case.
    const list = (await (await api("/api/inbox/cases")).json()) as {
      items: { reference: string; newReply?: boolean }[];
    };
    expect(list.items.find((i) => i.reference === ref)?.newReply).toBe(true);
    const listPage = await (
      await fetch(`${svc.url}/inbox`, {
        headers: { cookie: `indgang_session=${consultant}`, accept: "text/html" },
      })
    ).text();
    expect(listPage).toContain("Nyt svar");
    const casePage = await fetch(`${svc.url}/inbox/cases/${ref}`, {
      headers: { cookie: `indgang_session=${consultant}`, accept: "text/html" },
    });
    const caseHtml = await casePage.text();
    expect(caseHtml).toContain("Cirka 37 timer. &lt;script&gt;");
    expect(caseHtml).toContain("Skriv til virksomheden");
    expect((await svc.ctx.cases.get(ref))?.newReplyAt).toBeUndefined();
  });

  it("the case page's form sends and confirms; a wrong token, an empty or too long message, and a flood are refused", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi skal bruge en lærling til butikken i sommer.");
    const ref = c.reference;
    const form = await fetch(`${svc.url}/inbox/cases/${ref}/messages`, {
      method: "POST",
      headers: {
        cookie: `indgang_session=${consultant}`,
        "content-type": "application/x-www-form-urlencoded",
        origin: svc.url,
        accept: "text/html",
      },
      body: new URLSearchParams({ text: "Velkommen – vi ringer i morgen." }).toString(),
      redirect: "manual",
    });
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe(`/inbox/cases/${ref}?message=sent#conversation`);
    const confirmed = await (
      await fetch(`${svc.url}${form.headers.get("location")}`, {
        headers: { cookie: `indgang_session=${consultant}`, accept: "text/html" },
      })
    ).text();
    expect(confirmed).toContain("Beskeden er sendt til virksomheden.");

    const mail = await waitFor(async () => outbox().find((m) => m.text.includes("vi ringer i morgen")));
    const token = new URL(statusLinkIn(mail.text)).searchParams.get("token") ?? "";

    expect((await replyOnStatusPage(ref, "AAAAAAAAAAAAAAAAAAAAAA", "Hej")).status).toBe(404);
    expect((await replyOnStatusPage(ref, token, "   ")).status).toBe(400);
    expect((await replyOnStatusPage(ref, token, "x".repeat(3001))).status).toBe(400);
    const before = ((await svc.ctx.cases.get(ref)) as CaseRecord).timeline.length;
    expect(before).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < COMPANY_MESSAGES_PER_HOUR + 1; i++)
      statuses.push((await replyOnStatusPage(ref, token, `Besked nummer ${i}`)).status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(COMPANY_MESSAGES_PER_HOUR);
    expect(statuses.at(-1)).toBe(429);
    const after = (await svc.ctx.cases.get(ref)) as CaseRecord;
    expect(after.timeline.filter((e) => e.event === "message_from_company")).toHaveLength(
      COMPANY_MESSAGES_PER_HOUR,
    );
  });

  it("a consultant of another consortium cannot write to the company (not found)", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi vil gerne høre om efteruddannelse af vores smede.");
    const other = await svc.issueToken({
      sub: "u-fyn",
      name: "Fyn",
      role: "consultant",
      consortiumId: "rar-fyn",
    });
    const res = await fetch(`${svc.url}/api/inbox/cases/${c.reference}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${other}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "Hej" }),
    });
    expect(res.status).toBe(404);
    expect(
      ((await svc.ctx.cases.get(c.reference)) as CaseRecord).timeline.some((e) =>
        e.event.startsWith("message_"),
      ),
    ).toBe(false);
  });
});

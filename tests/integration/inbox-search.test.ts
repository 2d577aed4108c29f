import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { aPayload, callApi, startTestService, waitFor } from "#tests/support/local.ts";

/**
 * Inbox search on the local stack: a consultant finds a case by reference, CVR, company name,
 * contact e-mail, a word of the request or of a note — and never another consortium's case.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const consultant = (consortiumId: string): Principal => ({
  sub: `u-${consortiumId}`,
  name: "Konsulent",
  role: "consultant",
  consortiumId,
});
const bornholm = consultant("rar-bornholm");
const fyn = consultant("rar-fyn");

async function submit(over: {
  municipalityCode: string;
  cvr: string;
  name: string;
  email: string;
  text: string;
}) {
  const p = aPayload();
  const res = await fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...p,
      company: { ...p.company, municipalityCode: over.municipalityCode, cvr: over.cvr, name: over.name },
      contact: { ...p.contact, email: over.email },
      request: { description: over.text },
    }),
  });
  expect(res.status).toBe(202);
  const { reference } = (await res.json()) as { reference: string };
  await waitFor(async () => ((await svc.ctx.cases.get(reference))?.pending === false ? true : undefined));
  return reference;
}

const search = async (who: Principal, q: string) => {
  const res = await callApi(svc, who, "GET", `/api/inbox/cases?q=${encodeURIComponent(q)}`);
  return {
    status: res.status,
    refs: (res.body.items ?? []).map((i: { id: string }) => i.id) as string[],
    body: res.body,
  };
};

describe("inbox search", () => {
  let cafe: string;
  let smedje: string;
  let odense: string;
  beforeAll(async () => {
    cafe = await submit({
      municipalityCode: "400",
      cvr: "11696422",
      name: "Café Nørrebro ApS",
      email: "mette@cafe.example.dk",
      text: "Vi søger to kokke til køkkenet, gerne med erfaring.",
    });
    smedje = await submit({
      municipalityCode: "400",
      cvr: "11742238",
      name: "Rønne Smedje",
      email: "info@smedje.example.dk",
      text: "Vi mangler en svejser til nye opgaver i havnen.",
    });
    odense = await submit({
      municipalityCode: "461",
      cvr: "11777112",
      name: "Café Odense",
      email: "kontakt@odense.example.dk",
      text: "Vi søger kokke til sommeren.",
    });
    const note = await callApi(svc, bornholm, "POST", `/api/inbox/cases/${smedje}/notes`, {
      text: "Ringede til Jens om lærlingeaftale",
    });
    expect(note.status).toBe(201);
  });

  it("finds a case by each field, however Danish letters are typed, and marks where", async () => {
    expect((await search(bornholm, cafe)).refs).toEqual([cafe]);
    expect((await search(bornholm, "11696422")).refs).toEqual([cafe]);
    expect((await search(bornholm, "1174")).refs).toEqual([smedje]);
    expect((await search(bornholm, "norrebro")).refs).toEqual([cafe]);
    expect((await search(bornholm, "Nørrebro café")).refs).toEqual([cafe]);
    expect((await search(bornholm, "info@smedje.example.dk")).refs).toEqual([smedje]);
    expect((await search(bornholm, "svejser")).refs).toEqual([smedje]);
    expect((await search(bornholm, "lærlingeaftale")).refs).toEqual([smedje]); // a note's word
    expect((await search(bornholm, "laerlingeaftale")).refs).toEqual([smedje]);
    const found = await search(bornholm, "svejser");
    // A search reads the inbox's partition once: it answers without the inbox's counts per status.
    expect(found.body).not.toHaveProperty("counts");
    const hit = found.body.items[0].hit;
    expect(hit.field).toBe("request");
    expect(hit.segments.filter((s: { hit: boolean }) => s.hit).map((s: { text: string }) => s.text)).toEqual([
      "svejser",
    ]);
  });

  it("never finds another consortium's case, and every term must hold", async () => {
    expect((await search(bornholm, "kokke")).refs).toEqual([cafe]);
    expect((await search(fyn, "kokke")).refs).toEqual([odense]);
    expect((await search(fyn, "11696422")).refs).toEqual([]);
    expect((await search(bornholm, "kokke svejser")).refs).toEqual([]);
  });

  it("odd terms are values, not expressions; an overlong query is a 400 at q", async () => {
    for (const q of ["') OR contains(pk, 'CASE", ":q0", "#status", "🙂", "a".repeat(200)])
      expect((await search(bornholm, q)).status, q).toBe(200);
    const long = await search(bornholm, "a".repeat(201));
    expect(long.status).toBe(400);
    expect(long.body.error.fields[0].path).toBe("q");
    const many = await search(bornholm, "a b c d e f g h i");
    expect(many.status).toBe(400);
  });

  it("an erased case is found by nothing it held", async () => {
    const admin: Principal = { sub: "u-admin", name: "Admin", role: "admin" };
    const erased = await callApi(svc, admin, "POST", "/api/admin/personal-data/erase", {
      cvr: "11742238",
      email: "info@smedje.example.dk",
    });
    expect(erased.body.erased).toEqual([smedje]);
    for (const q of ["smedje", "svejser", "lærlingeaftale", "11742238"])
      expect((await search(bornholm, q)).refs, q).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { sha256, tokenMatches } from "#shared/cases/ids.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { acknowledgementMail, acknowledger, companyStatusUrl } from "#shared/conversation/acknowledgement.ts";
import { headerSafe, statusTokenFor } from "#shared/conversation/case-links.ts";
import type { Mail } from "#shared/notify.ts";
import { type Consortium, DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { CAFE_PAYLOAD, MemoryLog } from "#tests/support/fakes.ts";

const SECRET = "unit-test-case-link-secret";
const REF = "IND-7K3M-Q9PX";
const BASE = "https://indgang.example.dk";
const hovedstaden = DEFAULT_CONSORTIA.find((c) => c.id === "rar-hovedstaden") as Consortium;

function aCase(over: Partial<CaseRecord> = {}, payload = CAFE_PAYLOAD): CaseRecord {
  return {
    reference: REF,
    status: "delivered",
    receivedAt: "2026-03-02T09:00:00.000Z",
    updatedAt: "2026-03-02T09:00:05.000Z",
    deliveredAt: "2026-03-02T09:00:05.000Z",
    payload,
    tokenHash: sha256(statusTokenFor(SECRET, REF)),
    needs: ["recruitment"],
    primaryNeed: "recruitment",
    consortiumId: "rar-hovedstaden",
    pending: false,
    timeline: [],
    ...over,
  };
}

describe("status tokens derived from the case-link secret", () => {
  it("are stable per reference and secret, 128 bits, and verify against the stored hash", () => {
    const t = statusTokenFor(SECRET, REF);
    expect(t).toBe(statusTokenFor(SECRET, REF));
    expect(Buffer.from(t, "base64url")).toHaveLength(16);
    expect(statusTokenFor(SECRET, "IND-0000-0000")).not.toBe(t);
    expect(statusTokenFor(`${SECRET}x`, REF)).not.toBe(t);
    expect(tokenMatches(t, sha256(t))).toBe(true);
  });
});

describe("the acknowledgement e-mail", () => {
  const url = companyStatusUrl(BASE, REF, statusTokenFor(SECRET, REF));

  it("in Danish: reference, status link, summary, the consortium and its members, the next step and when", () => {
    const m = acknowledgementMail(aCase(), hovedstaden, url, 3);
    expect(m.to).toBe("mette@cafe.example.dk");
    expect(m.subject).toBe(`Vi har modtaget jeres henvendelse (${REF})`);
    for (const part of [
      REF,
      url,
      "Rekruttering",
      "Vi søger to kokke",
      "Konsortium Hovedstaden",
      "VEU-center Hovedstaden",
      "3 arbejdsdage",
      "gratis",
    ])
      expect(m.text).toContain(part);
    expect(m.html).toContain('<html lang="da">');
    expect(m.html).toContain(`href="${url.replace(/&/g, "&amp;")}"`);
  });

  it("in English for an English-speaking contact, and the secretariat for manual triage", () => {
    const payload = { ...CAFE_PAYLOAD, contact: { ...CAFE_PAYLOAD.contact, language: "en" as const } };
    const m = acknowledgementMail(
      aCase({ consortiumId: undefined, status: "manual_triage" }, payload),
      null,
      url,
      5,
    );
    expect(m.subject).toBe(`We have received your request (${REF})`);
    expect(m.text).toContain("The regional secretariat reviews your request");
    expect(m.text).toContain("within 5 working days");
    expect(m.html).toContain('<html lang="en">');
  });

  it("names stay out of the headers and are escaped in the HTML; a line break in a header is refused", () => {
    const payload = {
      ...CAFE_PAYLOAD,
      company: { ...CAFE_PAYLOAD.company, name: '<script>alert("x")</script> ApS' },
      contact: { ...CAFE_PAYLOAD.contact, name: "Eve\r\nBcc: victim@example.com" },
    };
    const m = acknowledgementMail(aCase({}, payload), hovedstaden, url, 3);
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject).not.toContain("Eve");
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;");
    expect(() => headerSafe("a\nb")).toThrow(/line break/);
    expect(() => headerSafe("a\u2028b")).toThrow();
    const bad = {
      ...CAFE_PAYLOAD,
      contact: { ...CAFE_PAYLOAD.contact, email: "x@example.dk\r\nBcc: y@example.dk" },
    };
    expect(() => acknowledgementMail(aCase({}, bad), hovedstaden, url, 3)).toThrow(/line break/);
  });

  it("a case whose token was random (before derived tokens) gets no link, and says where the link is", () => {
    const m = acknowledgementMail(aCase(), hovedstaden, null, 3);
    expect(m.text).not.toContain("/status/");
    expect(m.text).toContain("kvitteringssiden");
  });
});

/** The three conditional writes, as DynamoDB would make them on one item. */
function memoryAckStore() {
  const item: { acknowledgedAt?: string; ackClaimedAt?: string } = {};
  return {
    item,
    async claimAcknowledgement(_r: string, at: string) {
      if (item.acknowledgedAt || item.ackClaimedAt) return false;
      item.ackClaimedAt = at;
      return true;
    },
    async markAcknowledged(_r: string, at: string) {
      if (item.acknowledgedAt) return false;
      item.acknowledgedAt = at;
      return true;
    },
    async releaseAcknowledgement(_r: string, at: string) {
      if (item.ackClaimedAt !== at || item.acknowledgedAt) return false;
      delete item.ackClaimedAt;
      return true;
    },
  };
}

describe("acknowledger", () => {
  const deps = (
    store: ReturnType<typeof memoryAckStore>,
    send: (m: Mail) => Promise<void>,
    secret?: string,
  ) => ({
    cases: store,
    consortia: async () => directory(DEFAULT_CONSORTIA),
    send,
    caseLinkSecret: async () => secret,
    config: { PUBLIC_BASE_URL: BASE },
    now: () => "2026-03-02T09:00:06.000Z",
    log: new MemoryLog(),
  });

  it("sends once when called twice at the same time, and the mail carries the link that opens the case", async () => {
    const store = memoryAckStore();
    const sent: Mail[] = [];
    const ack = acknowledger(deps(store, async (m) => void sent.push(m), SECRET));
    await Promise.all([ack(aCase()), ack(aCase())]);
    await ack(aCase());
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(`/status/${REF}?token=${statusTokenFor(SECRET, REF)}`);
    expect(store.item.acknowledgedAt).toBeDefined();
  });

  it("gives the claim back when the send fails, so the retry sends it", async () => {
    const store = memoryAckStore();
    let fail = true;
    const sent: Mail[] = [];
    const ack = acknowledger(
      deps(
        store,
        async (m) => {
          if (fail) throw new Error("SES throttled");
          sent.push(m);
        },
        SECRET,
      ),
    );
    await expect(ack(aCase())).rejects.toThrow("SES throttled");
    expect(store.item.ackClaimedAt).toBeUndefined();
    fail = false;
    await ack(aCase());
    expect(sent).toHaveLength(1);
  });

  it("with a token that does not match the stored hash (an older case), the mail has no link", async () => {
    const store = memoryAckStore();
    const sent: Mail[] = [];
    const ack = acknowledger(deps(store, async (m) => void sent.push(m), SECRET));
    await ack(aCase({ tokenHash: sha256("a-random-token-from-before") }));
    expect(sent[0]?.text).not.toContain("token=");
  });
});

/**
 * Inbox search on the local stack: one consortium holding 10,000 cases (1,000 with --quick), sent
 * in through the public intake and delivered by the workers as in `npm start`, 200 of them with a
 * note; then searches through the staff API as a consultant would make them — a CVR, a company
 * name, a word many requests share, a word of one note, and a word no case holds (which reads the
 * whole inbox: the worst case). Latency per search, p50 and p95, by kind and overall.
 */
import { type BenchStack, startBenchStack } from "./bench-stack.ts";
import {
  type BenchOptions,
  fixtures,
  fmtInt,
  fmtMs,
  percentile,
  type Row,
  type SectionResult,
  sleep,
  validCvr,
} from "./support.ts";

const CONSORTIUM = "rar-fyn";
/** Fyn's municipalities: every case goes to the one consortium. */
const FYN = ["410", "420", "430", "440", "450", "461", "479", "480", "482", "492"];
const NOTE_WORD = "lærlingeaftale";

async function submitAll(stack: BenchStack, total: number, log: (m: string) => void): Promise<string[]> {
  const fx = fixtures();
  const refs: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const f = fx[i % fx.length];
      if (!f) continue;
      const body = {
        ...f.input,
        company: {
          ...f.input.company,
          cvr: validCvr(100_000 + i),
          name: `${f.input.company.name} ${i}`,
          municipalityCode: FYN[i % FYN.length],
        },
        contact: { ...f.input.contact, email: `kontakt${i}@firma${i}.example.dk` },
      };
      const res = await fetch(`${stack.url}/api/requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
      refs.push(((await res.json()) as { reference: string }).reference);
      if (refs.length % 1000 === 0) log(`search: ${refs.length} of ${total} submitted`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return refs;
}

async function inboxSize(stack: BenchStack): Promise<number> {
  const counts = await stack.ctx.cases.inboxCounts(CONSORTIUM);
  return Object.values(counts).reduce((s, n) => s + (n ?? 0), 0);
}

export async function run(o: BenchOptions): Promise<SectionResult> {
  const total = o.quick ? 1_000 : 10_000;
  const stack = await startBenchStack();
  try {
    const started = Date.now();
    const refs = await submitAll(stack, total, o.log);
    // Wait until the workers have delivered what they will (a request with no need found goes to
    // the regional queue instead): the inbox stops growing.
    let size = 0;
    for (let still = 0; still < 3; ) {
      await sleep(2_000);
      const now = await inboxSize(stack);
      still = now === size ? still + 1 : 0;
      size = now;
      o.log(`search: ${size} cases in ${CONSORTIUM}'s inbox`);
    }
    const seedSeconds = (Date.now() - started) / 1000;

    const consultant = {
      sub: "bench-consultant",
      name: "Bench",
      role: "consultant" as const,
      consortiumId: CONSORTIUM,
    };
    const token = await stack.issueToken(consultant, 3600);
    const call = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${stack.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init?.headers },
      });
      return { status: res.status, body: (await res.json()) as { items?: { id: string }[] } };
    };
    // 200 notes, one of them with a word no request has.
    const inInbox = (await Promise.all(refs.slice(0, 400).map((r) => stack.ctx.cases.get(r)))).filter(
      (c) => c?.consortiumId === CONSORTIUM,
    );
    for (const [i, c] of inInbox.slice(0, 200).entries()) {
      const text =
        i === 100 ? `Ringede om ${NOTE_WORD} og praktik` : `Opfølgning ${i}: ringede, aftalte møde`;
      const res = await call(`/api/inbox/cases/${c?.reference}/notes`, {
        method: "POST",
        body: JSON.stringify({ text }),
      });
      if (res.status !== 201) throw new Error(`note answered ${res.status}`);
    }
    const sample = inInbox[150];
    if (!sample) throw new Error("no case reached the inbox");
    const kinds: Record<string, string> = {
      "no search (the inbox's first page)": "",
      cvr: sample.payload.company.cvr,
      company: sample.payload.company.name,
      "common word": "medarbejdere",
      "note word": NOTE_WORD,
      "no hit (whole inbox)": "zzqxwv",
    };
    const runs = o.quick ? 5 : 20;
    const times: Record<string, number[]> = {};
    const hits: Record<string, number> = {};
    for (const [kind, q] of Object.entries(kinds)) {
      const path = q ? `/api/inbox/cases?q=${encodeURIComponent(q)}` : "/api/inbox/cases";
      await call(path); // warm
      const t: number[] = [];
      times[kind] = t;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const res = await call(path);
        t.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`search answered ${res.status}`);
        hits[kind] = res.body.items?.length ?? 0;
      }
    }
    const all = Object.values(times).flat();
    const rows: Row[] = Object.entries(times).map(([kind, t]) => ({
      metric: `search p50 / p95: ${kind} (${hits[kind]} on the first page)`,
      measured: `${fmtMs(percentile(t, 50))} / ${fmtMs(percentile(t, 95))}`,
      status: "INFO",
    }));
    rows.push({
      metric: `search p95, all kinds, ${fmtInt(size)} cases in one inbox`,
      measured: fmtMs(percentile(all, 95)),
      status: "INFO",
    });
    return {
      rows,
      notes: [
        `${fmtInt(size)} of ${fmtInt(total)} requests reached ${CONSORTIUM}'s inbox (the rest: no need found, the regional queue); seeded through the intake in ${Math.round(seedSeconds)} s.`,
        `${runs} searches per kind through GET /api/inbox/cases?q= as a consultant (HTTP, token check, DynamoDB Local filtering the inbox partition).`,
        "A search with few hits reads the whole partition: its time grows with the inbox. A common word stops at the first full page.",
      ],
      data: { total, inbox: size, seedSeconds, runs, times, hits },
    };
  } finally {
    await stack.stop();
  }
}

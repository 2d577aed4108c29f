/**
 * `npm run bench [-- <section>...] [--quick]`: Indgang's benchmark. Sections (all by default, in
 * this order): classify, bundles, calls, e2e, search, cost. Prints a table per section (target, measured,
 * PASS/MISS) and writes bench/results.json with the machine, the load average and every figure.
 * A run of some sections keeps the other sections of the last results.json (each says when it ran);
 * `cost` uses the figures of `calls` and `bundles` from this run or, failing that, from the file.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  type BenchOptions,
  loadAverage,
  machineInfo,
  rowsTable,
  type SectionResult,
  type StoredSection,
} from "./support.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const SECTIONS = {
  classify: { title: "Classification throughput (one core)", load: () => import("./classify.ts") },
  bundles: { title: "Lambda bundles: size and cold import", load: () => import("./bundles.ts") },
  calls: { title: "AWS calls and DynamoDB capacity per case", load: () => import("./aws-calls.ts") },
  e2e: { title: "Local end to end: sustained intake", load: () => import("./e2e.ts") },
  search: { title: "Inbox search on one consortium's inbox", load: () => import("./search.ts") },
  cost: { title: "Estimated AWS cost per 100,000 requests", load: () => import("./cost.ts") },
} as const satisfies Record<string, { title: string; load: () => Promise<unknown> }>;
type SectionName = keyof typeof SECTIONS;

interface ResultsFile {
  command: string;
  writtenAt: string;
  machine: ReturnType<typeof machineInfo>;
  sections: Record<string, StoredSection | undefined>;
}

const RESULTS = new URL("./results.json", import.meta.url);

function parseArgs(argv: string[]): { sections: SectionName[]; quick: boolean } {
  const names = Object.keys(SECTIONS) as SectionName[];
  const quick = argv.includes("--quick");
  const unknown = argv.filter((a) => a !== "--quick" && !names.includes(a as SectionName));
  if (unknown.length > 0) {
    console.error(
      `unknown argument(s): ${unknown.join(" ")}\nusage: npm run bench -- [${names.join("|")}]... [--quick]`,
    );
    process.exit(2);
  }
  const chosen = names.filter((n) => argv.includes(n));
  return { sections: chosen.length > 0 ? chosen : names, quick };
}

function previousResults(): ResultsFile | undefined {
  if (!existsSync(RESULTS)) return undefined;
  try {
    return JSON.parse(readFileSync(RESULTS, "utf8")) as ResultsFile;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { sections, quick } = parseArgs(argv);
  const machine = machineInfo();
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  const stored: Record<string, StoredSection | undefined> = { ...previousResults()?.sections };
  const log = (m: string) => console.error(`[bench] ${m}`);

  console.log(`Indgang benchmark: ${command}`);
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.platform}, node ${machine.node}`,
  );
  console.log(
    `load average at start (1/5/15 min): ${machine.loadAverage.join(" / ")}${quick ? "  [--quick]" : ""}`,
  );

  let failed = false;
  for (const name of sections) {
    const section = SECTIONS[name];
    const load = loadAverage();
    const started = Date.now();
    log(`${name}: starting (load ${load.join(" / ")})`);
    let result: SectionResult;
    try {
      const mod = (await section.load()) as { run: (o: BenchOptions) => Promise<SectionResult> };
      result = await mod.run({ quick, log, results: stored });
    } catch (err) {
      failed = true;
      console.log(
        `\n## ${section.title} [${name}]: FAILED\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      continue;
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    stored[name] = {
      ranAt: new Date(started).toISOString(),
      quick,
      loadAverageAtStart: load,
      seconds,
      rows: result.rows,
      notes: result.notes,
      ...(result.header ? { header: result.header } : {}),
      data: result.data,
    };
    console.log(`\n## ${section.title} [${name}]  (load at start ${load.join(" / ")}; ${seconds} s)\n`);
    console.log(rowsTable(result.rows, result.header));
    for (const note of result.notes) console.log(`  - ${note}`);
    const file: ResultsFile = { command, writtenAt: new Date().toISOString(), machine, sections: stored };
    writeFileSync(RESULTS, `${JSON.stringify(file, null, 2)}\n`);
  }

  const rows = sections.flatMap((n) => stored[n]?.rows ?? []);
  const misses = rows.filter((r) => r.status === "MISS").length;
  const passes = rows.filter((r) => r.status === "PASS").length;
  console.log(`\n${passes} targets met, ${misses} missed${failed ? ", some sections FAILED" : ""}.`);
  console.log(`Figures written to bench/results.json. Reproduce with: ${command}`);
  // Targets are reported, not enforced: a MISS is a finding, not a failed run. A crash is.
  process.exitCode = failed ? 1 : 0;
}

await main();

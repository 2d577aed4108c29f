/**
 * Each Lambda bundle's minified size and cold import time, beside its floor: a bundle that holds
 * only the AWS SDK clients that function's bundle holds, constructed, and for an HTTP function
 * also the framework the product owner fixed (Hono with its Lambda adapter, and zod/mini), in use:
 * like for like, the floor is what the function cannot do without (generated per client set into
 * bench/.floors/, git-ignored, see bench/floors.ts). Every bundle is built by CDK itself: an
 * `IndgangFunction` per entry of `FUNCTIONS` in a throwaway stack, synthesised with local esbuild,
 * so the options are exactly those of infra/constructs/functions.ts. Cold import = a fresh `node`
 * (with the --enable-source-maps the functions run with) importing the bundle, timed inside the
 * process; the median of 31 processes per bundle (10 with --quick), interleaved.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { App, Duration, Stack } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { build } from "esbuild";
import { entryExists, IndgangFunction } from "#infra/constructs/functions.ts";
import { FUNCTIONS } from "#infra/stack.ts";
import { clientsOf, floorName, floorSource, isHttp } from "./floors.ts";
import {
  type BenchOptions,
  fmt,
  fmtKb,
  fmtMs,
  median,
  REPO_ROOT,
  type Row,
  type SectionResult,
  verdict,
} from "./support.ts";

const TARGET_RATIO = 1.3;

/**
 * Measured against its floor but reported only: the staff function carries the inbox and the
 * administration pages in two languages, which the target (set for the public function and the
 * workers) does not cover.
 */
const REPORTED_ONLY = new Set(["staff-api"]);

/** What a function reads at import (shared/config.ts); the staff entry refuses to load without Cognito. */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: "eu-north-1",
  AWS_DEFAULT_REGION: "eu-north-1",
  AWS_LAMBDA_FUNCTION_NAME: "indgang-bench",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  INDGANG_MODE: "aws",
  RESOURCE_PREFIX: "indgang-bench",
  TABLE_NAME: "indgang-bench-cases",
  QUEUE_URL_PREFIX: "https://sqs.eu-north-1.amazonaws.com/123456789012/",
  PUBLIC_BASE_URL: "https://indgang.example.dk",
  METRICS_NAMESPACE: "IndgangBench",
  COGNITO_USER_POOL_ID: "eu-north-1_AbCdEfGhI",
  COGNITO_CLIENT_ID: "1example23456789abcdefghij",
  COGNITO_DOMAIN_URL: "https://indgang-bench.auth.eu-north-1.amazoncognito.com",
  DEPLOYED_CONSORTIA: "rar-hovedstaden",
};

interface Bundle {
  name: string;
  entry: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
  importMs: number[];
  /** The same without --enable-source-maps (for the explanation). */
  importMsPlain: number[];
}

/** What is built: the functions of the stack, and one SDK floor per set of clients they hold. */
interface BuildSpec {
  id: string;
  name: string;
  entry: string;
  description: string;
  timeout: Duration;
  files?: readonly string[];
}

/** Builds every function (and the floors) through CDK's NodejsFunction bundling; returns the files. */
function buildWithCdk(outdir: string, specs: BuildSpec[]): Omit<Bundle, "importMs" | "importMsPlain">[] {
  const app = new App({ outdir });
  const stack = new Stack(app, "IndgangBenchBundles");
  const functions = specs.map((spec) => ({
    spec,
    fn: new IndgangFunction(stack, spec.id, {
      entry: spec.entry,
      name: spec.name,
      prefix: "indgang-bench",
      description: spec.description,
      timeout: spec.timeout,
      logRetention: RetentionDays.TWO_WEEKS,
      environment: {},
      invocation: { by: "api" },
      ...(spec.files ? { files: spec.files } : {}),
    }),
  }));
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Properties?: { Code?: { S3Key?: string } } }>;
  };
  return functions.map(({ spec, fn }) => {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
    const key = template.Resources[logicalId]?.Properties?.Code?.S3Key;
    if (!key) throw new Error(`no code asset for ${spec.name}`);
    const file = join(assembly.directory, `asset.${key.replace(/\.zip$/, "")}`, "index.mjs");
    const code = readFileSync(file);
    return {
      name: spec.name,
      entry: spec.entry,
      file,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      sourceMapBytes: statSync(`${file}.map`).size,
    };
  });
}

const IMPORT_SCRIPT =
  "const t = performance.now(); await import(process.env.BENCH_BUNDLE_URL); " +
  "process.stdout.write(String(performance.now() - t)); process.exit(0);";

/** Milliseconds a fresh Node process spends importing the bundle (module evaluation included). */
async function importTime(file: string, sourceMaps = true): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...(sourceMaps ? ["--enable-source-maps"] : []), "--input-type=module", "-e", IMPORT_SCRIPT],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ...LAMBDA_ENV,
        BENCH_BUNDLE_URL: pathToFileURL(file).href,
      },
      timeout: 30_000,
    },
  );
  const ms = Number(stdout.trim());
  if (!Number.isFinite(ms)) throw new Error(`import of ${file} printed ${JSON.stringify(stdout)}`);
  return ms;
}

/**
 * Where a bundle's bytes come from, by package: the same esbuild options CDK passes (see
 * infra/constructs/functions.ts), with a metafile. Only for the explanation; sizes above are CDK's.
 */
async function composition(entry: string): Promise<Record<string, number>> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, entry)],
    bundle: true,
    write: false,
    outfile: join(tmpdir(), "indgang-bench-composition.mjs"),
    platform: "node",
    format: "esm",
    target: "node24",
    minify: true,
    mainFields: ["module", "main"],
    charset: "utf8",
    metafile: true,
    logLevel: "silent",
  });
  const byPackage: Record<string, number> = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = packageOf(path);
      byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1]));
}

function packageOf(path: string): string {
  const parts = relative(REPO_ROOT, join(REPO_ROOT, path)).split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return "(indgang)";
  const name = parts[at + 1] ?? "?";
  return name.startsWith("@") ? `${name}/${parts[at + 2] ?? ""}` : name;
}

/**
 * Splits a composition into the packages its floor also holds (the SDK and its dependencies, and
 * for an HTTP function Hono and zod) and the rest.
 */
function beyondFloor(
  byPackage: Record<string, number>,
  floor: Record<string, number>,
): { inFloor: number; rest: Record<string, number> } {
  let inFloor = 0;
  const rest: Record<string, number> = {};
  for (const [pkg, bytes] of Object.entries(byPackage)) {
    if (pkg !== "(indgang)" && pkg in floor) inFloor += bytes;
    else rest[pkg] = bytes;
  }
  return { inFloor, rest };
}

export async function run(options: BenchOptions): Promise<SectionResult> {
  const outdir = mkdtempSync(join(tmpdir(), "indgang-bench-bundles-"));
  const floorFiles: string[] = [];
  try {
    const functionSpecs: BuildSpec[] = Object.values(FUNCTIONS).filter((spec) => entryExists(spec.entry));
    const compositions: Record<string, Record<string, number>> = {};
    for (const spec of functionSpecs) compositions[spec.name] = await composition(spec.entry);
    // One floor per distinct set of clients (and framework): what each function cannot do without.
    const floorOf: Record<string, string> = {};
    const floorSpecs = new Map<string, BuildSpec>();
    for (const spec of functionSpecs) {
      const composition = compositions[spec.name] ?? {};
      const clients = clientsOf(composition);
      const http = isHttp(composition);
      const name = floorName(clients, http);
      floorOf[spec.name] = name;
      if (floorSpecs.has(name)) continue;
      const entry = `bench/.floors/${name}.ts`;
      mkdirSync(join(REPO_ROOT, "bench/.floors"), { recursive: true });
      writeFileSync(join(REPO_ROOT, entry), floorSource(clients, http));
      floorFiles.push(join(REPO_ROOT, entry));
      floorSpecs.set(name, {
        id: `Floor${floorSpecs.size}`,
        name,
        entry,
        description: http ? "SDK clients, Hono and zod/mini only" : "SDK clients only",
        timeout: Duration.seconds(10),
      });
    }
    for (const f of floorSpecs.values()) compositions[f.name] = await composition(f.entry);

    options.log(
      "bundles: synthesising a stack of the functions and their SDK floors with CDK (local esbuild)",
    );
    const built = buildWithCdk(outdir, [...functionSpecs, ...floorSpecs.values()]);
    const bundles: Bundle[] = built.map((b) => ({ ...b, importMs: [], importMsPlain: [] }));
    const runs = options.quick ? 10 : 31;
    options.log(`bundles: ${runs} fresh node processes per bundle, interleaved`);
    for (const b of bundles) await importTime(b.file); // file-system cache warm, not measured
    for (let i = 0; i < runs; i++) {
      for (const b of bundles) {
        b.importMs.push(await importTime(b.file));
        b.importMsPlain.push(await importTime(b.file, false));
      }
    }
    const byName = new Map(bundles.map((b) => [b.name, b]));
    const floors = [...floorSpecs.values()].map((f) => byName.get(f.name));
    const rows: Row[] = floors.flatMap((f) =>
      f
        ? [
            {
              metric: `${f.name}: only ${f.name.startsWith("http-") ? "these SDK clients, Hono and zod/mini" : "these SDK clients"}`,
              measured: `${fmtKb(f.bytes)}, import ${fmtMs(median(f.importMs))}`,
              status: "INFO" as const,
            },
          ]
        : [],
    );
    const functions: Record<string, unknown> = {};
    for (const spec of functionSpecs) {
      const b = byName.get(spec.name);
      const floor = byName.get(floorOf[spec.name] ?? "");
      if (!b || !floor) throw new Error(`bundle or floor of ${spec.name} was not built`);
      const sizeRatio = b.bytes / floor.bytes;
      const importRatio = median(b.importMs) / median(floor.importMs);
      const { inFloor, rest } = beyondFloor(compositions[b.name] ?? {}, compositions[floor.name] ?? {});
      const targeted = !REPORTED_ONLY.has(b.name);
      const against = (ratio: number) =>
        targeted
          ? { target: `<= ${TARGET_RATIO}x`, status: verdict(ratio <= TARGET_RATIO) }
          : { target: "(reported)", status: "INFO" as const };
      rows.push(
        {
          metric: `${b.name}: size (floor: ${floor.name})`,
          measured: `${fmtKb(b.bytes)} = ${fmt(sizeRatio, 2)}x floor`,
          ...against(sizeRatio),
        },
        {
          metric: `${b.name}: cold import (median of ${b.importMs.length})`,
          measured: `${fmtMs(median(b.importMs))} = ${fmt(importRatio, 2)}x floor`,
          ...against(importRatio),
        },
      );
      functions[b.name] = {
        entry: b.entry,
        floor: floor.name,
        bytes: b.bytes,
        gzipBytes: b.gzipBytes,
        sourceMapBytes: b.sourceMapBytes,
        importMsMedian: median(b.importMs),
        importMs: b.importMs.map((ms) => Math.round(ms * 10) / 10),
        importMsMedianWithoutSourceMaps: median(b.importMsPlain),
        sizeRatio,
        importRatio,
        targeted,
        floorPackageBytes: inFloor,
        beyondFloorBytesByPackage: rest,
      };
    }
    const beyondFloors = Object.entries(functions).map(([name, f]) => {
      const rest = (f as { beyondFloorBytesByPackage: Record<string, number> }).beyondFloorBytesByPackage;
      const top = Object.entries(rest)
        .slice(0, 6)
        .map(([pkg, bytes]) => `${pkg} ${fmtKb(bytes)}`)
        .join(", ");
      return `${name} beyond its floor's packages: ${top}`;
    });
    return {
      rows,
      notes: [
        "built by CDK's NodejsFunction bundling (infra/constructs/functions.ts: esbuild, ESM, minify, " +
          "target node24, SDK bundled, source map without sources); size = index.mjs without its .map",
        "cold import = `node --enable-source-maps` (the functions' NODE_OPTIONS) importing the bundle, " +
          "timed in the process: module evaluation included, Node start-up and Lambda's runtime init not",
        "each function's floor holds exactly the @aws-sdk/client-* packages its own bundle holds (and " +
          "lib-dynamodb with DynamoDB), constructed; an HTTP function's (http-floor-*) also a Hono app behind " +
          "hono/aws-lambda whose one route checks a zod/mini schema, the framework the product owner fixed; " +
          "generated by bench/floors.ts floorSource()",
        `targets: <= ${TARGET_RATIO}x of the floor for every function but ${[...REPORTED_ONLY].join(", ")} (reported)`,
        `without --enable-source-maps (median): ${bundles
          .map((b) => `${b.name} ${fmtMs(median(b.importMsPlain))}`)
          .join(", ")}`,
        ...beyondFloors,
      ],
      data: {
        runsPerBundle: runs,
        floors: Object.fromEntries(
          floors.flatMap((f) =>
            f
              ? [
                  [
                    f.name,
                    {
                      bytes: f.bytes,
                      gzipBytes: f.gzipBytes,
                      importMsMedian: median(f.importMs),
                      importMs: f.importMs.map((ms) => Math.round(ms * 10) / 10),
                      importMsMedianWithoutSourceMaps: median(f.importMsPlain),
                      compositionBytes: compositions[f.name],
                    },
                  ],
                ]
              : [],
          ),
        ),
        functions,
        targets: { ratio: TARGET_RATIO, reportedOnly: [...REPORTED_ONLY] },
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    for (const f of floorFiles) rmSync(f, { force: true });
  }
}

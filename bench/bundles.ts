/**
 * Each Lambda bundle's minified size and cold import time, beside an "SDK floor" bundle that holds
 * only the AWS SDK clients the functions use (bench/entries/sdk-floor.ts). Every bundle is built by
 * CDK itself: an `IndgangFunction` per entry of `FUNCTIONS` in a throwaway stack, synthesised
 * with local esbuild, so the options are exactly those of infra/constructs/functions.ts. Cold
 * import = a fresh `node` (with the --enable-source-maps the functions run with) importing the
 * bundle, timed inside the process; the median of >= 10 processes per bundle, interleaved.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { App, Duration, Stack } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { build } from "esbuild";
import { entryExists, IndgangFunction } from "../infra/constructs/functions.ts";
import { FUNCTIONS } from "../infra/stack.ts";
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
const FLOOR = "sdk-floor";
const FLOOR_ENTRY = "bench/entries/sdk-floor.ts";

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
  POWERTOOLS_SERVICE_NAME: "indgang-bench",
  POWERTOOLS_METRICS_NAMESPACE: "IndgangBench",
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

/** Builds every function (and the floor) through CDK's NodejsFunction bundling; returns the files. */
function buildWithCdk(outdir: string): Omit<Bundle, "importMs" | "importMsPlain">[] {
  const app = new App({ outdir });
  const stack = new Stack(app, "IndgangBenchBundles");
  const specs = [
    ...Object.values(FUNCTIONS).filter((spec) => entryExists(spec.entry)),
    {
      id: "SdkFloor",
      name: FLOOR,
      entry: FLOOR_ENTRY,
      description: "SDK clients only",
      timeout: Duration.seconds(10),
    },
  ];
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

/** Splits a composition into what the floor also holds (the SDK and its dependencies) and the rest. */
function beyondFloor(
  byPackage: Record<string, number>,
  floor: Record<string, number>,
): { sdk: number; rest: Record<string, number> } {
  let sdk = 0;
  const rest: Record<string, number> = {};
  for (const [pkg, bytes] of Object.entries(byPackage)) {
    if (pkg !== "(indgang)" && pkg in floor) sdk += bytes;
    else rest[pkg] = bytes;
  }
  return { sdk, rest };
}

export async function run(options: BenchOptions): Promise<SectionResult> {
  const outdir = mkdtempSync(join(tmpdir(), "indgang-bench-bundles-"));
  try {
    options.log("bundles: synthesising a stack of the functions with CDK (local esbuild)");
    const built = buildWithCdk(outdir);
    const bundles: Bundle[] = built.map((b) => ({ ...b, importMs: [], importMsPlain: [] }));
    const runs = options.quick ? 10 : 15;
    options.log(`bundles: ${runs} fresh node processes per bundle, interleaved`);
    for (const b of bundles) await importTime(b.file); // file-system cache warm, not measured
    for (let i = 0; i < runs; i++) {
      for (const b of bundles) {
        b.importMs.push(await importTime(b.file));
        b.importMsPlain.push(await importTime(b.file, false));
      }
    }
    const floor = bundles.find((b) => b.name === FLOOR);
    if (!floor) throw new Error("the SDK floor bundle was not built");
    const floorImport = median(floor.importMs);

    const compositions: Record<string, Record<string, number>> = {};
    for (const b of bundles) compositions[b.name] = await composition(b.entry);

    const rows: Row[] = [
      {
        metric: "SDK floor (the SDK clients of the functions, constructed)",
        measured: `${fmtKb(floor.bytes)}, import ${fmtMs(floorImport)}`,
        status: "INFO",
      },
    ];
    const functions: Record<string, unknown> = {};
    for (const b of bundles.filter((x) => x !== floor)) {
      const sizeRatio = b.bytes / floor.bytes;
      const importRatio = median(b.importMs) / floorImport;
      const { sdk, rest } = beyondFloor(compositions[b.name] ?? {}, compositions[FLOOR] ?? {});
      rows.push(
        {
          metric: `${b.name}: size`,
          measured: `${fmtKb(b.bytes)} = ${fmt(sizeRatio, 2)}x floor`,
          target: `<= ${TARGET_RATIO}x`,
          status: verdict(sizeRatio <= TARGET_RATIO),
        },
        {
          metric: `${b.name}: cold import (median of ${b.importMs.length})`,
          measured: `${fmtMs(median(b.importMs))} = ${fmt(importRatio, 2)}x floor`,
          target: `<= ${TARGET_RATIO}x`,
          status: verdict(importRatio <= TARGET_RATIO),
        },
      );
      functions[b.name] = {
        entry: b.entry,
        bytes: b.bytes,
        gzipBytes: b.gzipBytes,
        sourceMapBytes: b.sourceMapBytes,
        importMsMedian: median(b.importMs),
        importMs: b.importMs.map((ms) => Math.round(ms * 10) / 10),
        importMsMedianWithoutSourceMaps: median(b.importMsPlain),
        sizeRatio,
        importRatio,
        sdkBytes: sdk,
        nonSdkBytesByPackage: rest,
      };
    }
    const floorClients = Object.keys(compositions[FLOOR] ?? {}).filter((p) =>
      p.startsWith("@aws-sdk/client-"),
    );
    const missing = Object.entries(compositions).flatMap(([name, c]) =>
      Object.keys(c)
        .filter((p) => p.startsWith("@aws-sdk/client-") && !floorClients.includes(p))
        .map((p) => `${name} holds ${p}, which the floor lacks: add it to ${FLOOR_ENTRY}`),
    );
    const beyondSdk = Object.entries(functions).map(([name, f]) => {
      const rest = (f as { nonSdkBytesByPackage: Record<string, number> }).nonSdkBytesByPackage;
      const top = Object.entries(rest)
        .slice(0, 5)
        .map(([pkg, bytes]) => `${pkg} ${fmtKb(bytes)}`)
        .join(", ");
      return `${name} beyond the SDK: ${top}`;
    });
    return {
      rows,
      notes: [
        "built by CDK's NodejsFunction bundling (infra/constructs/functions.ts: esbuild, ESM, minify, " +
          "target node24, SDK bundled, source map); size = index.mjs without its .map",
        "cold import = `node --enable-source-maps` (the functions' NODE_OPTIONS) importing the bundle, " +
          "timed in the process: module evaluation included, Node start-up and Lambda's runtime init not",
        `without --enable-source-maps (median): ${bundles
          .map((b) => `${b.name} ${fmtMs(median(b.importMsPlain))}`)
          .join(", ")}`,
        `floor: ${FLOOR_ENTRY} (${floorClients.join(", ")}, lib-dynamodb)`,
        ...missing,
        ...beyondSdk,
      ],
      data: {
        runsPerBundle: runs,
        floor: {
          entry: floor.entry,
          bytes: floor.bytes,
          gzipBytes: floor.gzipBytes,
          importMsMedian: floorImport,
          importMs: floor.importMs.map((ms) => Math.round(ms * 10) / 10),
          importMsMedianWithoutSourceMaps: median(floor.importMsPlain),
          compositionBytes: compositions[FLOOR],
        },
        functions,
        targets: { ratio: TARGET_RATIO },
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

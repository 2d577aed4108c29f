import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalService, type LocalServiceOptions, startLocalService } from "../../local/service.ts";
import type { IntakeInput } from "../../shared/intake/schema.ts";

/** The embedded stack on free ports in a fresh directory; `stop()` also removes the directory. */
export async function startTestService(
  options: Partial<LocalServiceOptions> = {},
): Promise<LocalService & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "indgang-test-"));
  const service = await startLocalService({
    dataDir,
    port: 0,
    logLevel: "SILENT",
    pollWaitSeconds: 1,
    sweepIntervalMs: 3_600_000, // tests call the sweeper themselves
    ...options,
    // Tests submit many requests from one address; the limit itself has its own test.
    env: { INTAKE_RATE_LIMIT_PER_MINUTE: "100000", ...options.env },
  });
  return {
    ...service,
    dataDir,
    stop: async () => {
      await service.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = "condition",
) {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export interface Sample {
  id: string;
  payload: IntakeInput;
  expect: { needs: string[]; primaryNeed: string | null; consortiumId: string };
}

export function samples(): Sample[] {
  return readFileSync(new URL("../fixtures/samples.jsonl", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Sample);
}

/** A valid payload to vary in a test. */
export function aPayload(): IntakeInput {
  const first = samples()[0];
  if (!first) throw new Error("no samples");
  return structuredClone(first.payload);
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "#local/dynamodb.ts";
import type { PublicCaseView } from "#shared/cases/model.ts";
import { aPayload, waitFor } from "#tests/support/local.ts";

/**
 * The promise of the front door: a request that got its 202 is never lost. The whole service
 * (`local/start.ts`, as `npm start` runs it) is killed with SIGKILL while requests are coming in —
 * its in-memory SQS emulator loses every message, and its DynamoDB Local child is orphaned — then
 * started again on the same data directory. Every accepted request must reach its inbox exactly once.
 */
const dataDir = mkdtempSync(join(tmpdir(), "indgang-crash-"));
const children: ChildProcess[] = [];

function startService(port: number, dir = dataDir): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "local/start.ts"], {
    // Its own process group, which DynamoDB Local's Java child shares: a group kill takes both.
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: "ERROR",
      SWEEP_AFTER_SECONDS: "3",
      INTAKE_RATE_LIMIT_PER_MINUTE: "100000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

const healthy = (port: number) =>
  waitFor(
    async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined),
    60_000,
    "health",
  );

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve()),
  );

const groupDir = mkdtempSync(join(tmpdir(), "indgang-groupkill-"));

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill("SIGTERM");
      await Promise.race([exited(c), new Promise((r) => setTimeout(r, 10_000))]);
    }
    if (c.pid) killGroup(c.pid); // and whatever it left in its group (the Java child)
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(groupDir, { recursive: true, force: true });
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group is already gone
  }
}

type Accepted = { reference: string; statusUrl: string };

/** Every accepted request's public view, once each shows it delivered; fails after `timeoutMs`. */
function allDelivered(accepted: Accepted[], timeoutMs: number, what: string): Promise<PublicCaseView[]> {
  return waitFor(
    async () => {
      const all = await Promise.all(
        accepted.map(async (a) => {
          const res = await fetch(a.statusUrl, { headers: { accept: "application/json" } });
          return res.ok ? ((await res.json()) as PublicCaseView) : undefined;
        }),
      );
      return all.every((v) => v?.timeline.some((e) => e.event === "delivered"))
        ? (all as PublicCaseView[])
        : undefined;
    },
    timeoutMs,
    what,
  );
}

/** `writers` parallel clients submitting distinct requests until `stop()`; the 202s they got. */
function writers(port: number, count: number, round: number) {
  const accepted: Accepted[] = [];
  let stopped = false;
  let n = 0;
  const one = async () => {
    while (!stopped) {
      const i = n++;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/requests`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            ...aPayload(),
            request: {
              description: `Vi skal ansætte ${i + 2} nye medarbejdere, løbenummer ${i}-${port}-${round}.`,
            },
          }),
        });
        if (res.status === 202) accepted.push((await res.json()) as Accepted);
        else await res.body?.cancel();
      } catch {
        // the connection died with the service: that request got no 202, so it promised nothing
      }
    }
  };
  const running = Array.from({ length: count }, one);
  return {
    accepted,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
    },
  };
}

describe("a crash of the whole service", () => {
  it("loses no accepted request: every 202 is delivered exactly once after a restart", async () => {
    const port = await findFreePort();
    const first = startService(port);
    await healthy(port);

    const accepted: Accepted[] = [];
    let n = 0;
    let killed = false;
    const statuses: string[] = [];
    const client = async () => {
      while (!killed && n < 400) {
        const i = n++;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/requests`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              ...aPayload(),
              request: { description: `Vi skal ansætte ${i + 2} nye medarbejdere, løbenummer ${i}.` },
            }),
          });
          if (res.status === 202) accepted.push((await res.json()) as Accepted);
          else statuses.push(`${res.status} ${await res.text()}`);
        } catch (err) {
          statuses.push(`${err} ${(err as { cause?: unknown }).cause}`);
          // the connection died with the service: that request got no 202, so it promised nothing
        }
      }
    };
    const clients = Array.from({ length: 6 }, client);
    await waitFor(
      async () => (accepted.length >= 40 ? true : undefined),
      60_000,
      "40 accepted requests",
    ).catch((e) => {
      throw new Error(
        `${e}; n=${n} accepted=${accepted.length} other answers: ${statuses.slice(0, 3).join(" | ")}`,
      );
    });
    first.kill("SIGKILL");
    killed = true;
    await exited(first);
    await Promise.all(clients);
    expect(accepted.length).toBeGreaterThanOrEqual(40);

    // Same data directory; the orphaned DynamoDB Local of the killed run must not stand in the way.
    const restartedAt = Date.now();
    const second = startService(port);
    await healthy(port);

    const views = await allDelivered(accepted, 60_000, "every accepted request delivered");
    const seconds = (Date.now() - restartedAt) / 1000;
    console.info(
      `crash recovery: ${accepted.length} accepted before SIGKILL, all delivered ${seconds.toFixed(1)} s after the restart`,
    );
    expect(seconds).toBeLessThan(90);
    for (const v of views)
      expect(
        v.timeline.filter((e) => e.event === "delivered"),
        v.reference,
      ).toHaveLength(1);
    expect(new Set(views.map((v) => v.reference)).size).toBe(accepted.length);

    second.kill("SIGTERM");
    await exited(second);
    expect(second.exitCode).toBe(0);
  }, 240_000);

  it("loses no accepted request when the whole stack, DynamoDB Local included, is SIGKILLed again and again", async () => {
    const ROUNDS = 12;
    const port = await findFreePort();
    const accepted: Accepted[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const child = startService(port, groupDir);
      await healthy(port);
      const load = writers(port, 4, round);
      // A random moment under load: 0.3-2.3 s of parallel writes.
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 2000));
      if (child.pid) killGroup(child.pid);
      await exited(child);
      await load.stop();
      accepted.push(...load.accepted);
    }
    expect(accepted.length).toBeGreaterThan(ROUNDS * 5);

    const last = startService(port, groupDir);
    await healthy(port);
    const views = await allDelivered(accepted, 90_000, "every accepted request stored and delivered").catch(
      async (e) => {
        const missing = [];
        for (const a of accepted) {
          const res = await fetch(a.statusUrl, { headers: { accept: "application/json" } });
          if (!res.ok) missing.push(a.reference);
        }
        throw new Error(
          `${e}; ${missing.length} of ${accepted.length} accepted are not stored: ${missing.join(", ")}`,
        );
      },
    );
    console.info(
      `whole-stack SIGKILL: ${ROUNDS} kills, ${accepted.length} accepted, ${views.length} stored and delivered`,
    );
    for (const v of views)
      expect(
        v.timeline.filter((e) => e.event === "delivered"),
        v.reference,
      ).toHaveLength(1);
    expect(new Set(views.map((v) => v.reference)).size).toBe(accepted.length);
    last.kill("SIGTERM");
    await exited(last);
  }, 420_000);
});

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPayload, startTestService } from "#tests/support/local.ts";

/**
 * DynamoDB Local answers a TransactWriteItems before its SQLite COMMIT has run (local/commit-barrier.ts).
 * Here the COMMIT is made to fail for certain: another process (the sqlite3 shell) holds a read lock
 * on the database file, so DynamoDB Local cannot commit. Without the barrier the intake answered 202
 * for a case that was never stored; with it, the intake must refuse (503) and store nothing.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
let holder: ChildProcess | undefined;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  if (holder?.pid && holder.exitCode === null) process.kill(-holder.pid, "SIGKILL");
  await svc?.stop();
});

/** Holds a shared lock on the database file until killed; resolves once the lock is taken. */
function lockDatabase(file: string): Promise<ChildProcess> {
  const child = spawn(
    "sh",
    ["-c", `(echo "BEGIN; SELECT count(*) FROM sqlite_master;"; sleep 30) | sqlite3 "${file}"`],
    {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("error", reject);
  });
}

describe("an acknowledged request is a stored request on the local stack", () => {
  it("answers 503, not 202, when DynamoDB Local cannot commit the intake's transaction", async () => {
    execFileSync("sqlite3", ["-version"]); // fails loudly where the sqlite3 shell is missing
    const submit = () =>
      fetch(`${svc.url}/api/requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(aPayload()),
      });
    holder = await lockDatabase(join(svc.dataDir, "shared-local-instance.db"));
    const refused = await submit();
    expect(refused.status).toBe(503);
    const released = new Promise((resolve) => holder?.once("exit", resolve));
    if (holder.pid) process.kill(-holder.pid, "SIGKILL");
    await released;

    // Once the lock is gone the same stack accepts, and what it acknowledged is there.
    const accepted = await submit();
    expect(accepted.status).toBe(202);
    const { statusUrl } = (await accepted.json()) as { statusUrl: string };
    expect((await fetch(statusUrl, { headers: { accept: "application/json" } })).status).toBe(200);
  });
});

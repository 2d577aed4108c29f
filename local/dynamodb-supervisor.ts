import { setTimeout as sleep } from "node:timers/promises";
import { type DynamoDbLocal, type DynamoDbLocalOptions, startDynamoDbLocal } from "./dynamodb.ts";

/** What a supervised DynamoDB Local reports: a death it recovered from, or one it could not. */
export interface SupervisorEvents {
  restarted(info: { pid: number; afterMs: number }): void;
  /** Restarting failed `attempts` times: the stack cannot work; the caller should exit loudly. */
  gaveUp(err: unknown): void;
}

/**
 * DynamoDB Local that is started again, on the same port and data, when it dies on its own (a
 * SIGKILL, the OOM killer, a crash): without this, the service answered 503 until someone restarted
 * it by hand. The data survives a kill (`-dbPath`; acknowledged transactions through the commit
 * barrier, commit-barrier.ts). Three failed restarts in a row and it gives up (`gaveUp`).
 */
export async function startSupervisedDynamoDbLocal(
  options: DynamoDbLocalOptions,
  events: SupervisorEvents,
): Promise<DynamoDbLocal> {
  let current = await startDynamoDbLocal(options);
  const port = current.port;
  let stopped = false;
  const watch = (db: DynamoDbLocal): void => {
    void db.exited.then(async () => {
      if (stopped) return;
      const diedAt = Date.now();
      let last: unknown;
      for (let attempt = 1; attempt <= 3 && !stopped; attempt++) {
        try {
          current = await startDynamoDbLocal({ ...options, port });
          watch(current);
          events.restarted({ pid: current.pid, afterMs: Date.now() - diedAt });
          return;
        } catch (err) {
          last = err;
          await sleep(1_000 * attempt);
        }
      }
      if (!stopped) events.gaveUp(last);
    });
  };
  watch(current);
  return {
    endpoint: current.endpoint,
    port,
    get pid() {
      return current.pid;
    },
    get exited() {
      return current.exited;
    },
    stop: async () => {
      stopped = true;
      await current.stop();
    },
  };
}

/**
 * The SQS emulator fauxqs, run in-process and bound to the loopback interface only.
 *
 * `startFauxqs()` always listens on 0.0.0.0, so this builds the fauxqs Fastify app with `buildApp()`
 * and listens on 127.0.0.1 itself. Queue URLs come out as
 * `http://sqs.<region>.localhost:<port>/000000000000/<name>`: the host name is never resolved, because
 * an SQS client configured with an explicit `endpoint` sends every request to that endpoint and only
 * passes the QueueUrl along as a parameter. fauxqs looks queues up by their exact URL.
 * State is in memory only: queues and messages are gone after `stop()`.
 */
import { buildApp } from "fauxqs";

export interface SqsLocalOptions {
  /** TCP port; 0 or undefined picks a free one. */
  port?: number;
  /** Region used in queue URLs and ARNs when a request does not name one. */
  region: string;
}

export interface SqsLocal {
  /** e.g. `http://127.0.0.1:4566`: use it as the SQS client's `endpoint`. */
  endpoint: string;
  port: number;
  /** A queue's URL minus its name, e.g. `http://sqs.eu-north-1.localhost:4566/000000000000/`. */
  queueUrlPrefix: string;
  stop(): Promise<void>;
}

/** Account id fauxqs uses in every queue URL and ARN. */
export const FAUXQS_ACCOUNT_ID = "000000000000";
/** Host name fauxqs writes into queue URLs (`sqs.<region>.<host>:<port>`). */
const QUEUE_URL_HOST = "localhost";

export async function startSqsLocal(options: SqsLocalOptions): Promise<SqsLocal> {
  const app = buildApp({ logger: false, host: QUEUE_URL_HOST, defaultRegion: options.region });
  await app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") {
    await app.close();
    throw new Error("fauxqs: could not determine the listening port");
  }
  const port = address.port;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    queueUrlPrefix: `http://sqs.${options.region}.${QUEUE_URL_HOST}:${port}/${FAUXQS_ACCOUNT_ID}/`,
    // fauxqs closes with forceCloseConnections and cancels pending long polls in a preClose hook.
    stop: () => {
      stopping ??= app.close().then(() => undefined);
      return stopping;
    },
  };
}

import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { caseLinkSecret, statusTokens } from "#functions/commons/case-link-secret.ts";
import { type AppContext, createContext } from "#functions/commons/context.ts";
import { JsonLog, type LogLevel } from "#functions/commons/json-logger.ts";
import { createPublicApp } from "#functions/http/public-app.tsx";
import { createStaffApp, STAFF_PATH_PREFIXES } from "#functions/http/staff-app.tsx";
import {
  companyAcknowledger,
  createDeliveryHandler,
  deliveryNotifier,
} from "#functions/workers/delivery-handler.ts";
import { createSweeperHandler } from "#functions/workers/sweeper-handler.ts";
import { createTriageHandler } from "#functions/workers/triage-handler.ts";
import { loadConfig } from "#shared/config.ts";
import { receiveReply } from "#shared/conversation/inbound.ts";
import type { Principal } from "#shared/principal.ts";
import { DEFAULT_CONSORTIUM_IDS } from "#shared/reference/consortia.ts";
import { consortiumQueue, INTAKE_QUEUE, MANUAL_QUEUE, type QueueDefinition } from "#shared/resources.ts";
import { CallRecorder, type FunctionName } from "./call-recorder.ts";
import { localCaseLinkSecret } from "./case-link-secret.ts";
import { addCommitBarrier } from "./commit-barrier.ts";
import { devAuth } from "./dev-auth.ts";
import { DEV_PATH_PREFIXES, devSignIn } from "./dev-sign-in.tsx";
import { findFreePort, LOCAL_CREDENTIALS } from "./dynamodb.ts";
import { startSupervisedDynamoDbLocal } from "./dynamodb-supervisor.ts";
import { outboxMailSender } from "./outbox-mail.ts";
import { outboxPage } from "./outbox-page.tsx";
import { type Poller, type SqsBatchHandler, startPoller } from "./poller.ts";
import { ensureConsortiumQueue, provision } from "./provision.ts";
import { startSmtpReceiver } from "./smtp-receiver.ts";
import { startSqsLocal } from "./sqs.ts";

export interface LocalServiceOptions {
  dataDir: string;
  /** HTTP port (0: a free one). */
  port: number;
  dynamoPort?: number;
  sqsPort?: number;
  region?: string;
  prefix?: string;
  sweepIntervalMs?: number;
  sweepAfterSeconds?: number;
  /** Long-poll wait of the pollers; short in tests so that stop() is quick. */
  pollWaitSeconds?: number;
  /** Overrides the queues' visibility timeout for received messages (tests: fast retries). */
  visibilityTimeoutSeconds?: number;
  logLevel?: LogLevel;
  /** The loopback SMTP receiver of the companies' replies (0 or unset: a free port). */
  smtpPort?: number;
  /** Extra environment for the service's configuration (e.g. RULES_CACHE_SECONDS). */
  env?: Record<string, string>;
  /**
   * DynamoDB Local died and could not be started again: the stack cannot work. `npm start` exits
   * non-zero (a supervisor can restart it); by default it is only logged.
   */
  onFatal?: (err: unknown) => void;
}

export interface LocalService {
  url: string;
  ctx: AppContext;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** pid of DynamoDB Local's java process (the benchmark reads its CPU time). */
  dynamoPid: number;
  /** Port of the SMTP receiver on 127.0.0.1 (replies to svar+…@svar.localhost). */
  smtpPort: number;
  /** The IAM actions each function's handlers have needed so far (local/call-recorder.ts). */
  calls: ReadonlyMap<FunctionName, ReadonlySet<string>>;
  /** A dev sign-in token (what `POST /api/dev/token` answers), optionally with another lifetime. */
  issueToken(p: Principal, seconds?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The embedded local stack: DynamoDB Local and fauxqs, the table and queues provisioned from
 * shared/resources.ts, pollers that run the SAME worker handlers Lambda runs, the sweeper on an
 * interval, and the public HTTP app on loopback. Only this start-up and the pollers are local-only.
 */
export async function startLocalService(o: LocalServiceOptions): Promise<LocalService> {
  const region = o.region ?? "eu-north-1";
  const prefix = o.prefix ?? "indgang-local";
  mkdirSync(o.dataDir, { recursive: true });
  // Known before the server starts, so that status links carry the real address.
  const httpPort = o.port || (await findFreePort());
  const log = new JsonLog({ level: o.logLevel ?? "INFO" });
  const [dynamo, sqsLocal] = await Promise.all([
    // Started again on the same port and data if it dies on its own; /health says so meanwhile.
    startSupervisedDynamoDbLocal(
      { dataDir: o.dataDir, ...(o.dynamoPort ? { port: o.dynamoPort } : {}) },
      {
        restarted: (info) => log.warn("DynamoDB Local died on its own; started again", info),
        gaveUp: (err) => {
          log.error("DynamoDB Local died and could not be started again", { error: String(err) });
          o.onFatal?.(err);
        },
      },
    ),
    startSqsLocal({ region, ...(o.sqsPort ? { port: o.sqsPort } : {}) }),
  ]);
  const stops: (() => Promise<void>)[] = [() => sqsLocal.stop(), () => dynamo.stop()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const config = loadConfig({
      AWS_REGION: region,
      RESOURCE_PREFIX: prefix,
      QUEUE_URL_PREFIX: sqsLocal.queueUrlPrefix,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SQS_ENDPOINT: sqsLocal.endpoint,
      INDGANG_MODE: "local",
      // Where the server listens (below): `localhost` may resolve to ::1 first, where nothing listens.
      PUBLIC_BASE_URL: `http://127.0.0.1:${httpPort}`,
      ...(o.sweepAfterSeconds ? { SWEEP_AFTER_SECONDS: String(o.sweepAfterSeconds) } : {}),
      CASE_LINK_SECRET: o.env?.CASE_LINK_SECRET ?? localCaseLinkSecret(o.dataDir),
      // The companies' replies go to svar+…@svar.localhost: the loopback SMTP receiver's domain.
      REPLY_DOMAIN: "svar.localhost",
      ...o.env,
    });
    const ctx = createContext(config, log);
    const recorder = new CallRecorder();
    recorder.watch(ctx.db, "dynamodb");
    recorder.watch(ctx.sqs, "sqs");

    const dynamodb = new DynamoDBClient({
      region,
      endpoint: dynamo.endpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    const sqs = new SQSClient({ region, endpoint: sqsLocal.endpoint, credentials: LOCAL_CREDENTIALS });
    // DynamoDB Local acknowledges a transaction before its COMMIT ran: wait for it (commit-barrier.ts),
    // reading back through the unwatched client (the read is the local stack's, not the service's).
    addCommitBarrier(ctx.db, dynamodb);
    const provisioned = await provision({
      dynamodb,
      sqs,
      prefix,
      consortiumIds: [...DEFAULT_CONSORTIUM_IDS],
    });
    // Consortia an administrator added since (stored in the table) need their queues too.
    const directory = await ctx.consortia();
    const queues = { ...provisioned.queueUrls };
    for (const c of directory.consortia) {
      const def = consortiumQueue(c.id);
      queues[def.suffix] ??= await ensureConsortiumQueue(sqs, prefix, c.id);
    }

    const triage = recorder.as("triageWorker", createTriageHandler(ctx));
    // No SES locally: e-mail notices and the companies' e-mails are JSON files in <data dir>/outbox/.
    const outbox = outboxMailSender(join(o.dataDir, "outbox"), ctx.log);
    const delivery = recorder.as(
      "deliveryWorker",
      createDeliveryHandler(ctx, deliveryNotifier(ctx, outbox), companyAcknowledger(ctx, outbox)),
    );
    const pollers: Poller[] = [];
    const poll = (def: QueueDefinition, handler: SqsBatchHandler) => {
      const q = queues[def.suffix];
      if (!q) throw new Error(`queue ${def.suffix} was not provisioned`);
      pollers.push(
        startPoller({
          sqs,
          queueUrl: q.url,
          queueArn: q.arn,
          handler,
          functionName: `local-${def.suffix}`,
          waitTimeSeconds: o.pollWaitSeconds ?? 20,
          ...(o.visibilityTimeoutSeconds ? { visibilityTimeoutSeconds: o.visibilityTimeoutSeconds } : {}),
          onError: (err) => ctx.log.warn("poller error", { queue: def.suffix, error: String(err) }),
        }),
      );
    };
    poll(INTAKE_QUEUE, triage);
    poll(MANUAL_QUEUE, delivery);
    for (const c of directory.consortia) poll(consortiumQueue(c.id), delivery);
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });
    await Promise.all(pollers.map((p) => p.ready));

    const sweeper = recorder.as("sweeper", createSweeperHandler(ctx));
    const sweepNow = () =>
      sweeper({}, lambdaContext("local-sweeper")).catch((err) =>
        ctx.log.error("sweeper failed", { error: String(err) }),
      );
    // Once at start: after a crash, the cases the emulator's lost messages carried go on at once.
    void sweepNow();
    const timer = setInterval(sweepNow, o.sweepIntervalMs ?? 10_000);
    timer.unref();
    stops.push(async () => clearInterval(timer));

    let running = true;
    stops.push(async () => {
      running = false;
    });
    // Health, part by part: the table answers, the intake queue answers, every poller runs.
    const intakeUrl = queues[INTAKE_QUEUE.suffix]?.url;
    const answers = (call: Promise<unknown>) =>
      call.then(
        () => true,
        () => false,
      );
    const health = async () => {
      const signal = AbortSignal.timeout(2_000);
      const [database, queue] = await Promise.all([
        answers(
          dynamodb.send(new DescribeTableCommand({ TableName: config.tableName }), { abortSignal: signal }),
        ),
        answers(
          sqs.send(new GetQueueAttributesCommand({ QueueUrl: intakeUrl, AttributeNames: ["QueueArn"] }), {
            abortSignal: signal,
          }),
        ),
      ]);
      return { database, queue, workers: running && pollers.every((p) => p.running()) };
    };
    // Dev sign-in: tokens signed with a secret that lives only as long as this process.
    const dev = devAuth(randomBytes(32).toString("base64url"));
    // A consortium added by an administrator gets its queue pair and a poller at once.
    const provisionConsortium = async (consortiumId: string) => {
      const def = consortiumQueue(consortiumId);
      if (queues[def.suffix]) return;
      queues[def.suffix] = await ensureConsortiumQueue(sqs, prefix, consortiumId);
      poll(def, delivery);
      await pollers.at(-1)?.ready;
    };
    const staff = createStaffApp({
      ...ctx,
      verifier: dev.verifier,
      devSignIn: devSignIn({ devTokens: (p) => dev.issue(p), consortia: ctx.consortia }),
      provisionConsortium,
      mail: outbox,
      caseLinkSecret: caseLinkSecret(config),
    });
    const tokens = statusTokens(config);
    const publicApp = createPublicApp({
      ...ctx,
      health,
      rateLimitPerMinute: config.INTAKE_RATE_LIMIT_PER_MINUTE,
      ...(tokens ? { statusTokenFor: tokens } : {}),
      caseLinkSecret: caseLinkSecret(config),
      // Locally the socket's address is the client (no proxy in front to set X-Forwarded-For).
      clientKey: (c) => getConnInfo(c).remote.address ?? "unknown",
    });
    // Only here: the outbox as its recipients read it (local/outbox-page.tsx).
    let smtpPort = 0;
    const outboxApp = outboxPage({ dir: join(o.dataDir, "outbox"), smtpPort: () => smtpPort });
    // API Gateway routes by path on AWS; locally one server dispatches the same way.
    const app = {
      // `env` carries the Node request (the client's address for the rate limit): pass it on.
      fetch: (req: Request, env: unknown) =>
        new URL(req.url).pathname.startsWith("/dev/outbox")
          ? outboxApp.fetch(req, env)
          : [...STAFF_PATH_PREFIXES, ...DEV_PATH_PREFIXES].some((prefix) => {
                const path = new URL(req.url).pathname;
                return path === prefix || path.startsWith(`${prefix}/`);
              })
            ? recorder.as("staffApi", staff.fetch)(req, env)
            : recorder.as("publicApi", publicApp.fetch)(req, env),
    };
    const server = serve({ fetch: app.fetch, port: httpPort, hostname: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections would hold close() open.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    // The companies' e-mail replies (SES inbound's function on AWS).
    const smtp = await startSmtpReceiver(
      { cases: ctx.cases, now: ctx.now, log, caseLinkSecret: caseLinkSecret(config), config },
      { port: o.smtpPort ?? 0, log, receive: recorder.as("inboundMail", receiveReply) },
    );
    stops.push(smtp.stop);
    smtpPort = smtp.port;
    return {
      smtpPort: smtp.port,
      url: `http://127.0.0.1:${port}`,
      ctx,
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqsLocal.endpoint,
      dynamoPid: dynamo.pid,
      calls: recorder.calls,
      issueToken: dev.issue,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The Lambda context a scheduled local invocation gets. */
function lambdaContext(functionName: string) {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * `npm start`: Indgang on the embedded local stack. Configuration (all optional):
 *   PORT (3000), DATA_DIR (./.data), DYNAMODB_PORT, SQS_PORT (free ports), SMTP_PORT (2525: the
 *   replies' receiver), SWEEP_AFTER_SECONDS (60), LOG_LEVEL (INFO), and the service settings
 *   INTAKE_RATE_LIMIT_PER_MINUTE, RETENTION_DAYS, RULES_CACHE_SECONDS, WEBHOOK_SECRET,
 *   CASE_LINK_SECRET (see shared/config.ts).
 */
import { resolve } from "node:path";
import { isLogLevel, LOG_LEVELS } from "#functions/commons/json-logger.ts";
import { startLocalService } from "./embedded-service.ts";
import { storeExampleConsultants } from "./example-consultants.ts";
import { javaProblem } from "./java.ts";

const env = process.env;
// First: without Java, DynamoDB Local would fail only once everything else is starting.
const noJava = javaProblem(env);
if (noJava) {
  console.error(noJava);
  process.exit(1);
}
const PASS_THROUGH = [
  "INTAKE_RATE_LIMIT_PER_MINUTE",
  "RETENTION_DAYS",
  "RULES_CACHE_SECONDS",
  "WEBHOOK_SECRET",
  "CASE_LINK_SECRET",
] as const;
// Known and pinned (see README): the SDK's notice that its releases after January 2027 need Node 22.
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const port = Number(env.PORT ?? 3000);
const dataDir = resolve(env.DATA_DIR ?? ".data");
const logLevel = (env.LOG_LEVEL ?? "INFO").toUpperCase();
if (!isLogLevel(logLevel)) {
  console.error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; got ${env.LOG_LEVEL}`);
  process.exit(2);
}

const started = Date.now();
const service = await startLocalService({
  dataDir,
  port,
  logLevel,
  ...(env.DYNAMODB_PORT ? { dynamoPort: Number(env.DYNAMODB_PORT) } : {}),
  ...(env.SQS_PORT ? { sqsPort: Number(env.SQS_PORT) } : {}),
  smtpPort: Number(env.SMTP_PORT ?? 2525),
  ...(env.SWEEP_AFTER_SECONDS ? { sweepAfterSeconds: Number(env.SWEEP_AFTER_SECONDS) } : {}),
  // Exit loudly rather than serve 503s forever: a supervisor (or the developer) sees it and restarts.
  onFatal: () => {
    console.error("DynamoDB Local is down and could not be started again: stopping (exit 1).");
    void service.stop().finally(() => process.exit(1));
  },
  // The service's own settings (shared/config.ts) that make sense locally pass through as given.
  env: Object.fromEntries(
    PASS_THROUGH.flatMap((key) => (env[key] === undefined ? [] : [[key, env[key] as string]])),
  ),
});

// An empty data directory gets example consultants, so assignment and notices work at once.
if (await storeExampleConsultants(service.ctx))
  console.log("Stored example consultants (three per consortium).");

console.log(`
Indgang is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)
  Web form        ${service.url}/
  Intake API      POST ${service.url}/api/requests
  API docs        ${service.url}/api/docs   (OpenAPI: ${service.url}/api/openapi.json)
  Health          ${service.url}/health
  DynamoDB Local  ${service.dynamoEndpoint}   (data in ${dataDir})
  SQS (fauxqs)    ${service.sqsEndpoint}
  Outbox          ${service.url}/dev/outbox   (the e-mails the service sent)
  Replies (SMTP)  127.0.0.1:${service.smtpPort}   (svar+…@svar.localhost)
Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    service.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}

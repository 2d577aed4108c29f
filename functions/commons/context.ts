import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AuditLog } from "../../shared/admin/audit.ts";
import { cached } from "../../shared/cached.ts";
import { CaseStore } from "../../shared/cases/store.ts";
import { type Config, loadConfig } from "../../shared/config.ts";
import { NO_METRICS } from "../../shared/metrics.ts";
import { webhookNotifier } from "../../shared/notify.ts";
import { CaseQueues } from "../../shared/queues.ts";
import { ConsortiumProvider } from "../../shared/reference/provider.ts";
import { RuleSetProvider } from "../../shared/rules/provider.ts";
import type { WorkflowDeps } from "../../shared/workflow.ts";
import { powertoolsFlowMetrics } from "./metrics.ts";

/**
 * Everything a handler needs, built once per process from configuration. Lambda entries use
 * `defaultContext()`; `npm start` and the integration tests build one for the local emulators.
 */
export interface AppContext extends WorkflowDeps {
  config: Config;
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  logger: Logger;
  audit: AuditLog;
}

export function createContext(config: Config, logger = new Logger({ serviceName: "indgang" })): AppContext {
  // Locally the emulators take any credentials; on AWS the SDK finds the function's role.
  const local = { credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  const dynamodb = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT, ...local } : {}),
  });
  const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({
    region: config.AWS_REGION,
    ...(config.SQS_ENDPOINT ? { endpoint: config.SQS_ENDPOINT, ...local } : {}),
  });
  const rules = new RuleSetProvider(db, config.tableName, config.RULES_CACHE_SECONDS);
  const consortia = new ConsortiumProvider(db, config.tableName, config.RULES_CACHE_SECONDS);
  return {
    config,
    db,
    sqs,
    logger,
    log: logger,
    cases: new CaseStore(db, config.tableName),
    audit: new AuditLog(db, config.tableName),
    queues: new CaseQueues(sqs, config.QUEUE_URL_PREFIX, config.RESOURCE_PREFIX),
    rules: rules.active,
    consortia: consortia.current,
    now: () => new Date().toISOString(),
    notify: webhookNotifier(webhookSecret(config), logger),
    metrics: config.INDGANG_MODE === "local" ? NO_METRICS : powertoolsFlowMetrics(),
  };
}

/**
 * The key that signs webhook notices: WEBHOOK_SECRET locally, or read from Secrets Manager on AWS
 * (once per container, only when a notice is actually sent) — never in code, config files or logs.
 */
function webhookSecret(config: Config): () => Promise<string | undefined> {
  if (config.WEBHOOK_SECRET || !config.WEBHOOK_SECRET_ARN) return async () => config.WEBHOOK_SECRET;
  const arn = config.WEBHOOK_SECRET_ARN;
  return cached(async () => {
    const client = new SecretsManagerClient({ region: config.AWS_REGION });
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  }, 15 * 60_000);
}

let instance: AppContext | undefined;

/** The context of a Lambda function: configuration from its environment, built on first use. */
export function defaultContext(): AppContext {
  instance ??= createContext(loadConfig());
  return instance;
}

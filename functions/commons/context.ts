import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AuditLog } from "#shared/admin/audit.ts";
import { CaseStore } from "#shared/cases/store.ts";
import { type Config, loadConfig } from "#shared/config.ts";
import type { Log } from "#shared/log.ts";
import { NO_METRICS } from "#shared/metrics.ts";
import { CaseQueues } from "#shared/queues.ts";
import { ConsortiumProvider } from "#shared/reference/consortium-directory.ts";
import type { WorkflowDeps } from "#shared/workflow.ts";
import { emfFlowMetrics } from "./emf-metrics.ts";
import { JsonLog } from "./json-logger.ts";

/**
 * What every handler needs, built once per process from configuration. Lambda entries use
 * `defaultContext()`; `npm start` and the integration tests build one for the local emulators.
 * What only one function needs is built by that function's handler, so other bundles do not carry
 * it: the active rule set (rules engine, stemmers, default rules) by the triage worker, the signed
 * webhook notifier (and Secrets Manager) by the delivery worker.
 */
export interface AppContext extends Omit<WorkflowDeps, "rules" | "notify"> {
  config: Config;
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  audit: AuditLog;
}

export function createContext(config: Config, log: Log = new JsonLog()): AppContext {
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
  const consortia = new ConsortiumProvider(db, config.tableName, config.RULES_CACHE_SECONDS);
  return {
    config,
    db,
    sqs,
    log,
    cases: new CaseStore(db, config.tableName),
    audit: new AuditLog(db, config.tableName),
    queues: new CaseQueues(sqs, config.QUEUE_URL_PREFIX, config.RESOURCE_PREFIX),
    consortia: consortia.current,
    now: () => new Date().toISOString(),
    metrics: config.INDGANG_MODE === "local" ? NO_METRICS : emfFlowMetrics(config.METRICS_NAMESPACE),
  };
}

let instance: AppContext | undefined;

/** The context of a Lambda function: configuration from its environment, built on first use. */
export function defaultContext(): AppContext {
  instance ??= createContext(loadConfig());
  return instance;
}

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CreateResult, IdempotencyKey } from "#shared/cases/flow-writes.ts";
import type { CaseRecord, Decision } from "#shared/cases/model.ts";
import { CaseStore } from "#shared/cases/store.ts";
import { type Config, loadConfig } from "#shared/config.ts";
import type { IntakePayload } from "#shared/intake/request-schema.ts";
import type { Log } from "#shared/log.ts";
import { CaseQueues } from "#shared/queues.ts";

/**
 * In-memory fakes. CaseStore and CaseQueues are classes with private fields, so a plain object cannot
 * have their types; subclasses that override every method the app uses can, without a cast. The SDK
 * clients handed to `super` are never used: nothing here reaches the network.
 */
export class FakeCaseStore extends CaseStore {
  readonly created: { record: CaseRecord; statusToken: string; keys: IdempotencyKey[] }[] = [];
  readonly gets: string[] = [];
  readonly records = new Map<string, CaseRecord>();

  constructor() {
    super(DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-north-1" })), "unit-test-table");
  }

  override async create(
    record: CaseRecord,
    statusToken: string,
    keys: IdempotencyKey[],
  ): Promise<CreateResult> {
    this.created.push({ record, statusToken, keys });
    this.records.set(record.reference, record);
    return { created: true };
  }

  override async get(reference: string): Promise<CaseRecord | undefined> {
    this.gets.push(reference);
    return this.records.get(reference);
  }

  readonly batchReads: string[][] = [];
  /** Set to make the next batch reads fail (as a throttled BatchGetItem would). */
  failBatchReads = false;

  override async getMany(references: readonly string[]): Promise<Map<string, CaseRecord>> {
    this.batchReads.push([...references]);
    if (this.failBatchReads) throw new Error("ProvisionedThroughputExceededException");
    return new Map(
      references.flatMap((r) => {
        const c = this.records.get(r);
        return c ? [[r, c] as const] : [];
      }),
    );
  }

  readonly decisions: string[] = [];

  override async recordDecision(reference: string, decision: Decision): Promise<boolean> {
    const c = this.records.get(reference);
    if (c?.status !== "received") return false;
    this.decisions.push(reference);
    const manual = decision.route.queue === "manual";
    this.records.set(reference, {
      ...c,
      status: manual ? "manual_triage" : "routed",
      ...(decision.route.consortiumId ? { consortiumId: decision.route.consortiumId } : {}),
      decision,
    });
    return true;
  }

  override async recordError(): Promise<boolean> {
    return true;
  }
}

export class FakeQueues extends CaseQueues {
  readonly sent: string[] = [];

  constructor() {
    super(new SQSClient({ region: "eu-north-1" }), "http://queues.invalid/", "unit-test");
  }

  override async toIntake(reference: string): Promise<void> {
    this.sent.push(reference);
  }

  override async toInbox(reference: string): Promise<void> {
    this.sent.push(reference);
  }
}

export class MemoryLog implements Log {
  readonly lines: { level: string; message: string }[] = [];
  info(message: string) {
    this.lines.push({ level: "info", message });
  }
  warn(message: string) {
    this.lines.push({ level: "warn", message });
  }
  error(message: string) {
    this.lines.push({ level: "error", message });
  }
}

/** A valid request (a Copenhagen café that needs cooks), as stored on a case. */
export const CAFE_PAYLOAD: IntakePayload = {
  company: { cvr: "11696422", name: "Café Nørrebro ApS", municipalityCode: "101" },
  contact: { name: "Mette Hansen", email: "mette@cafe.example.dk", language: "da" },
  request: { description: "Vi søger to kokke til fast ansættelse.", needHints: [] },
  consent: true,
};

/**
 * A configuration whose DynamoDB and SQS endpoints point nowhere (port 9, discard): for unit tests
 * of routes that must not, and do not, reach storage. `env` adds or overrides settings.
 */
export function offlineConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    QUEUE_URL_PREFIX: "http://127.0.0.1:9/000000000000/",
    DYNAMODB_ENDPOINT: "http://127.0.0.1:9",
    SQS_ENDPOINT: "http://127.0.0.1:9",
    ...env,
  });
}

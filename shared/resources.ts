/**
 * The one description of Indgang's storage and transport resources. The CDK stack (`infra/`) and
 * the embedded local stack (`local/`) both build their table and queues from these definitions, and
 * the runtime code derives names from them, so names, keys, indexes and DLQ settings cannot drift.
 */

export const TABLE = {
  /** Logical name; the deployed name is `${prefix}-cases`. */
  suffix: "cases",
  partitionKey: "pk",
  sortKey: "sk",
  /** DynamoDB TTL attribute (epoch seconds): idempotency keys and expired personal data. */
  ttlAttribute: "expiresAt",
  /**
   * Each index projects only what its readers use: an index write copies the projected attributes,
   * so ALL on every index made each case write cost its whole item four more times.
   */
  indexes: {
    /**
     * A consortium's inbox, newest first: gsi1pk = CONSORTIUM#<id>, gsi1sk = <receivedAt>#<reference>.
     * ALL: the inbox lists and filters whole cases.
     */
    byConsortium: { name: "byConsortium", partitionKey: "gsi1pk", sortKey: "gsi1sk", projection: "ALL" },
    /**
     * A company's cases across consortia: gsi2pk = CVR#<cvr>, gsi2sk = <receivedAt>#<reference>.
     * Keys only: its readers (case history, personal-data export and erasure) read the cases by key.
     */
    byCompany: { name: "byCompany", partitionKey: "gsi2pk", sortKey: "gsi2sk", projection: "KEYS_ONLY" },
    /**
     * Sparse: only cases not yet delivered carry gsi3pk = PENDING; gsi3sk = <updatedAt>#<reference>.
     * The sweeper reads it to find stuck cases without scanning the table, and needs only these.
     */
    pending: {
      name: "pending",
      partitionKey: "gsi3pk",
      sortKey: "gsi3sk",
      projection: ["reference", "status", "consortiumId"],
    },
    /**
     * All cases by day received (gsi4pk = RECEIVED#<yyyy-mm-dd>). It holds what the statistics and
     * the campaign counts read, no company, contact, request text or timeline: a case's notes are
     * not copied into it on every change. Backtests read the cases themselves by key.
     */
    byDay: {
      name: "byDay",
      partitionKey: "gsi4pk",
      sortKey: "gsi4sk",
      projection: [
        "reference",
        "status",
        "receivedAt",
        "needs",
        "consortiumId",
        "outcome",
        "closedAt",
        "firstClaimedAt",
        "campaignId",
        "firstContactAt",
        "ratingScore",
      ],
    },
  },
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** What an index copies from the item besides the keys: everything, nothing, or these attributes. */
export type IndexProjection = "ALL" | "KEYS_ONLY" | readonly string[];

/** SQS settings shared by every queue pair: visibility 6× the consumer timeout, five receives before the DLQ (AWS guidance for SQS → Lambda). */
export const QUEUE_DEFAULTS = {
  /** Worker timeout in seconds; the queue's visibility timeout is 6x this. */
  consumerTimeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
  maxReceiveCount: 5,
  retentionSeconds: 4 * 24 * 3600,
  dlqRetentionSeconds: 14 * 24 * 3600,
  batchSize: 10,
} as const;

export type QueueRole = "intake" | "consortium" | "manual";

export interface QueueDefinition {
  /** Queue name without the stack prefix. */
  suffix: string;
  role: QueueRole;
  /** Which worker consumes it. */
  consumer: "triage" | "delivery";
  consortiumId?: string;
}

export const INTAKE_QUEUE: QueueDefinition = { suffix: "intake", role: "intake", consumer: "triage" };
export const MANUAL_QUEUE: QueueDefinition = {
  suffix: "manual-triage",
  role: "manual",
  consumer: "delivery",
};

export function consortiumQueue(consortiumId: string): QueueDefinition {
  return { suffix: `consortium-${consortiumId}`, role: "consortium", consumer: "delivery", consortiumId };
}

/** Every queue the service needs for a given list of consortia (DLQs are derived: `<name>-dlq`). */
export function queueDefinitions(consortiumIds: readonly string[]): QueueDefinition[] {
  return [INTAKE_QUEUE, MANUAL_QUEUE, ...consortiumIds.map(consortiumQueue)];
}

export function tableName(prefix: string): string {
  return `${prefix}-${TABLE.suffix}`;
}

export function queueName(prefix: string, def: Pick<QueueDefinition, "suffix">): string {
  return `${prefix}-${def.suffix}`;
}

export function dlqName(prefix: string, def: Pick<QueueDefinition, "suffix">): string {
  return `${prefix}-${def.suffix}-dlq`;
}

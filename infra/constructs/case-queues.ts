import { Duration, Validations } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  dlqName,
  QUEUE_DEFAULTS,
  type QueueDefinition,
  queueDefinitions,
  queueName,
} from "#shared/resources.ts";

/** A work queue, its dead-letter queue and the settings a consumer must respect. */
export interface IndgangQueue {
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** The queue's visibility timeout; a consumer's timeout must be at most a sixth of it. */
  readonly visibilityTimeout: Duration;
}

export interface QueuesProps {
  /** `indgang-<stage>`. */
  readonly prefix: string;
  readonly consortiumIds: readonly string[];
}

/** The multiple of the consumer timeout that a visibility timeout must reach (AWS guidance). */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/**
 * Every queue of `queueDefinitions(consortiumIds)` from shared/resources.ts (intake, manual triage,
 * one per consortium), each with its own dead-letter queue. Secure defaults on all of them:
 * SQS-managed server-side encryption, a queue policy that denies non-TLS requests, redrive after
 * `QUEUE_DEFAULTS.maxReceiveCount` receives, and 14 days in the DLQ to investigate and redrive.
 *
 * SSE-SQS rather than a KMS key: messages carry only a case reference (the case lives in
 * DynamoDB), so a customer-managed key would add cost and KMS calls without protecting anything
 * that is not already in the table.
 */
export class Queues extends Construct {
  readonly all: readonly IndgangQueue[];
  readonly intake: IndgangQueue;
  readonly manual: IndgangQueue;
  readonly consortia: readonly IndgangQueue[];
  /**
   * Dead-letter queue of the scheduled sweeper: events EventBridge could not deliver and
   * asynchronous invocations that failed after Lambda's retries.
   */
  readonly sweeperDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);

    if (
      QUEUE_DEFAULTS.visibilityTimeoutSeconds <
      VISIBILITY_TO_TIMEOUT_RATIO * QUEUE_DEFAULTS.consumerTimeoutSeconds
    ) {
      throw new Error("QUEUE_DEFAULTS: visibility timeout must be at least 6x the consumer timeout");
    }
    if (QUEUE_DEFAULTS.maxReceiveCount < 5) throw new Error("QUEUE_DEFAULTS: maxReceiveCount must be >= 5");

    this.all = queueDefinitions(props.consortiumIds).map((definition) => this.pair(props.prefix, definition));
    this.intake = this.byRole("intake")[0] ?? missing("intake");
    this.manual = this.byRole("manual")[0] ?? missing("manual");
    this.consortia = this.byRole("consortium");

    this.sweeperDeadLetterQueue = this.deadLetterQueue(
      "SweeperDlq",
      dlqName(props.prefix, { suffix: "sweeper" }),
    );
  }

  /** Every dead-letter queue, including the sweeper's. */
  get deadLetterQueues(): Queue[] {
    return [...this.all.map((q) => q.deadLetterQueue), this.sweeperDeadLetterQueue];
  }

  /** The queues one worker consumes, from the `consumer` of each definition. */
  consumedBy(consumer: QueueDefinition["consumer"]): IndgangQueue[] {
    return this.all.filter((q) => q.definition.consumer === consumer);
  }

  private byRole(role: QueueDefinition["role"]): IndgangQueue[] {
    return this.all.filter((q) => q.definition.role === role);
  }

  private pair(prefix: string, definition: QueueDefinition): IndgangQueue {
    const scope = new Construct(this, definition.suffix);
    const deadLetterQueue = this.deadLetterQueue("Dlq", dlqName(prefix, definition), scope);
    const visibilityTimeout = Duration.seconds(QUEUE_DEFAULTS.visibilityTimeoutSeconds);
    const queue = new Queue(scope, "Queue", {
      queueName: queueName(prefix, definition),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: Duration.seconds(QUEUE_DEFAULTS.retentionSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: QUEUE_DEFAULTS.maxReceiveCount },
    });
    return { definition, queue, deadLetterQueue, visibilityTimeout };
  }

  private deadLetterQueue(id: string, name: string, scope: Construct = this): Queue {
    const dlq = new Queue(scope, id, {
      queueName: name,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(QUEUE_DEFAULTS.dlqRetentionSeconds),
    });
    Validations.of(dlq).acknowledge({
      id: "Serverless-SQSRedrivePolicy",
      reason:
        "This queue is itself a dead-letter queue. A DLQ of a DLQ would only move the problem; instead its depth " +
        "raises an alarm (observability.ts) and an administrator redrives or inspects the messages.",
    });
    return dlq;
  }
}

function missing(role: string): never {
  throw new Error(`queueDefinitions() returned no ${role} queue`);
}

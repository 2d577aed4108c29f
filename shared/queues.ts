import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import "./zod.ts";
import { type CaseNotice, CaseNoticeSchema } from "./cases/attention.ts";
import { consortiumQueue, INTAKE_QUEUE, MANUAL_QUEUE, type QueueDefinition, queueName } from "./resources.ts";

/**
 * Queue messages carry only a case reference (and, for delivery, the consortium it was sent to):
 * the case itself is read from DynamoDB, the source of truth.
 */
export const CaseMessageSchema = z.strictObject({
  reference: z.string().check(z.minLength(1), z.maxLength(40)),
  /** Set on delivery messages; null for the manual-triage inbox. */
  consortiumId: z.optional(z.nullable(z.string())),
  /**
   * When the case was received, on delivery messages from triage: the delivery schedules the
   * sweeper's first look at the case's first-contact due time (without it, at once).
   */
  receivedAt: z.optional(z.iso.datetime()),
  /** On a consortium's queue after delivery: tell its inbox this (a reply, an overdue target). */
  notice: z.optional(CaseNoticeSchema),
});
export type CaseMessage = z.infer<typeof CaseMessageSchema>;

export class CaseQueues {
  constructor(
    private readonly sqs: SQSClient,
    /** Queue URL minus the queue name, e.g. `https://sqs.eu-north-1.amazonaws.com/123456789012/`. */
    private readonly urlPrefix: string,
    private readonly resourcePrefix: string,
  ) {}

  url(def: QueueDefinition): string {
    return this.urlPrefix + queueName(this.resourcePrefix, def);
  }

  toIntake(reference: string): Promise<void> {
    return this.send(INTAKE_QUEUE, { reference });
  }

  /** To a consortium's delivery queue, or to manual triage when `consortiumId` is null. */
  toInbox(reference: string, consortiumId: string | null, receivedAt?: string): Promise<void> {
    return this.send(consortiumId === null ? MANUAL_QUEUE : consortiumQueue(consortiumId), {
      reference,
      consortiumId,
      ...(receivedAt ? { receivedAt } : {}),
    });
  }

  /** A notice about a delivered case, to its consortium's queue (its delivery worker tells the inbox). */
  toInboxNotice(reference: string, consortiumId: string, notice: CaseNotice): Promise<void> {
    return this.send(consortiumQueue(consortiumId), { reference, consortiumId, notice });
  }

  private async send(def: QueueDefinition, message: CaseMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.url(def), MessageBody: JSON.stringify(message) }),
    );
  }
}

import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import "#shared/zod.ts";
import type { CaseError, CaseRecord, CaseStatus } from "#shared/cases/model.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import type { Log } from "#shared/log.ts";
import type { Principal } from "#shared/principal.ts";
import { type CaseMessage, CaseMessageSchema, type CaseQueues } from "#shared/queues.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { dlqName, type QueueDefinition, queueDefinitions, queueName } from "#shared/resources.ts";
import type { AuditLog } from "./audit.ts";

/**
 * Dead letters: the messages the workers gave up on (maxReceiveCount receives without success), in
 * the DLQ of every queue of the service, and their redrive back to the queue they came from.
 *
 * Only plain SQS calls (ReceiveMessage, ChangeMessageVisibility, SendMessage, DeleteMessage), so it
 * works the same on AWS and on fauxqs 1.9.2, which has no StartMessageMoveTask. Listing receives
 * the messages (held invisible for a short while) and makes them visible again at once; a redrive
 * sends a message's body to its source queue BEFORE deleting it from the DLQ, so a crash in
 * between leaves a duplicate (harmless: the workers are idempotent), never a loss.
 */
export interface DeadLetterDeps {
  sqs: SQSClient;
  queues: Pick<CaseQueues, "url">;
  consortia: () => Promise<ConsortiumDirectory>;
  cases: Pick<CaseStore, "get">;
  audit: Pick<AuditLog, "record">;
  now: () => string;
  log: Log;
  config: { RESOURCE_PREFIX: string };
}

/** At most this many messages are read from one DLQ per listing or redrive. */
export const MAX_PER_QUEUE = 100;
/** How long a peeked message stays invisible if we crash before making it visible again. */
const HOLD_SECONDS = 30;
/**
 * Long poll of each receive. On AWS a short poll (0) samples only some servers and can miss
 * messages; 1 s asks them all. The queues are read in parallel, so a listing takes about 1 s.
 */
const RECEIVE_WAIT_SECONDS = 1;

export interface DeadLetter {
  /** The source queue (suffix, e.g. `intake`, `consortium-rar-fyn`); the message sits in its DLQ. */
  queue: string;
  messageId: string;
  body: string;
  /** The case reference when the body is a case message, else null. */
  reference: string | null;
  /** ApproximateReceiveCount as SQS reports it: the workers' receives and every listing's. */
  receiveCount: number;
  /** When the message was first sent to the source queue (SentTimestamp). */
  firstSentAt: string | null;
  case: { status: CaseStatus; consortiumId: string | null } | null;
  /** What the worker said the last time it failed this case (recorded on the case). */
  lastError: CaseError | null;
  /** Why there is no case or no error to show, in words (null when there is nothing to say). */
  note: string | null;
}

export interface DeadLetterQueue {
  queue: string;
  count: number;
  /** More than MAX_PER_QUEUE messages may be waiting: only the first ones are listed. */
  truncated: boolean;
  /** Set when the DLQ could not be read (e.g. a consortium whose queues are not provisioned yet). */
  error?: string;
}

export interface DeadLetterList {
  items: DeadLetter[];
  queues: DeadLetterQueue[];
}

export const NOT_A_CASE_MESSAGE = "message is not a case message";
export const NO_SUCH_CASE = "no such case (erased?)";

export const RedriveSchema = z.strictObject({
  /** The messages to send back; absent means every message in every DLQ. */
  messageIds: z.optional(
    z
      .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)))
      .check(z.minLength(1), z.maxLength(1000)),
  ),
});
export type RedriveInput = z.infer<typeof RedriveSchema>;

export interface RedriveResult {
  redriven: { messageId: string; queue: string; reference: string | null }[];
  /** Chosen ids that are in no DLQ (already redriven, or never were there). */
  notFound: string[];
  /** Messages (or whole queues) that could not be sent back; they stay in their DLQ. */
  failed: { queue: string; messageId: string | null; error: string }[];
}

// ---- counting and listing ------------------------------------------------------------------------

/**
 * How many messages wait in each DLQ, as SQS estimates it (ApproximateNumberOfMessages + …NotVisible:
 * one GetQueueAttributes per queue). Unlike the listing, it receives nothing, so it changes no
 * message's receive count: what the admin home shows at a glance.
 */
export async function deadLetterCounts(
  deps: Pick<DeadLetterDeps, "sqs" | "queues" | "consortia" | "log" | "config">,
): Promise<{ queue: string; count: number; error?: string }[]> {
  const defs = await serviceQueues(deps);
  return Promise.all(
    defs.map(async (def) => {
      try {
        const { Attributes = {} } = await deps.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: dlqUrl(deps, def),
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
          }),
        );
        const count =
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
        return { queue: def.suffix, count };
      } catch (err) {
        return { queue: def.suffix, count: 0, error: describeQueueError(deps, def, err) };
      }
    }),
  );
}

export async function listDeadLetters(deps: DeadLetterDeps): Promise<DeadLetterList> {
  const defs = await serviceQueues(deps);
  const peeked = await Promise.all(
    defs.map(async (def) => {
      const held = new Map<string, Message>();
      try {
        const truncated = await receiveAll(deps.sqs, dlqUrl(deps, def), held);
        return { def, messages: [...held.values()], truncated };
      } catch (err) {
        return { def, messages: [], truncated: false, error: describeQueueError(deps, def, err) };
      } finally {
        // Visible again at once: listing has no lasting effect (beyond ApproximateReceiveCount).
        await release(deps, dlqUrl(deps, def), [...held.values()]);
      }
    }),
  );

  const references = new Set<string>();
  for (const p of peeked)
    for (const m of p.messages) {
      const ref = caseMessage(m.Body)?.reference;
      if (ref) references.add(ref);
    }
  const cases = await readCases(deps, [...references]);

  const items: DeadLetter[] = [];
  for (const p of peeked) {
    const messages = [...p.messages].sort((a, b) => sentAt(a) - sentAt(b));
    for (const m of messages) items.push(toDeadLetter(deps, p.def, m, cases));
  }
  return {
    items,
    queues: peeked.map((p) => ({
      queue: p.def.suffix,
      count: p.messages.length,
      truncated: p.truncated,
      ...(p.error ? { error: p.error } : {}),
    })),
  };
}

function toDeadLetter(
  deps: DeadLetterDeps,
  def: QueueDefinition,
  m: Message,
  cases: ReadonlyMap<string, CaseRecord | undefined>,
): DeadLetter {
  const body = m.Body ?? "";
  const msg = caseMessage(body);
  const c = msg ? cases.get(msg.reference) : undefined;
  const sent = sentAt(m);
  return {
    queue: def.suffix,
    messageId: m.MessageId ?? "",
    body,
    reference: msg?.reference ?? null,
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    firstSentAt: sent > 0 ? new Date(sent).toISOString() : null,
    case: c ? { status: c.status, consortiumId: c.consortiumId ?? null } : null,
    lastError: c ? lastErrorOf(deps, c) : null,
    note: !msg ? NOT_A_CASE_MESSAGE : !c ? NO_SUCH_CASE : null,
  };
}

const LastErrorSchema = z.object({ at: z.string(), message: z.string(), queue: z.string() });

/** The case's `lastError` (written by the workers), its queue named by suffix like everywhere here. */
function lastErrorOf(deps: DeadLetterDeps, c: CaseRecord): CaseError | null {
  const parsed = LastErrorSchema.safeParse((c as CaseRecord & { lastError?: unknown }).lastError);
  if (!parsed.success) return null;
  const prefix = `${deps.config.RESOURCE_PREFIX}-`;
  const queue = parsed.data.queue.startsWith(prefix)
    ? parsed.data.queue.slice(prefix.length)
    : parsed.data.queue;
  return { ...parsed.data, queue };
}

async function readCases(deps: DeadLetterDeps, references: string[]) {
  const out = new Map<string, CaseRecord | undefined>();
  for (let i = 0; i < references.length; i += 25) {
    const chunk = references.slice(i, i + 25);
    const found = await Promise.all(chunk.map((r) => deps.cases.get(r)));
    chunk.forEach((r, j) => {
      out.set(r, found[j]);
    });
  }
  return out;
}

// ---- redrive -------------------------------------------------------------------------------------

/**
 * Sends the chosen dead letters (or all) back to the queues they came from, and records the action
 * in the audit log (who, when, which messages) whatever its outcome.
 */
export async function redrive(
  deps: DeadLetterDeps,
  principal: Principal,
  input: RedriveInput,
): Promise<RedriveResult> {
  const wanted = input.messageIds ? new Set(input.messageIds) : null;
  const defs = await serviceQueues(deps);
  const result: RedriveResult = { redriven: [], notFound: [], failed: [] };
  const seen = new Set<string>();

  await Promise.all(
    defs.map(async (def) => {
      const dlq = dlqUrl(deps, def);
      const source = deps.queues.url(def);
      const held = new Map<string, Message>();
      try {
        await receiveAll(deps.sqs, dlq, held);
        for (const [id, m] of held) {
          seen.add(id);
          if (wanted && !wanted.has(id)) continue;
          try {
            await deps.sqs.send(
              new SendMessageCommand({
                QueueUrl: source,
                MessageBody: m.Body ?? "",
                ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
              }),
            );
          } catch (err) {
            result.failed.push({ queue: def.suffix, messageId: id, error: `not sent back: ${String(err)}` });
            continue;
          }
          // Sent: from here on a failure only leaves a duplicate, which the workers ignore.
          held.delete(id);
          try {
            await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle }));
            result.redriven.push({
              messageId: id,
              queue: def.suffix,
              reference: caseMessage(m.Body)?.reference ?? null,
            });
          } catch (err) {
            result.failed.push({
              queue: def.suffix,
              messageId: id,
              error: `sent back, but still in the dead-letter queue: ${String(err)}`,
            });
          }
        }
      } catch (err) {
        if (!isMissingQueue(err))
          result.failed.push({ queue: def.suffix, messageId: null, error: String(err) });
      } finally {
        await release(deps, dlq, [...held.values()]);
      }
    }),
  );

  if (wanted) result.notFound = [...wanted].filter((id) => !seen.has(id));
  deps.log.info("dead letters redriven", {
    actor: principal.sub,
    redriven: result.redriven.length,
    notFound: result.notFound.length,
    failed: result.failed.length,
  });
  await deps.audit.record(principal, "dead-letters.redrive", wanted ? "chosen" : "all", deps.now(), {
    before: { requested: input.messageIds ?? "all" },
    after: result,
  });
  return result;
}

// ---- SQS helpers ---------------------------------------------------------------------------------

/** Every queue of the service: intake, manual triage, and each consortium of the current directory. */
async function serviceQueues(deps: Pick<DeadLetterDeps, "consortia">): Promise<QueueDefinition[]> {
  const dir = await deps.consortia();
  return queueDefinitions(dir.consortia.map((c) => c.id));
}

/** The DLQ's URL: the queue's URL with its name replaced by the DLQ's name (shared/resources.ts). */
function dlqUrl(deps: Pick<DeadLetterDeps, "queues" | "config">, def: QueueDefinition): string {
  const url = deps.queues.url(def);
  const name = queueName(deps.config.RESOURCE_PREFIX, def);
  return url.slice(0, url.length - name.length) + dlqName(deps.config.RESOURCE_PREFIX, def);
}

/**
 * Receives from `url` into `held` (by message id, so a message SQS hands out twice counts once)
 * until the queue answers empty or MAX_PER_QUEUE are held. The messages stay invisible meanwhile,
 * so each receive returns new ones. True when it stopped at the cap (more may be waiting).
 */
async function receiveAll(sqs: SQSClient, url: string, held: Map<string, Message>): Promise<boolean> {
  for (let round = 0; round < MAX_PER_QUEUE; round++) {
    if (held.size >= MAX_PER_QUEUE) return true;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, MAX_PER_QUEUE - held.size),
        VisibilityTimeout: HOLD_SECONDS,
        WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return false;
    for (const m of Messages) {
      if (!m.MessageId || !m.ReceiptHandle) continue;
      const earlier = held.get(m.MessageId);
      // Received twice: only the newest receipt handle is valid; the earlier one expires by itself.
      held.set(m.MessageId, earlier ? { ...earlier, ReceiptHandle: m.ReceiptHandle } : m);
    }
  }
  return held.size >= MAX_PER_QUEUE;
}

/** Makes held messages visible again at once (visibility timeout 0), ten per call. */
async function release(deps: DeadLetterDeps, url: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    try {
      const out = await deps.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((m, j) => ({
            Id: `m${j}`,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      if (out.Failed?.length)
        deps.log.warn("dead letters: some messages stay hidden until their visibility timeout", {
          queue: url,
          failed: out.Failed.map((f) => f.Message ?? f.Code),
        });
    } catch (err) {
      deps.log.warn("dead letters: could not make messages visible again", {
        queue: url,
        error: String(err),
      });
    }
  }
}

function caseMessage(body: string | undefined): CaseMessage | null {
  try {
    const r = CaseMessageSchema.safeParse(JSON.parse(body ?? ""));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function sentAt(m: Message): number {
  return Number(m.Attributes?.SentTimestamp ?? 0);
}

/**
 * A DLQ that does not exist (a consortium added since the queues were provisioned). Matched by name
 * too, like provision.ts does, in case an SQS endpoint answers with the legacy query-protocol code
 * `AWS.SimpleQueueService.NonExistentQueue` (fauxqs 1.9.2 answers `QueueDoesNotExist`).
 */
function isMissingQueue(err: unknown): boolean {
  return (
    err instanceof QueueDoesNotExist ||
    (err instanceof Error && /QueueDoesNotExist|NonExistentQueue/.test(err.name))
  );
}

function describeQueueError(deps: Pick<DeadLetterDeps, "log">, def: QueueDefinition, err: unknown): string {
  if (isMissingQueue(err)) return "the dead-letter queue does not exist";
  deps.log.warn("dead letters: could not read a DLQ", { queue: def.suffix, error: String(err) });
  return "the dead-letter queue could not be read";
}

import { dueAfter } from "./calendar/working-days.ts";
import { attentionOf, type CaseNotice } from "./cases/attention.ts";
import { type CaseRecord, NOTICE_CHANNELS, NOTIFIED_FOR } from "./cases/model.ts";
import { DEFAULT_TARGETS } from "./cases/response-times.ts";
import type { CaseStore } from "./cases/store.ts";
import type { Acknowledger } from "./conversation/acknowledgement.ts";
import type { Log } from "./log.ts";
import type { FlowMetrics } from "./metrics.ts";
import { caseNotice, deliveryNotice, type Notifier, noticeRecipients } from "./notify.ts";
import type { CaseQueues } from "./queues.ts";
import type { ConsortiumDirectory } from "./reference/consortium-directory.ts";
import type { CompiledRuleSet } from "./rules/engine.ts";
import { decide } from "./triage.ts";

/**
 * The steps a case takes after intake. Each is idempotent: it reads or conditionally writes the case
 * in DynamoDB, so a message delivered twice, late, or after a crash changes nothing twice.
 */
export interface WorkflowDeps {
  cases: CaseStore;
  queues: CaseQueues;
  rules: () => Promise<CompiledRuleSet>;
  consortia: () => Promise<ConsortiumDirectory>;
  now: () => string;
  log: Log;
  notify: Notifier;
  metrics: FlowMetrics;
  /** The company's acknowledgement e-mail, once per case; absent where no e-mail can be sent. */
  acknowledge?: Acknowledger;
}

/**
 * Intake queue → classify and route (received → routed | manual_triage) → the inbox's queue.
 * `read` is the case as the worker just read it for its whole batch, when it found it.
 */
export async function triageCase(
  deps: Omit<WorkflowDeps, "notify">,
  reference: string,
  read?: CaseRecord,
): Promise<void> {
  let c = read ?? (await deps.cases.get(reference));
  if (!c) {
    deps.log.warn("triage: no such case (erased?), message dropped", { reference });
    return;
  }
  if (c.status === "received") {
    const [rules, dir] = await Promise.all([deps.rules(), deps.consortia()]);
    const decision = decide(c.payload, rules, dir.municipalities, deps.now());
    if (await deps.cases.recordDecision(reference, decision, decision.decidedAt)) {
      c = {
        ...c,
        status: decision.route.queue === "manual" ? "manual_triage" : "routed",
        consortiumId: decision.route.consortiumId ?? undefined,
        decision,
      };
      deps.metrics.routed(decision.route.consortiumId ?? "manual", decision.needs);
      deps.log.info("case triaged", {
        reference,
        needs: decision.needs,
        primaryNeed: decision.primaryNeed,
        consortiumId: decision.route.consortiumId,
        ruleSetVersion: decision.ruleSetVersion,
      });
    } else {
      c = await deps.cases.get(reference); // someone else triaged it meanwhile
      if (!c) return;
    }
  }
  // Sent again if it was triaged before but the send was lost (a crash between write and send).
  if (c.pending && c.status === "routed" && c.consortiumId)
    await deps.queues.toInbox(reference, c.consortiumId, c.receivedAt);
  else if (c.pending && c.status === "manual_triage") await deps.queues.toInbox(reference, null);
}

/**
 * A consortium's (or manual triage's) queue → the case is in that inbox, and the inbox is told.
 * A repeated message changes nothing; a notice that failed is retried with the message.
 */
export async function deliverCase(
  deps: Pick<WorkflowDeps, "cases" | "consortia" | "notify" | "now" | "log" | "metrics" | "acknowledge">,
  reference: string,
  consortiumId: string | null,
  receivedAt?: string,
): Promise<boolean> {
  // A first delivery from triage (it carries the time received) claims the company's acknowledgement
  // in the same write; a repeat, a re-send or a transfer leaves the claim to the acknowledger.
  const claimAck = deps.acknowledge !== undefined && receivedAt !== undefined;
  const { delivered, c, now } = await placeInInbox(deps, reference, consortiumId, receivedAt, claimAck);
  // The company hears back once its case is in an inbox; after the inbox's notice, so that a
  // failing acknowledgement (retried with the message) never holds the consortium's notice back.
  if (deps.acknowledge && delivered && claimAck && c) {
    await deps.acknowledge(c, { claimedAt: now });
  } else if (deps.acknowledge) {
    const current = c ?? (await deps.cases.get(reference));
    // Not for a case from before acknowledgements that is only now transferred: it was received long ago.
    const first = !current?.timeline.some((e) => e.event === "transferred");
    if (current?.deliveredAt && first && !current.acknowledgedAt && !current.ackClaimedAt)
      await deps.acknowledge(current);
  }
  return delivered;
}

async function placeInInbox(
  deps: Pick<WorkflowDeps, "cases" | "consortia" | "notify" | "now" | "log" | "metrics">,
  reference: string,
  consortiumId: string | null,
  receivedAt: string | undefined,
  claimAck: boolean,
): Promise<{ delivered: boolean; c?: CaseRecord | undefined; now: string }> {
  const now = deps.now();
  // The sweeper's first look (attention.ts): when the first contact falls due, by the consortium's
  // target; at once when the time received is not known (a re-sent or transferred case).
  const targets = consortiumId ? (await deps.consortia()).byId.get(consortiumId)?.targets : undefined;
  const firstLook =
    receivedAt && targets ? dueAfter(receivedAt, targets.firstContactWorkingDays).overdueFrom : now;
  let c = await deps.cases.markDelivered(reference, consortiumId, now, firstLook, claimAck);
  const delivered = c !== undefined;
  if (delivered) {
    deps.metrics.delivered(consortiumId ?? "manual");
    deps.log.info("case delivered", { reference, consortiumId });
  }
  if (consortiumId === null) return { delivered, c, now };
  if (!c) {
    // A repeat: if this delivery's notice never went out (the last try failed), send it now.
    c = await deps.cases.get(reference);
    if (!c || c.consortiumId !== consortiumId || !c.deliveredAt || (c.notifiedAt ?? "") >= c.deliveredAt)
      return { delivered: false, c, now };
  }
  const consortium = (await deps.consortia()).byId.get(consortiumId);
  if (consortium?.notify.webhookUrl || (consortium && noticeRecipients(consortium).length > 0)) {
    // With two channels (webhook and e-mail), each one that succeeds while the other fails is
    // recorded on the case as `<channel>NotifiedFor` = this `deliveredAt` (a conditional write
    // keyed by the delivery), and the retry skips it: a webhook failure never repeats the e-mail,
    // nor the reverse. A later delivery (a transfer back) has another `deliveredAt`, so it is
    // notified afresh. `notifiedAt` still marks the whole notice done, which ends repeats above.
    const deliveredAt = c.deliveredAt ?? now;
    const delivery = c;
    const done = new Set(NOTICE_CHANNELS.filter((ch) => delivery[NOTIFIED_FOR[ch]] === deliveredAt));
    await deps.notify(consortium, deliveryNotice(c, consortiumId), {
      done,
      sent: (channel) => deps.cases.markChannelNotified(reference, channel, deliveredAt),
    });
    await deps.cases.markNotified(reference, deliveredAt, deps.now());
  } else if (delivered) {
    deps.log.info("new case in inbox", { consortiumId, reference });
  }
  return { delivered, c, now };
}

/**
 * Re-sends every case stuck before its inbox for longer than `afterSeconds`: queues are transport,
 * so a message lost anywhere (emulator restart, crash between write and send) never loses a case.
 */
export async function sweep(
  deps: Pick<WorkflowDeps, "cases" | "queues" | "now" | "log">,
  afterSeconds: number,
): Promise<{ resent: string[] }> {
  const now = deps.now();
  const before = new Date(Date.parse(now) - afterSeconds * 1000).toISOString();
  const resent: string[] = [];
  const pageSize = 100;
  // Each re-sent case moves past `before`, so the next page holds the ones not yet handled.
  for (let page = 0; page < 50; page++) {
    const stuck = await deps.cases.listPending(before, pageSize);
    for (const p of stuck) {
      if (!(await deps.cases.markResent(p, now))) continue; // another sweeper took it
      if (p.status === "received") await deps.queues.toIntake(p.reference);
      else if (p.status === "routed" && p.consortiumId)
        await deps.queues.toInbox(p.reference, p.consortiumId);
      else if (p.status === "manual_triage") await deps.queues.toInbox(p.reference, null);
      else continue;
      resent.push(p.reference);
    }
    if (stuck.length < pageSize) break;
  }
  if (resent.length > 0) deps.log.warn("sweeper re-sent stuck cases", { count: resent.length, resent });
  return { resent };
}

/**
 * The sweeper's second list: delivered cases whose attention time has come (attention.ts). For each
 * it decides what the consortium must hear (a reply, an overdue target), records that and when to
 * look next in one conditional write — so each notice is queued once — then queues the notices to
 * the consortium's queue, whose delivery worker tells the inbox (`noticeCase`).
 */
export async function attend(
  deps: Pick<WorkflowDeps, "cases" | "queues" | "consortia" | "now" | "log">,
): Promise<{ notices: string[] }> {
  const now = deps.now();
  const sent: string[] = [];
  const dir = await deps.consortia();
  for (let page = 0; page < 50; page++) {
    const due = await deps.cases.listDue(now, 100);
    let moved = 0;
    for (const d of due) {
      const c = await deps.cases.get(d.reference);
      if (!c) continue;
      const targets = (c.consortiumId && dir.byId.get(c.consortiumId)?.targets) || DEFAULT_TARGETS;
      const a = attentionOf(c, targets, now);
      if (!(await deps.cases.markAttended(d, c, a, now))) continue; // another sweeper took it
      moved++;
      for (const notice of a.notices) {
        if (!c.consortiumId) break;
        await deps.queues.toInboxNotice(c.reference, c.consortiumId, notice);
        sent.push(`${c.reference}/${notice.id}`);
      }
    }
    // Each case attended moves past now (or out), so the next page holds the ones not yet handled.
    if (due.length < 100 || moved === 0) break;
  }
  if (sent.length > 0) deps.log.info("notices queued", { count: sent.length, notices: sent });
  return { notices: sent };
}

/**
 * A consortium's queue, a notice message → its inbox is told on each of its channels; a channel
 * that went out is recorded, so a retry (another channel failed) or a repeated message skips it.
 */
export async function noticeCase(
  deps: Pick<WorkflowDeps, "cases" | "consortia" | "notify" | "log">,
  reference: string,
  consortiumId: string,
  notice: CaseNotice,
): Promise<void> {
  const c = await deps.cases.get(reference);
  // Transferred meanwhile (the new consortium gets its own), or erased: nothing to tell.
  if (!c || c.consortiumId !== consortiumId) {
    deps.log.info("notice dropped: the case is not in that inbox", { reference, consortiumId });
    return;
  }
  const inbox = (await deps.consortia()).byId.get(consortiumId);
  if (!inbox) return;
  // A case given to someone is told to them alone, by e-mail (their address is not for webhooks).
  const assignee = c.assignee?.email;
  if (notice.kind === "assigned" && !assignee) return;
  const consortium =
    notice.kind === "assigned" ? { ...inbox, notify: { email: assignee }, consultants: [] } : inbox;
  const sent = new Set(c.noticesSent ?? []);
  const done = new Set(NOTICE_CHANNELS.filter((ch) => sent.has(`${notice.id}/${ch}`)));
  const sentId = (channel: (typeof NOTICE_CHANNELS)[number]) => `${notice.id}/${channel}`;
  await deps.notify(consortium, caseNotice(c, consortiumId, notice), {
    done,
    sent: (channel) => deps.cases.markNoticeSent(reference, [sentId(channel)]),
  });
  // All went out (a channel sent alone is not recorded by the notifier): a repeat sends nothing.
  await deps.cases.markNoticeSent(reference, NOTICE_CHANNELS.map(sentId));
}

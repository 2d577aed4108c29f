import { type IdempotencyKey, ReferenceTakenError } from "#shared/cases/flow-writes.ts";
import { canonicalHash, newReference, newStatusToken, sha256 } from "#shared/cases/ids.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import { AppError, unavailable } from "#shared/errors.ts";
import type { Log } from "#shared/log.ts";
import type { FlowMetrics } from "#shared/metrics.ts";
import type { CaseQueues } from "#shared/queues.ts";
import { type IntakePayload, parseIntake } from "./request-schema.ts";

export interface IntakeDeps {
  cases: CaseStore;
  queues: CaseQueues;
  now: () => string;
  log: Log;
  metrics: Pick<FlowMetrics, "received">;
  /**
   * The status token of a new case, derived from its reference (shared/conversation/case-links.ts)
   * so that the acknowledgement e-mail can carry the link; without it, a random token.
   */
  statusTokenFor?: (reference: string) => Promise<string>;
}

export interface Accepted {
  reference: string;
  statusToken: string;
  /** True when this was a repeat of an earlier submission: no new case was created. */
  replay: boolean;
}

/**
 * Accept a company's request: validate, store the case (status received) — from here on it cannot be
 * lost — then hand it to the intake queue. If that send fails the case still stands and the sweeper
 * re-sends it, so the answer is still "accepted"; if the store fails, nothing was accepted (503).
 */
export async function submitRequest(
  deps: IntakeDeps,
  input: unknown,
  idempotencyKey?: string,
): Promise<Accepted> {
  const payload = parseIntake(input);
  const payloadHash = canonicalHash(payload);
  const keys: IdempotencyKey[] = [{ key: `auto:${payloadHash}`, payloadHash }];
  if (idempotencyKey) keys.push({ key: `client:${sha256(idempotencyKey)}`, payloadHash });

  const now = deps.now();
  const record = await storeNew(deps, payload, keys, now);
  if ("replay" in record) return record;
  deps.metrics.received();
  try {
    await deps.queues.toIntake(record.reference);
  } catch (err) {
    deps.log.warn("intake: queue send failed; the sweeper will re-send the stored case", {
      reference: record.reference,
      error: String(err),
    });
  }
  return { reference: record.reference, statusToken: record.statusToken, replay: false };
}

async function storeNew(
  deps: IntakeDeps,
  payload: IntakePayload,
  keys: IdempotencyKey[],
  now: string,
): Promise<(CaseRecord & { statusToken: string }) | Accepted> {
  for (let attempt = 1; ; attempt++) {
    const reference = newReference();
    const statusToken = deps.statusTokenFor ? await deps.statusTokenFor(reference) : newStatusToken();
    const record = newCase(payload, reference, statusToken, now);
    try {
      const result = await deps.cases.create(record, statusToken, keys);
      if (result.created) return { ...record, statusToken };
      return { reference: result.reference, statusToken: result.statusToken, replay: true };
    } catch (err) {
      if (err instanceof ReferenceTakenError && attempt < 3) continue; // 1 in 10^12: draw again
      if (err instanceof AppError) throw err;
      deps.log.error("intake: could not store the case", { error: String(err) });
      throw unavailable();
    }
  }
}

function newCase(payload: IntakePayload, reference: string, statusToken: string, now: string): CaseRecord {
  return {
    reference,
    status: "received",
    receivedAt: now,
    updatedAt: now,
    payload,
    tokenHash: sha256(statusToken),
    needs: [],
    primaryNeed: null,
    pending: true,
    timeline: [{ at: now, event: "received", actor: "company" }],
  };
}

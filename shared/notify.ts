import { createHmac } from "node:crypto";
import type { CaseRecord } from "./cases/model.ts";
import type { Consortium } from "./reference/consortia.ts";

/** What a consortium's inbox is told when a case arrives. No personal data: the inbox has the rest. */
export interface DeliveryNotice {
  event: "case.delivered";
  /** Stable per delivery: receivers use it to drop a repeated notice. */
  deliveryId: string;
  reference: string;
  consortiumId: string;
  needs: CaseRecord["needs"];
  primaryNeed: CaseRecord["primaryNeed"];
  deliveredAt: string;
}

export type Notifier = (consortium: Consortium, notice: DeliveryNotice) => Promise<void>;

export function deliveryNotice(c: CaseRecord, consortiumId: string): DeliveryNotice {
  const deliveredAt = c.deliveredAt ?? c.updatedAt;
  return {
    event: "case.delivered",
    deliveryId: `${c.reference}/${consortiumId}/${deliveredAt}`,
    reference: c.reference,
    consortiumId,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    deliveredAt,
  };
}

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`: receivers recompute it with the shared secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Posts the notice to the consortium's webhook, signed; throws on failure so that the delivery
 * message is retried (the case stays delivered; only the notice is tried again).
 */
export function webhookNotifier(
  secret: () => Promise<string | undefined>,
  log: { info(m: string, ...x: Record<string, unknown>[]): void },
  fetchImpl: typeof fetch = fetch,
): Notifier {
  return async (consortium, notice) => {
    const url = consortium.notify.webhookUrl;
    if (!url) {
      log.info("new case in inbox (no webhook configured)", {
        consortiumId: consortium.id,
        reference: notice.reference,
      });
      return;
    }
    const key = await secret();
    if (!key) throw new Error("WEBHOOK_SECRET is not set: webhooks cannot be signed");
    const body = JSON.stringify(notice);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetchImpl(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-indgang-timestamp": timestamp,
        "x-indgang-signature": signature(key, timestamp, body),
        "x-indgang-delivery": notice.deliveryId,
      },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
  };
}

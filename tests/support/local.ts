import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { type LocalService, type LocalServiceOptions, startLocalService } from "#local/embedded-service.ts";
import type { IntakeInput } from "#shared/intake/request-schema.ts";
import type { Principal } from "#shared/principal.ts";
import { type Consortium, DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { CONSORTIUM_MAP } from "#shared/reference/consortium-directory.ts";
import { consortiumQueue } from "#shared/resources.ts";
import { ungrantedCalls } from "./grants.ts";

/**
 * The embedded stack on free ports in a fresh directory. `stop()` also removes the directory, and
 * then fails if a function made an AWS call its role in the stack does not grant (see grants.ts):
 * every integration test checks the stack's least-privilege grants against the code's real calls.
 */
export async function startTestService(
  options: Partial<LocalServiceOptions> = {},
): Promise<LocalService & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "indgang-test-"));
  const service = await startLocalService({
    dataDir,
    port: 0,
    logLevel: "SILENT",
    pollWaitSeconds: 1,
    sweepIntervalMs: 3_600_000, // tests call the sweeper themselves
    ...options,
    // Tests submit many requests from one address; the limit itself has its own test.
    env: { INTAKE_RATE_LIMIT_PER_MINUTE: "100000", ...options.env },
  });
  return {
    ...service,
    dataDir,
    stop: async () => {
      await service.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      const ungranted = ungrantedCalls(service.calls);
      if (ungranted.length > 0)
        throw new Error(`calls the stack does not grant (infra/stack.ts): ${ungranted.join(", ")}`);
    },
  };
}

/**
 * Stores the default consortium map with `change` applied to each consortium, where the service
 * reads its map (as an administrator's edit leaves it): e.g. a webhook or an e-mail for one inbox.
 */
export async function storeConsortia(
  svc: LocalService,
  change: (c: Consortium) => Consortium,
): Promise<void> {
  await svc.ctx.db.send(
    new PutCommand({
      TableName: svc.ctx.config.tableName,
      Item: { ...CONSORTIUM_MAP.key, consortia: DEFAULT_CONSORTIA.map(change) },
    }),
  );
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = "condition",
) {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export interface Sample {
  id: string;
  payload: IntakeInput;
  expect: { needs: string[]; primaryNeed: string | null; consortiumId: string };
}

export function samples(): Sample[] {
  return readFileSync(new URL("../fixtures/samples.jsonl", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Sample);
}

/** A valid payload to vary in a test. */
export function aPayload(): IntakeInput {
  const first = samples()[0];
  if (!first) throw new Error("no samples");
  return structuredClone(first.payload);
}

type Service = Awaited<ReturnType<typeof startTestService>>;

/**
 * Calls the running service as someone: a principal (a dev token is issued for it), a raw token,
 * or nobody. Answers the status and the parsed JSON body.
 */
export async function callApi(
  svc: Service,
  who: Principal | string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const token = who === null ? undefined : typeof who === "string" ? who : await svc.issueToken(who);
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** Submits a request (a valid sample varied by municipality and description) and waits until it is in an inbox. */
export async function submitAndDeliver(
  svc: Service,
  municipalityCode: string,
  description: string,
  cvr?: string,
) {
  const p = aPayload();
  const res = await fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...p,
      company: { ...p.company, municipalityCode, ...(cvr ? { cvr } : {}) },
      request: { description },
    }),
  });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  const { reference } = (await res.json()) as { reference: string };
  return waitFor(
    async () => {
      const c = await svc.ctx.cases.get(reference);
      return c && !c.pending ? c : undefined;
    },
    20_000,
    `delivery of ${reference}`,
  );
}

/** Waits until the consortium's queue holds no message, visible or in flight. */
export async function queueDrained(svc: Service, consortiumId: string) {
  const url = svc.ctx.queues.url(consortiumQueue(consortiumId));
  await waitFor(
    async () => {
      const { Attributes = {} } = await svc.ctx.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return Attributes.ApproximateNumberOfMessages === "0" &&
        Attributes.ApproximateNumberOfMessagesNotVisible === "0"
        ? true
        : undefined;
    },
    15_000,
    `queue of ${consortiumId} drained`,
  );
}

/** An e-mail the service sent, as the local outbox keeps it (local/outbox-mail.ts). */
export interface OutboxMail {
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}

/** Every e-mail in the test service's outbox so far. */
export function readOutbox(svc: Service): OutboxMail[] {
  const dir = join(svc.dataDir, "outbox");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as OutboxMail);
}

import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";
import { readDocument, replaceDocument } from "#shared/documents/versioned-document.ts";
import { conflict, validationFailed } from "#shared/errors.ts";

import type { Principal } from "#shared/principal.ts";
import { type Consortium, ConsortiumSchema, consortiumMapProblems } from "#shared/reference/consortia.ts";
import { CONSORTIUM_MAP } from "#shared/reference/consortium-directory.ts";
import { consortiumQueue, queueName } from "#shared/resources.ts";
import { auditItem } from "./audit.ts";

/**
 * Consortia and their municipalities: reference data that administrators split and merge. Every
 * change is checked as a whole map (each of the 98 municipalities in exactly one consortium) and
 * needs the consortium's queue to exist before any case can be routed to it.
 */
export interface ConsortiaAdminDeps {
  db: DynamoDBDocumentClient;
  now: () => string;
  config: { tableName: string; RESOURCE_PREFIX: string; DEPLOYED_CONSORTIA?: string | undefined };
  /** Locally: create the queue (and its poller). Absent on AWS, where the CDK stack provisions queues. */
  provisionConsortium?: (consortiumId: string) => Promise<void>;
}

export async function listConsortia(
  deps: ConsortiaAdminDeps,
): Promise<{ version: number; consortia: Consortium[] }> {
  return readDocument(deps.db, deps.config.tableName, CONSORTIUM_MAP, { fresh: true });
}

/** Replaces one consortium (or adds it); the rest of the map stays as it is. */
export async function putConsortium(deps: ConsortiaAdminDeps, p: Principal, id: string, input: unknown) {
  const consortium = parseBody(ConsortiumSchema, input);
  if (consortium.id !== id)
    throw validationFailed([{ path: "id", message: `must be "${id}", as in the path` }]);
  const current = await listConsortia(deps);
  const next = current.consortia.some((c) => c.id === id)
    ? current.consortia.map((c) => (c.id === id ? consortium : c))
    : [...current.consortia, consortium];
  return save(deps, p, current, next, `consortia.put`, id);
}

/** Replaces the whole map at once: how areas are split or merged without an invalid step between. */
export async function putConsortiumMap(deps: ConsortiaAdminDeps, p: Principal, input: unknown) {
  const consortia = parseBody(z.array(ConsortiumSchema).check(z.minLength(1)), input);
  return save(deps, p, await listConsortia(deps), consortia, "consortia.replace", "*");
}

async function save(
  deps: ConsortiaAdminDeps,
  p: Principal,
  current: { version: number; consortia: Consortium[] },
  next: Consortium[],
  action: string,
  target: string,
) {
  const problems = consortiumMapProblems(next);
  if (problems.length)
    throw validationFailed(problems, "Every municipality must belong to exactly one consortium");
  // A consortium needs its queue before a case can be routed to it.
  for (const c of next) if (!current.consortia.some((o) => o.id === c.id)) await ensureQueue(deps, c.id);
  const now = deps.now();
  const version = await replaceDocument(deps.db, deps.config.tableName, CONSORTIUM_MAP, {
    expected: current.version,
    attributes: { consortia: next, updatedAt: now, updatedBy: p.name },
    audit: auditItem(p, action, target, now, { before: current.consortia, after: next }),
  });
  return { version, consortia: next };
}

async function ensureQueue(deps: ConsortiaAdminDeps, consortiumId: string) {
  if (deps.provisionConsortium) return deps.provisionConsortium(consortiumId);
  // On AWS the stack owns the queues: a consortium it has not deployed cannot receive cases yet.
  const deployed = (deps.config.DEPLOYED_CONSORTIA ?? "").split(",").filter(Boolean);
  if (!deployed.includes(consortiumId)) {
    const name = queueName(deps.config.RESOURCE_PREFIX, consortiumQueue(consortiumId));
    throw conflict(
      `Queue ${name} is not deployed: add "${consortiumId}" to the stack's consortia and deploy (see infra/README.md), then try again`,
    );
  }
}

import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CaseRecord } from "./model.ts";
import { searchText } from "./search-text.ts";

/**
 * A case as a DynamoDB item: its key, the index attributes that place it in the inbox, company,
 * pending and day indexes (shared/resources.ts describes them), and the conditional update every
 * change is made with. Nothing outside shared/cases/ knows this layout.
 */
export interface CaseTable {
  db: DynamoDBDocumentClient;
  tableName: string;
}

type UpdateInput = Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName">;

const CASE_PK = "CASE#";
export const caseKey = (reference: string) => ({ pk: `${CASE_PK}${reference}`, sk: "CASE" });
/** The reference of a case item, or of its key as an index returns it. */
export const referenceOf = (item: Record<string, unknown>) => String(item.pk).slice(CASE_PK.length);

/** The partition of each index that a case is placed in. */
export const inboxPartition = (inbox: string) => `CONSORTIUM#${inbox}`;
export const companyPartition = (cvr: string) => `CVR#${cvr}`;
export const dayPartition = (day: string) => `RECEIVED#${day}`;
export const PENDING = "PENDING";
/** The same index's other partition: delivered cases the sweeper must look at again (attention.ts). */
export const DUE = "DUE";
/** The sort key of a case in the pending index: when its last step was taken. */
export const pendingSince = (at: string, reference: string) => `${at}#${reference}`;

export function caseItem(c: CaseRecord): Record<string, unknown> {
  const day = c.receivedAt.slice(0, 10);
  return {
    ...caseKey(c.reference),
    reference: c.reference,
    status: c.status,
    receivedAt: c.receivedAt,
    updatedAt: c.updatedAt,
    payload: c.payload,
    tokenHash: c.tokenHash,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    timeline: c.timeline,
    searchText: searchText(c),
    // The inbox key (gsi1pk) is set on delivery; its sort key, time received, is known now.
    gsi1sk: `${c.receivedAt}#${c.reference}`,
    gsi2pk: companyPartition(c.payload.company.cvr),
    gsi2sk: `${c.receivedAt}#${c.reference}`,
    gsi3pk: PENDING,
    gsi3sk: pendingSince(c.updatedAt, c.reference),
    gsi4pk: dayPartition(day),
    gsi4sk: `${c.receivedAt}#${c.reference}`,
  };
}

export function fromItem(i: Record<string, unknown>): CaseRecord {
  const {
    pk,
    sk,
    gsi1pk,
    gsi1sk,
    gsi2pk,
    gsi2sk,
    gsi3pk,
    gsi3sk,
    gsi4pk,
    gsi4sk,
    resendCount,
    searchText: _text,
    noteWords: _words,
    noticesSent,
    ...rest
  } = i;
  return {
    ...(rest as Omit<CaseRecord, "pending" | "noticesSent">),
    pending: gsi3pk === PENDING,
    // A string set in DynamoDB: the channels each notice went out on (flow-writes.markNoticeSent).
    ...(noticesSent instanceof Set ? { noticesSent: [...noticesSent].map(String) } : {}),
  };
}

/** An update that may fail its condition: false (or undefined) then, never an exception. */
export async function conditionalUpdate(
  t: CaseTable,
  input: UpdateInput & { ReturnValues: "ALL_NEW" },
): Promise<Record<string, unknown> | undefined>;
export async function conditionalUpdate(t: CaseTable, input: UpdateInput): Promise<boolean>;
export async function conditionalUpdate(
  t: CaseTable,
  input: UpdateInput,
): Promise<boolean | Record<string, unknown> | undefined> {
  try {
    const out = await t.db.send(new UpdateCommand({ TableName: t.tableName, ...input }));
    return input.ReturnValues === "ALL_NEW" ? out.Attributes : true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException)
      return input.ReturnValues === "ALL_NEW" ? undefined : false;
    throw err;
  }
}

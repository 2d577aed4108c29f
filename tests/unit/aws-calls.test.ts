import { describe, expect, it } from "vitest";
import { iamActions } from "#local/call-recorder.ts";

/** The IAM actions a call needs, in IndgangFunction.granted's form (what the grants check compares). */
describe("iamActions", () => {
  it("a DynamoDB call needs its own action, and a query of an index needs that index", () => {
    expect(iamActions("dynamodb", "GetItemCommand", {})).toEqual(["dynamodb:GetItem"]);
    expect(iamActions("dynamodb", "BatchGetItemCommand", {})).toEqual(["dynamodb:BatchGetItem"]);
    expect(iamActions("dynamodb", "QueryCommand", {})).toEqual(["dynamodb:Query"]);
    expect(iamActions("dynamodb", "QueryCommand", { IndexName: "byDay" })).toEqual(["dynamodb:Query@byDay"]);
  });

  it("a transaction needs the action of each of its items", () => {
    const input = {
      TransactItems: [
        { Put: { TableName: "t" } },
        { Update: { TableName: "t" } },
        { ConditionCheck: { TableName: "t" } },
        { Delete: { TableName: "t" } },
      ],
    };
    expect(iamActions("dynamodb", "TransactWriteItemsCommand", input)).toEqual([
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
    ]);
    expect(iamActions("dynamodb", "TransactGetItemsCommand", {})).toEqual(["dynamodb:GetItem"]);
  });

  it("an SQS batch call needs the single action (IAM has no batch actions)", () => {
    expect(iamActions("sqs", "SendMessageCommand", {})).toEqual(["sqs:SendMessage"]);
    expect(iamActions("sqs", "SendMessageBatchCommand", {})).toEqual(["sqs:SendMessage"]);
    expect(iamActions("sqs", "DeleteMessageBatchCommand", {})).toEqual(["sqs:DeleteMessage"]);
    expect(iamActions("sqs", "ChangeMessageVisibilityBatchCommand", {})).toEqual([
      "sqs:ChangeMessageVisibility",
    ]);
  });
});

/**
 * The "SDK floor" Lambda entry of the bundle benchmark: only the AWS SDK clients every Indgang
 * function uses (DynamoDB with the document client, SQS, and Secrets Manager for the webhook key:
 * all come with functions/commons/context.ts), constructed as that file does, and a handler that
 * touches them. Bundled exactly like the real functions (bench/bundles.ts), which also reports any
 * SDK client a function bundle holds that this floor lacks.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const region = process.env.AWS_REGION;
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region }), {
  marshallOptions: { removeUndefinedValues: true },
});
const sqs = new SQSClient({ region });
const secrets = new SecretsManagerClient({ region });

export const handler = async (): Promise<{ clients: number }> => ({ clients: [db, sqs, secrets].length });

/**
 * The two servers the sustained-intake run of bench/e2e.ts compares, on the bench stack's DynamoDB
 * Local and fauxqs: the yardstick (a minimal handler doing the intake's durable work and nothing
 * else) and Indgang's public app alone (no workers running).
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { serve } from "@hono/node-server";
import { createPublicApp } from "#functions/http/public-app.tsx";
import { addCommitBarrier } from "#local/commit-barrier.ts";
import { LOCAL_CREDENTIALS } from "#local/dynamodb.ts";
import { type BenchStack, sideResources, UNLIMITED } from "./bench-stack.ts";

/**
 * A node:http server on loopback doing, per request, what the intake must make durable before it
 * answers 202: one TransactWriteItems of two conditional puts (the request, and its
 * duplicate-submission key, as the intake writes the case and its key together) and one
 * SendMessage. No validation, no index attributes, no HTML: the yardstick of the same work.
 */
export async function startMinimalHandler(stack: BenchStack) {
  const { AWS_REGION: region } = stack.ctx.config;
  const dynamodb = new DynamoDBClient({
    region,
    endpoint: stack.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const db = DynamoDBDocumentClient.from(dynamodb);
  // As on the local stack's intake: DynamoDB Local answers a transaction before its COMMIT ran, so
  // both sides wait for it (local/commit-barrier.ts) — the same durable work.
  addCommitBarrier(db);
  const sqs = new SQSClient({ region, endpoint: stack.sqsEndpoint, credentials: LOCAL_CREDENTIALS });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "indgang-bench-minimal" }));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const reference = randomUUID();
      const body = Buffer.concat(chunks).toString("utf8");
      const payload: unknown = JSON.parse(body);
      const key = createHash("sha256").update(body).digest("base64url");
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: stack.tableName,
                Item: { pk: `MINIMAL#${reference}`, sk: "MINIMAL", payload },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Put: {
                TableName: stack.tableName,
                Item: { pk: `MINIMAL-KEY#${key}`, sk: "MINIMAL-KEY", reference },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      )
        .then(() =>
          sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ reference }) })),
        )
        .then(
          () => {
            res.writeHead(202, { "content-type": "application/json" });
            res.end(JSON.stringify({ reference }));
          },
          () => {
            res.writeHead(503, { "content-type": "application/json" });
            res.end("{}");
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queued: async () =>
      Number(
        (
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
          )
        ).Attributes?.ApproximateNumberOfMessages ?? Number.NaN,
      ),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      dynamodb.destroy();
      sqs.destroy();
    },
  };
}

/**
 * The public app alone, served on loopback as `npm start` serves it, on the second table and
 * queues (no poller: nothing triages or delivers meanwhile): the intake's own cost.
 */
export async function startIntakeAlone(stack: BenchStack) {
  const side = await sideResources(stack);
  const ctx = side.context("local");
  const app = createPublicApp({
    ...ctx,
    rateLimitPerMinute: UNLIMITED,
    clientKey: () => "bench",
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/requests`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      side.destroy();
    },
  };
}

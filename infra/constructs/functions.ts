import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ArnFormat, CfnElement, type Duration, Stack, Validations } from "aws-cdk-lib";
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Charset, LogLevel, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { type IndexName, QUEUE_DEFAULTS } from "#shared/resources.ts";
import { type IndgangQueue, VISIBILITY_TO_TIMEOUT_RATIO } from "./case-queues.ts";

/**
 * The case table as a grant needs it: the `Data` construct in the application stack, or the same
 * table named by ARN from another stack (the inbound-mail stack in the mail-receiving region).
 */
export interface TableRef {
  readonly table: { readonly tableArn: string; readonly tableName: string };
  indexArn(index: IndexName): string;
}

/** Object actions a function may be granted on a bucket: under one key prefix only. */
export type BucketObjectAction = "s3:GetObject" | "s3:DeleteObject";

/** The repository root: entry files and the lock file are resolved from here. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The current Node.js Lambda runtime, and the esbuild target that matches it. */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;
const ESBUILD_TARGET = "node24";

/** DynamoDB actions a function may be granted: item-level only, never a wildcard. */
export type TableAction =
  | "dynamodb:GetItem"
  | "dynamodb:BatchGetItem"
  | "dynamodb:Query"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:ConditionCheckItem";

/** What a consumer needs from its queue: the event source mapping polls with the function's role. */
const CONSUMER_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueAttributes",
];

/**
 * How a function is invoked, which decides where its failures go: an API caller sees the error,
 * an SQS message is retried and then dead-lettered by its queue, a scheduled or SES-delivered
 * (asynchronous) invocation is retried by Lambda and then needs a dead-letter queue of its own.
 */
export type Invocation =
  | { readonly by: "api" }
  | { readonly by: "queue" }
  | { readonly by: "schedule" | "ses"; readonly deadLetterQueue: IQueue };

export interface IndgangFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/public-api.ts`; exports `handler`. */
  readonly entry: string;
  /** Short name, e.g. `public-api`: the function is `<prefix>-<name>`. */
  readonly name: string;
  readonly prefix: string;
  readonly description: string;
  readonly timeout: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  readonly logRetention: RetentionDays;
  /** Environment shared by every function (see shared/config.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly invocation: Invocation;
  /**
   * Data files (relative to the repository root) shipped beside the bundle, read at run time only
   * when needed instead of parsed into every cold start, e.g. the default rule set.
   */
  readonly files?: readonly string[];
}

const NO_ASYNC_DLQ_REASON: Record<Exclude<Invocation["by"], "schedule" | "ses">, string> = {
  api:
    "Invoked synchronously by API Gateway: the caller receives the error, and Lambda never queues the event, " +
    "so an asynchronous dead-letter queue would never receive anything.",
  queue:
    "Invoked synchronously by an SQS event source mapping: a failed message returns to its queue and after " +
    "maxReceiveCount moves to that queue's DLQ (alarmed). An asynchronous DLQ would never receive anything.",
};

/** True when the entry file exists in this checkout. */
export function entryExists(entry: string): boolean {
  return existsSync(join(REPO_ROOT, entry));
}

/**
 * A Lambda function with Indgang's defaults: arm64, the current Node.js runtime, a minified ESM
 * bundle built locally by esbuild with the AWS SDK inside (no Docker, no reliance on the SDK
 * version in the runtime), JSON logs into its own log group with a retention, and X-Ray tracing.
 *
 * Permissions are explicit. The function runs with a role that CDK's automatic grants cannot
 * widen (`withoutPolicyUpdates`): the only statements are the log group, X-Ray, and what the
 * `bind*` methods add. Each `bind*` grants exactly the actions named and sets the environment
 * variable the code reads, so what a function may do is visible where it is wired.
 */
export class IndgangFunction extends NodejsFunction {
  /** The mutable execution role behind the function; `bind*` methods add to it. */
  readonly executionRole: Role;
  readonly functionLogGroup: LogGroup;
  readonly timeoutDuration: Duration;
  readonly shortName: string;
  /**
   * What the bind methods granted on the table, queues and buckets, as `dynamodb:GetItem` (on the table),
   * `dynamodb:Query@byDay` (on that index) and `sqs:SendMessage` (on some queue): the integration
   * tests check every call a function makes on the local stack against it (tests/support/grants.ts).
   */
  readonly granted = new Set<string>();
  private consumesQueues = false;

  constructor(scope: Construct, id: string, props: IndgangFunctionProps) {
    const entry = join(REPO_ROOT, props.entry);
    if (!existsSync(entry)) throw new Error(`${id}: entry file ${props.entry} does not exist`);

    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
    const executionRole = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${props.prefix}-${props.name}`,
    });
    logGroup.grantWrite(executionRole);

    super(scope, id, {
      entry,
      handler: "handler",
      functionName: `${props.prefix}-${props.name}`,
      description: props.description,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      role: executionRole.withoutPolicyUpdates(),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: "deadLetterQueue" in props.invocation ? props.invocation.deadLetterQueue : undefined,
      environment: {
        ...props.environment,
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: ESBUILD_TARGET,
        format: OutputFormat.ESM,
        mainFields: ["module", "main"],
        // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
        banner:
          "import { createRequire as __indgangCreateRequire } from 'node:module'; " +
          "const require = __indgangCreateRequire(import.meta.url);",
        charset: Charset.UTF8,
        bundleAwsSDK: true,
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            (props.files ?? []).map((f) => `cp "${join(inputDir, f)}" "${outputDir}/"`),
        },
        logLevel: LogLevel.WARNING,
      },
    });

    this.executionRole = executionRole;
    this.functionLogGroup = logGroup;
    this.timeoutDuration = props.timeout;
    this.shortName = props.name;

    // The role is immutable to the function, so CDK's own grants (tracing, DLQ, event sources)
    // land nowhere; add the ones that are needed here, explicitly.
    const tracing = new Policy(executionRole, "Tracing", {
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          resources: ["*"],
        }),
      ],
    });
    executionRole.attachInlinePolicy(tracing);
    Validations.of(tracing).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions " +
        "(Service Authorization Reference), so '*' is the only possible resource. Nothing else is in this policy.",
    });
    if ("deadLetterQueue" in props.invocation) {
      this.bindQueueSender(props.invocation.deadLetterQueue);
    } else {
      Validations.of(this).acknowledge({
        id: "Serverless-LambdaDLQ",
        reason: NO_ASYNC_DLQ_REASON[props.invocation.by],
      });
    }
  }

  /**
   * Grants the named item-level actions on the table (never its indexes) and, for each index
   * given, `dynamodb:Query` on that index only. Sets TABLE_NAME.
   */
  bindTable(
    data: TableRef,
    actions: readonly TableAction[],
    options: { indexes?: readonly IndexName[] } = {},
  ): this {
    if (actions.length === 0) throw new Error(`${this.node.id}: bindTable needs at least one action`);
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions].sort(), resources: [data.table.tableArn] }),
    );
    for (const action of actions) this.granted.add(action);
    const indexes = options.indexes ?? [];
    if (indexes.length > 0) {
      this.executionRole.addToPrincipalPolicy(
        new PolicyStatement({ actions: ["dynamodb:Query"], resources: indexes.map((i) => data.indexArn(i)) }),
      );
      for (const index of indexes) this.granted.add(`dynamodb:Query@${index}`);
    }
    this.addEnvironment("TABLE_NAME", data.table.tableName);
    return this;
  }

  /** Grants sqs:SendMessage on exactly these queues (URLs are QUEUE_URL_PREFIX + name). */
  bindQueueSender(...queues: IQueue[]): this {
    if (queues.length === 0) return this;
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: queues.map((q) => q.queueArn) }),
    );
    this.granted.add("sqs:SendMessage");
    return this;
  }

  /**
   * Consumes a queue through an event source mapping that reports batch item failures (one bad
   * message does not fail the batch) and whose maximum concurrency caps the writers the table sees.
   * Refuses a queue whose visibility timeout is below 6x this function's timeout.
   */
  bindQueueConsumer(queue: IndgangQueue, options: { maxConcurrency: number }): this {
    const needed = this.timeoutDuration.toSeconds() * VISIBILITY_TO_TIMEOUT_RATIO;
    if (queue.visibilityTimeout.toSeconds() < needed) {
      throw new Error(
        `${this.node.id}: queue ${queue.definition.suffix} has a visibility timeout of ` +
          `${queue.visibilityTimeout.toSeconds()} s, below ${VISIBILITY_TO_TIMEOUT_RATIO} x ` +
          `${this.timeoutDuration.toSeconds()} s`,
      );
    }
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: CONSUMER_ACTIONS, resources: [queue.queue.queueArn] }),
    );
    for (const action of CONSUMER_ACTIONS) this.granted.add(action);
    this.addEventSource(
      new SqsEventSource(queue.queue, {
        batchSize: QUEUE_DEFAULTS.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: Math.max(2, options.maxConcurrency),
      }),
    );
    if (!this.consumesQueues) {
      this.consumesQueues = true;
      Validations.of(this).acknowledge({
        id: "Serverless-LambdaEventSourceMappingDestination",
        reason:
          "SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do). " +
          "Failed messages go to the source queue's DLQ through its redrive policy (maxReceiveCount 5), and every " +
          "DLQ has an alarm.",
      });
    }
    return this;
  }

  /**
   * For the administrators' dead-letter screen: read and delete messages of the given queues' DLQs,
   * and send them back to the source queues (a plain receive/send/delete redrive, which works on the
   * local emulator too, so StartMessageMoveTask is not granted).
   */
  bindDeadLetterAdmin(queues: readonly IndgangQueue[]): this {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...CONSUMER_ACTIONS],
        resources: queues.map((q) => q.deadLetterQueue.queueArn),
      }),
    );
    for (const action of CONSUMER_ACTIONS) this.granted.add(action);
    this.bindQueueSender(...queues.map((q) => q.queue));
    return this;
  }

  /** Grants reading exactly this secret and passes its ARN (never its value) in `variable`. */
  bindSecretReader(secret: ISecret, variable: string): this {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [secret.secretArn] }),
    );
    this.addEnvironment(variable, secret.secretArn);
    return this;
  }

  /**
   * The same, for a secret of another region named by its name (the code passes the name as the
   * SecretId, which Secrets Manager resolves in that region): granted on that name plus the six
   * characters Secrets Manager appends to every secret's ARN, so on no other secret.
   */
  bindSecretReaderByName(name: string, region: string, variable: string): this {
    const arn = Stack.of(this).formatArn({
      service: "secretsmanager",
      region,
      resource: "secret",
      resourceName: `${name}-??????`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [arn] }),
    );
    this.addEnvironment(variable, name);
    return this;
  }

  /**
   * Grants the named object actions on the objects under `prefix` in `bucket` (never the bucket
   * itself, never another prefix), and passes the bucket's name in `variable`.
   */
  bindBucketObjects(
    bucket: IBucket,
    prefix: string,
    actions: readonly BucketObjectAction[],
    variable: string,
  ): this {
    if (actions.length === 0) throw new Error(`${this.node.id}: bindBucketObjects needs at least one action`);
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions].sort(), resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    for (const action of actions) this.granted.add(action);
    this.addEnvironment(variable, bucket.bucketName);
    // cdk-nag names the finding after the bucket's logical ID, as `<Id.Arn>/<prefix>*`.
    const cfn = bucket.node.defaultChild;
    const arn = cfn instanceof CfnElement ? `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>` : bucket.bucketArn;
    Validations.of(this.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arn}/${prefix}*]`,
      reason:
        `Object actions (${[...actions].sort().join(", ")}) need object ARNs: the wildcard is the objects under ` +
        `the prefix ${prefix} of this one bucket (keys are SES message ids, unknown in advance), nothing else.`,
    });
    return this;
  }

  /**
   * Lets the function send e-mail through SES as exactly `fromAddress`, and sets NOTIFY_FROM_EMAIL.
   * `ses:SendEmail` is granted on the sender's identity in this stack's region — the address
   * identity and its domain identity, as SES authorises against whichever of the two is verified
   * (outside the stack, see infra/README.md) — and only with `ses:FromAddress` equal to the address,
   * so a verified domain does not let the function send as any other address of it. `region`: the
   * region the identity is verified in, when it is not this stack's (the inbound-mail stack's).
   */
  bindSesSender(fromAddress: string, options: { region?: string } = {}): this {
    const at = fromAddress.lastIndexOf("@");
    if (at <= 0 || at === fromAddress.length - 1) {
      throw new Error(`${this.node.id}: ${fromAddress} is not an e-mail address`);
    }
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({
        service: "ses",
        resource: "identity",
        resourceName: name,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        ...(options.region ? { region: options.region } : {}),
      });
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: [identity(fromAddress), identity(fromAddress.slice(at + 1))],
        conditions: { StringEquals: { "ses:FromAddress": fromAddress } },
      }),
    );
    this.addEnvironment("NOTIFY_FROM_EMAIL", fromAddress);
    return this;
  }

  /** Sets environment variables (not secrets: Lambda environment is visible to readers of the config). */
  bindEnvironment(variables: Readonly<Record<string, string>>): this {
    for (const [key, value] of Object.entries(variables)) this.addEnvironment(key, value);
    return this;
  }
}

/** `https://sqs.<region>.<suffix>/<account>/`: a queue's URL is this plus `queueName(prefix, def)`. */
export function queueUrlPrefix(scope: Construct): string {
  const stack = Stack.of(scope);
  return `https://sqs.${stack.region}.${stack.urlSuffix}/${stack.account}/`;
}

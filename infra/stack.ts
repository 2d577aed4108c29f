import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { QUEUE_DEFAULTS } from "#shared/resources.ts";
import { Api } from "./constructs/api.ts";
import { Queues } from "./constructs/case-queues.ts";
import { Data } from "./constructs/data.ts";
import { Edge, EdgeFirewall } from "./constructs/edge.ts";
import {
  entryExists,
  IndgangFunction,
  type IndgangFunctionProps,
  queueUrlPrefix,
} from "./constructs/functions.ts";
import { metricsNamespace, Observability } from "./constructs/observability.ts";
import { Auth } from "./constructs/user-pool.ts";
import type { InfraConfig } from "./stack-config.ts";

export type FunctionSpec = Pick<
  IndgangFunctionProps,
  "entry" | "name" | "description" | "timeout" | "files"
> & {
  readonly id: string;
  /** Deployed only when its entry file exists in the checkout. */
  readonly optional?: boolean;
  /** Deployed in the inbound-mail stack (SES's receiving region), and only with a reply domain. */
  readonly inboundMailStack?: boolean;
};

/** Read by shared/rules/default.ts beside the code, only while no rule set has been published. */
const DEFAULT_RULE_SET_FILE = "shared/rules/default-ruleset.json";

/** The Lambda functions of Indgang, as data: entry, name, timeout. Wiring is below, in the stack. */
export const FUNCTIONS = {
  publicApi: {
    id: "PublicApi",
    name: "public-api",
    entry: "functions/public-api.ts",
    description: "Public form, intake API, status page and API docs",
    timeout: Duration.seconds(10),
  },
  staffApi: {
    id: "StaffApi",
    name: "staff-api",
    entry: "functions/staff-api.ts",
    description: "Consortium inbox and administration (behind Cognito)",
    timeout: Duration.seconds(10),
    optional: true,
    files: [DEFAULT_RULE_SET_FILE],
  },
  triageWorker: {
    id: "TriageWorker",
    name: "triage-worker",
    entry: "functions/triage-worker.ts",
    description: "Classifies and routes each new case (intake queue)",
    timeout: Duration.seconds(QUEUE_DEFAULTS.consumerTimeoutSeconds),
    files: [DEFAULT_RULE_SET_FILE],
  },
  deliveryWorker: {
    id: "DeliveryWorker",
    name: "delivery-worker",
    entry: "functions/delivery-worker.ts",
    description: "Places routed cases in their inbox (consortium and manual-triage queues)",
    timeout: Duration.seconds(QUEUE_DEFAULTS.consumerTimeoutSeconds),
  },
  sweeper: {
    id: "Sweeper",
    name: "sweeper",
    entry: "functions/sweeper.ts",
    description: "Every minute: re-sends cases stuck before their inbox",
    // Shorter than the schedule's period, so runs do not pile up.
    timeout: Duration.seconds(50),
  },
  inboundMail: {
    id: "InboundMail",
    name: "inbound-mail",
    entry: "functions/inbound-mail.ts",
    description: "SES inbound: a company's e-mail reply (raw message in S3) onto its case",
    timeout: Duration.seconds(30),
    inboundMailStack: true,
  },
} as const satisfies Record<string, FunctionSpec>;

/** The Secrets Manager name of the key the companies' links and reply addresses are derived from. */
export const caseLinkSecretName = (prefix: string) => `${prefix}/case-link-key`;

export interface IndgangStackProps extends StackProps {
  readonly config: InfraConfig;
  /** The CLOUDFRONT-scope WAF web ACL (from the us-east-1 firewall stack, or from context). */
  readonly webAclArn: string;
}

/**
 * The application in its region, top-down: data, transport, functions and what each may do, the
 * sweeper's schedule, staff sign-in, the HTTP API, CloudFront with WAF, and observability.
 */
export class IndgangStack extends Stack {
  readonly data: Data;
  readonly queues: Queues;
  readonly functions: IndgangFunction[];
  readonly publicApi: IndgangFunction;
  readonly staffApi: IndgangFunction | undefined;
  readonly triageWorker: IndgangFunction;
  readonly deliveryWorker: IndgangFunction;
  readonly sweeper: IndgangFunction;
  readonly auth: Auth;
  readonly api: Api;
  readonly edge: Edge;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: IndgangStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { prefix } = config;

    // Data and transport, from shared/resources.ts.
    this.data = new Data(this, "Data", { prefix });
    this.queues = new Queues(this, "Queues", { prefix, consortiumIds: config.consortiumIds });
    const { data, queues } = this;
    const inboxQueues = [queues.manual, ...queues.consortia].map((q) => q.queue);

    // Functions. Each one's permissions are exactly the bind* calls below.
    const environment = {
      INDGANG_MODE: "aws",
      RESOURCE_PREFIX: prefix,
      QUEUE_URL_PREFIX: queueUrlPrefix(this),
      RETENTION_DAYS: String(config.caseRetentionDays),
      SWEEP_AFTER_SECONDS: String(config.sweepAfterSeconds),
      METRICS_NAMESPACE: metricsNamespace(config.stage),
      // The signed reply addresses in the e-mails to companies (received by the inbound-mail stack).
      ...(config.replyDomain ? { REPLY_DOMAIN: config.replyDomain } : {}),
    };
    const fn = (spec: FunctionSpec, invocation: IndgangFunctionProps["invocation"]) =>
      new IndgangFunction(this, spec.id, {
        ...spec,
        prefix,
        environment,
        logRetention: config.logRetentionDays,
        invocation,
      });

    // The key the company's status links are derived from (shared/conversation/case-links.ts): the
    // intake derives a new case's token, the delivery worker the same token for the acknowledgement.
    const caseLinkSecret = new Secret(this, "CaseLinkSecret", {
      secretName: caseLinkSecretName(prefix),
      description: "HMAC key that Indgang derives the companies' status links from",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(caseLinkSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Every company's status link is derived from this key: a scheduled rotation would break the links " +
        "already mailed (the cases keep only the hash of their token). It is replaced only after a leak.",
    });

    this.publicApi = fn(FUNCTIONS.publicApi, { by: "api" })
      // UpdateItem: a company's message from its status page (appended to the case's timeline).
      .bindTable(data, [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:UpdateItem",
      ])
      .bindQueueSender(queues.intake.queue)
      .bindSecretReader(caseLinkSecret, "CASE_LINK_SECRET_ARN");

    this.triageWorker = fn(FUNCTIONS.triageWorker, { by: "queue" })
      .bindTable(data, ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"])
      .bindQueueConsumer(queues.intake, { maxConcurrency: config.maxConcurrency.triage })
      .bindQueueSender(...inboxQueues);

    // The key that signs webhook notices to consortium inboxes: generated, kept in Secrets Manager,
    // read only by the delivery worker (never in the template, the environment or the logs).
    const webhookSecret = new Secret(this, "WebhookSecret", {
      secretName: `${prefix}/webhook-signing-key`,
      description: "HMAC key that signs Indgang's webhook notices to consortium inboxes",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(webhookSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The key is shared with the consortia's webhook receivers, so it is rotated by agreement with them " +
        "(put a new value, tell the receivers), not by a rotation Lambda that would break their checks.",
    });
    this.deliveryWorker = fn(FUNCTIONS.deliveryWorker, { by: "queue" })
      .bindTable(data, ["dynamodb:GetItem", "dynamodb:UpdateItem"])
      .bindSecretReader(webhookSecret, "WEBHOOK_SECRET_ARN")
      .bindSecretReader(caseLinkSecret, "CASE_LINK_SECRET_ARN");
    for (const q of queues.consumedBy("delivery")) {
      this.deliveryWorker.bindQueueConsumer(q, { maxConcurrency: config.maxConcurrency.delivery });
    }
    // E-mail notices through SES, only with a sender (its identity is verified in SES outside the
    // stack); without one, no grant and no variable, and the worker skips e-mail notices.
    if (config.notifyFromEmail) this.deliveryWorker.bindSesSender(config.notifyFromEmail);

    this.sweeper = fn(FUNCTIONS.sweeper, { by: "schedule", deadLetterQueue: queues.sweeperDeadLetterQueue })
      .bindTable(data, ["dynamodb:GetItem", "dynamodb:UpdateItem"], { indexes: ["pending"] })
      .bindQueueSender(queues.intake.queue, ...inboxQueues);

    // The inbox reads cases and a consortium's or company's list, updates cases, and sends a
    // transferred case to its new consortium's queue. Administration adds: writes of rule sets,
    // consortia, campaigns and audit entries (PutItem, in transactions), reads of rule history and
    // the audit log (Query on the table), the byDay index (statistics, backtests, campaign counts),
    // and the dead-letter queues (list and redrive).
    this.staffApi = entryExists(FUNCTIONS.staffApi.entry)
      ? fn(FUNCTIONS.staffApi, { by: "api" })
          .bindTable(
            data,
            [
              "dynamodb:BatchGetItem",
              "dynamodb:GetItem",
              "dynamodb:PutItem",
              "dynamodb:Query",
              "dynamodb:UpdateItem",
            ],
            {
              indexes: ["byConsortium", "byCompany", "byDay"],
            },
          )
          .bindQueueSender(...inboxQueues)
          .bindDeadLetterAdmin([queues.intake, queues.manual, ...queues.consortia])
          .bindEnvironment({ DEPLOYED_CONSORTIA: config.consortiumIds.join(",") })
          // A consultant's message to a company carries its status link (inbox/conversation.tsx).
          .bindSecretReader(caseLinkSecret, "CASE_LINK_SECRET_ARN")
      : undefined;
    // …and goes out by e-mail through SES, as the delivery worker's notices do.
    if (this.staffApi && config.notifyFromEmail) this.staffApi.bindSesSender(config.notifyFromEmail);
    if (!config.replyDomain) {
      Annotations.of(this).addInfo(
        "no replyDomain in context: e-mails carry no reply address and no inbound-mail stack is deployed",
      );
    }
    if (!this.staffApi) {
      Annotations.of(this).addInfo(
        `${FUNCTIONS.staffApi.entry} does not exist yet: staff routes are not deployed`,
      );
    }

    this.functions = [
      this.publicApi,
      this.staffApi,
      this.triageWorker,
      this.deliveryWorker,
      this.sweeper,
    ].filter((f): f is IndgangFunction => f !== undefined);

    // The sweeper, every minute. Undeliverable events and failed runs land in its DLQ (alarmed).
    new Rule(this, "SweepSchedule", {
      ruleName: `${prefix}-sweep`,
      description: "Re-send cases stuck before their inbox",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new LambdaFunction(this.sweeper, {
          deadLetterQueue: queues.sweeperDeadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.minutes(5),
        }),
      ],
    });

    // Staff sign-in, the HTTP API, and CloudFront with WAF in front of it.
    // The HTTP API's own endpoint is public too: CloudFront proves each request passed through it (and
    // its WAF) with a generated secret header, and the API functions refuse requests without it. Both
    // get the value as a {{resolve:secretsmanager:…}} reference that CloudFormation resolves at deploy
    // time, never the value in the template; in the functions' environment, as a deliberate trade-off
    // (readable with lambda:GetFunctionConfiguration; no Secrets Manager call, client or IAM grant in
    // the public bundle): see infra/README.md, "Security, by concern".
    const originVerifySecret = new Secret(this, "OriginVerifySecret", {
      secretName: `${prefix}/origin-verify`,
      description: "Header value CloudFront adds to requests to the Indgang HTTP API; the API refuses others",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Nothing outside this stack knows the value: it goes with the distribution and the functions.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(originVerifySecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Automatic rotation would break every request: CloudFront and the API functions receive the value " +
        "through CloudFormation dynamic references, resolved only when a deploy updates them, and the functions " +
        "accept exactly one value. Rotate by putting a new value and deploying an update to the distribution and " +
        "both functions in a quiet window. The value only proves that a request came through CloudFront and WAF.",
    });
    const originVerify = originVerifySecret.secretValue;
    for (const f of [this.publicApi, this.staffApi]) {
      f?.addEnvironment("ORIGIN_VERIFY_SECRET", originVerify.unsafeUnwrap());
    }

    this.auth = new Auth(this, "Auth", { prefix, consortiumIds: config.consortiumIds });
    this.api = new Api(this, "Api", {
      prefix,
      publicFunction: this.publicApi,
      staffFunction: this.staffApi,
      auth: this.auth,
      throttle: config.apiThrottle,
      allowedOrigins: config.allowedOrigins,
      logRetention: config.logRetentionDays,
    });
    this.edge = new Edge(this, "Edge", {
      prefix,
      originDomainName: this.api.domainName,
      originVerify,
      webAclArn: props.webAclArn,
      customDomain: config.customDomain,
      logRetentionDays: config.logRetentionDays,
    });

    const publicBaseUrl = config.publicBaseUrl ?? this.edge.url;
    this.auth.setAppOrigin(publicBaseUrl);
    for (const f of this.functions) f.bindEnvironment({ PUBLIC_BASE_URL: publicBaseUrl });
    this.staffApi?.bindEnvironment(this.auth.environment);

    this.observability = new Observability(this, "Observability", {
      prefix,
      stage: config.stage,
      consortiumIds: config.consortiumIds,
      functions: this.functions,
      queues,
      api: this.api,
      table: data.table,
      alarmEmail: config.alarmEmail,
      oldestMessageAge: Duration.seconds(Math.max(300, 2 * config.sweepAfterSeconds)),
      api5xxPercent: 1,
    });

    new CfnOutput(this, "PublicUrl", { value: publicBaseUrl, description: "The public form" });
    new CfnOutput(this, "DistributionId", { value: this.edge.distribution.distributionId });
    new CfnOutput(this, "ApiEndpoint", { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, "TableName", { value: data.table.tableName });
    new CfnOutput(this, "UserPoolId", { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, "SignInDomain", { value: this.auth.domain.baseUrl() });
    new CfnOutput(this, "AlarmTopicArn", { value: this.observability.topic.topicArn });
  }
}

export interface IndgangEdgeFirewallStackProps extends StackProps {
  readonly config: InfraConfig;
}

/**
 * The WAF web ACL for CloudFront. CLOUDFRONT-scope web ACLs exist only in us-east-1, so this small
 * stack is pinned there and the application stack reads the ACL's ARN through CDK's cross-region
 * references (an SSM parameter written here and read there by a CDK-provided custom resource).
 */
export class IndgangEdgeFirewallStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: IndgangEdgeFirewallStackProps) {
    super(scope, id, props);
    this.firewall = new EdgeFirewall(this, "Firewall", {
      prefix: props.config.prefix,
      rateLimits: props.config.wafRateLimits,
    });
  }

  get webAclArn(): string {
    return this.firewall.webAcl.attrArn;
  }
}

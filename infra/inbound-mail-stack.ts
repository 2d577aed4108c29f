import { CfnOutput, Duration, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { QUEUE_DEFAULTS, TABLE, tableName } from "#shared/resources.ts";
import { IndgangFunction, type TableRef } from "./constructs/functions.ts";
import { INBOUND_OBJECT_PREFIX, InboundMail } from "./constructs/inbound-mail.ts";
import { metricsNamespace } from "./constructs/observability.ts";
import { caseLinkSecretName, FUNCTIONS } from "./stack.ts";
import type { InfraConfig } from "./stack-config.ts";

/** Days an unhandled message may stay in the bucket (the function deletes each one it handles). */
export const INBOUND_EXPIRE_DAYS = 3;

export interface IndgangInboundMailStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly replyDomain: string;
}

/**
 * The companies' e-mail replies, on AWS: SES e-mail receiving is offered in only a few regions
 * (not eu-north-1, infra/README.md), so this small stack is pinned to `inboundMailRegion` and holds
 * the receipt rule set, the bucket and the `inboundMail` function. The function reaches the case
 * table, the case-link key and the SES sender in the application's region by name (all three are
 * named from the prefix), not through cross-region references: this stack is deployed after the
 * application stack and nothing there depends on it. Its failures are alarmed here (CloudWatch
 * alarms are regional): the dead-letter queue of its asynchronous invocations, errors and throttles.
 */
export class IndgangInboundMailStack extends Stack {
  readonly inboundMail: IndgangFunction;
  readonly deadLetterQueue: Queue;
  readonly mail: InboundMail;
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: IndgangInboundMailStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { prefix } = config;
    this.prefix = prefix;
    const appRegion = config.region;

    this.deadLetterQueue = new Queue(this, "InboundMailDlq", {
      queueName: `${prefix}-inbound-mail-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(QUEUE_DEFAULTS.dlqRetentionSeconds),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "Serverless-SQSRedrivePolicy",
      reason:
        "This queue is itself the dead-letter queue of the inbound-mail function's asynchronous invocations; " +
        "its depth raises an alarm, and the message it holds names the S3 object to handle again.",
    });

    // The table of the application stack, by name: item actions only, no index.
    const table: TableRef = {
      table: {
        tableName: tableName(prefix),
        tableArn: this.formatArn({
          service: "dynamodb",
          region: appRegion,
          resource: "table",
          resourceName: tableName(prefix),
        }),
      },
      indexArn: (index) => `${table.table.tableArn}/index/${TABLE.indexes[index].name}`,
    };

    const spec = FUNCTIONS.inboundMail;
    this.inboundMail = new IndgangFunction(this, spec.id, {
      ...spec,
      prefix,
      logRetention: config.logRetentionDays,
      invocation: { by: "ses", deadLetterQueue: this.deadLetterQueue },
      environment: {
        INDGANG_MODE: "aws",
        RESOURCE_PREFIX: prefix,
        // Required by shared/config.ts; this function sends to no queue (and may not).
        QUEUE_URL_PREFIX: `https://sqs.${appRegion}.${this.urlSuffix}/${this.account}/`,
        RETENTION_DAYS: String(config.caseRetentionDays),
        SWEEP_AFTER_SECONDS: String(config.sweepAfterSeconds),
        METRICS_NAMESPACE: metricsNamespace(config.stage),
        // The region of the table, the key and the SES sender (AWS_REGION is this stack's, Lambda's own).
        APP_REGION: appRegion,
        REPLY_DOMAIN: props.replyDomain,
        INBOUND_MAIL_PREFIX: INBOUND_OBJECT_PREFIX,
      },
    })
      // receiveReply reads the case (GetItem) and appends the reply to its timeline (UpdateItem).
      .bindTable(table, ["dynamodb:GetItem", "dynamodb:UpdateItem"])
      .bindSecretReaderByName(caseLinkSecretName(prefix), appRegion, "CASE_LINK_SECRET_ARN");
    // The bounce of a refused reply, from the same sender as the other e-mails (verified in the
    // application's region); without one, refusals are logged and not bounced.
    if (config.notifyFromEmail) this.inboundMail.bindSesSender(config.notifyFromEmail, { region: appRegion });

    this.mail = new InboundMail(this, "Mail", {
      prefix,
      replyDomain: props.replyDomain,
      receiver: this.inboundMail,
      expireAfterDays: INBOUND_EXPIRE_DAYS,
      logRetentionDays: config.logRetentionDays,
    });
    this.inboundMail.bindBucketObjects(
      this.mail.bucket,
      INBOUND_OBJECT_PREFIX,
      ["s3:GetObject", "s3:DeleteObject"],
      "INBOUND_MAIL_BUCKET",
    );

    // Not KMS-encrypted, as the application's alarm topic: alarm names and values, never mail.
    this.topic = new Topic(this, "Alarms", { topicName: `${prefix}-inbound-mail-alarms`, enforceSSL: true });
    if (config.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(this.topic).acknowledge({
        id: "Serverless-SNSRedrivePolicy",
        reason:
          "The only subscription is an operator e-mail address; SNS retries e-mail delivery itself, and every " +
          "alarm's state stays visible in CloudWatch, so a DLQ for notifications would add nothing.",
      });
    }
    const fiveMinutes = Duration.minutes(5);
    this.alarm(
      "DeadLetters",
      "Inbound e-mails whose handling failed after Lambda's retries: see the function's logs, then handle the S3 object again.",
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: "Maximum",
      }),
    );
    this.alarm(
      "Errors",
      "inbound-mail failed invocations (uncaught errors or timeouts).",
      this.inboundMail.metricErrors({ period: fiveMinutes, statistic: "Sum" }),
    );
    this.alarm(
      "Throttles",
      "inbound-mail invocations were throttled.",
      this.inboundMail.metricThrottles({ period: fiveMinutes, statistic: "Sum" }),
    );

    new CfnOutput(this, "ReceiptRuleSetName", {
      value: this.mail.ruleSet.receiptRuleSetName,
      description:
        "Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this> --region <region>",
    });
    new CfnOutput(this, "MxRecord", {
      value: `10 inbound-smtp.${this.region}.amazonaws.com`,
      description: `The MX record of ${props.replyDomain}`,
    });
  }

  private alarm(id: string, description: string, metric: Metric): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      alarmName: `${this.prefix}-inbound-mail-${id.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`,
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}

import { Duration, Validations } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  type Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { FLOW_METRICS } from "#shared/metrics.ts";
import { NEEDS } from "#shared/needs.ts";

import type { Api } from "./api.ts";
import type { Queues } from "./case-queues.ts";
import type { IndgangFunction } from "./functions.ts";

/**
 * The business metrics the functions publish as EMF (functions/commons/emf-metrics.ts) into the
 * namespace in METRICS_NAMESPACE. The dashboard finds them with SEARCH, so extra dimensions (such as
 * `service`) do not matter; the dimension names below do.
 */
export { FLOW_METRICS };

/** The CloudWatch namespace of one stage's business metrics. */
export function metricsNamespace(stage: string): string {
  return `Indgang/${stage}`;
}

export interface ObservabilityProps {
  readonly prefix: string;
  readonly stage: string;
  readonly consortiumIds: readonly string[];
  readonly functions: readonly IndgangFunction[];
  readonly queues: Queues;
  readonly api: Api;
  readonly table: Table;
  readonly alarmEmail: string | undefined;
  /** A message older than this in a work queue means its consumer is not keeping up. */
  readonly oldestMessageAge: Duration;
  /** The API 5xx share (percent of requests) that raises an alarm. */
  readonly api5xxPercent: number;
}

/**
 * Alarms on everything that means a case is not flowing: any message in any dead-letter queue,
 * function errors and throttles, DynamoDB throttling, an API 5xx rate, and work queues whose
 * oldest message is too old. All alarms notify one SNS topic. A dashboard shows the technical
 * health and the business flow: cases by need and by consortium over time.
 */
export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly props: ObservabilityProps;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.props = props;

    // Not KMS-encrypted on purpose: notifications carry alarm names and metric values, never case
    // data, and CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key.
    this.topic = new Topic(this, "Alarms", { topicName: `${props.prefix}-alarms`, enforceSSL: true });
    if (props.alarmEmail) {
      const subscription = new EmailSubscription(props.alarmEmail);
      this.topic.addSubscription(subscription);
      Validations.of(this.topic).acknowledge({
        id: "Serverless-SNSRedrivePolicy",
        reason:
          "The only subscription is an operator e-mail address; SNS retries e-mail delivery itself, and every " +
          "alarm's state stays visible in CloudWatch, so a DLQ for notifications would add nothing.",
      });
    }

    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    for (const dlq of props.queues.deadLetterQueues) {
      const suffix = dlqSuffix(dlq, props.prefix);
      this.alarm(`DeadLetters-${suffix}`, {
        name: `dead-letters-${suffix}`,
        description: `Messages in ${suffix}: processing failed repeatedly. Inspect the messages and redrive them.`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: "Maximum" }),
        threshold: 0,
        evaluationPeriods: 1,
      });
    }

    for (const q of props.queues.all) {
      this.alarm(`OldestMessage-${q.definition.suffix}`, {
        name: `oldest-message-${q.definition.suffix}`,
        description: `The oldest message in ${q.definition.suffix} is older than ${props.oldestMessageAge.toHumanString()}.`,
        metric: q.queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: "Maximum" }),
        threshold: props.oldestMessageAge.toSeconds(),
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      });
    }

    for (const fn of props.functions) {
      this.alarm(`Errors-${fn.shortName}`, {
        name: `errors-${fn.shortName}`,
        description: `${fn.shortName} failed invocations (uncaught errors or timeouts).`,
        metric: fn.metricErrors({ period: fiveMinutes, statistic: "Sum" }),
        threshold: 0,
        evaluationPeriods: 1,
      });
      this.alarm(`Throttles-${fn.shortName}`, {
        name: `throttles-${fn.shortName}`,
        description: `${fn.shortName} invocations were throttled (account or reserved concurrency exhausted).`,
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: "Sum" }),
        threshold: 0,
        evaluationPeriods: 1,
      });
    }

    this.alarm("TableThrottles", {
      name: "table-throttles",
      description: "DynamoDB throttled reads or writes on the case table.",
      metric: new MathExpression({
        expression: "reads + writes",
        usingMetrics: {
          reads: props.table.metric("ReadThrottleEvents", { period: fiveMinutes, statistic: "Sum" }),
          writes: props.table.metric("WriteThrottleEvents", { period: fiveMinutes, statistic: "Sum" }),
        },
        label: "Throttle events",
        period: fiveMinutes,
      }),
      threshold: 0,
      evaluationPeriods: 1,
    });

    this.alarm("Api5xxRate", {
      name: "api-5xx-rate",
      description: `More than ${props.api5xxPercent}% of API requests answered 5xx.`,
      metric: this.api5xxRate(fiveMinutes),
      threshold: props.api5xxPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    this.dashboard = this.createDashboard();
  }

  private alarm(
    id: string,
    spec: {
      name: string;
      description: string;
      metric: IMetric;
      threshold: number;
      evaluationPeriods: number;
      datapointsToAlarm?: number;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.props.prefix}-${spec.name}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  private api5xxRate(period: Duration): MathExpression {
    const api = this.props.api.httpApi;
    return new MathExpression({
      expression: "IF(requests > 0, 100 * errors / requests, 0)",
      usingMetrics: {
        errors: api.metricServerError({ period, statistic: "Sum" }),
        requests: api.metricCount({ period, statistic: "Sum" }),
      },
      label: "5xx (% of requests)",
      period,
    });
  }

  private flowSearch(metricName: string, filter: string, label: string, period: Duration): MathExpression {
    const namespace = metricsNamespace(this.props.stage);
    return new MathExpression({
      expression: `SUM(SEARCH('Namespace="${namespace}" MetricName="${metricName}" ${filter}', 'Sum', ${period.toSeconds()}))`,
      usingMetrics: {},
      label,
      period,
    });
  }

  private createDashboard(): Dashboard {
    const { props } = this;
    const hour = Duration.hours(1);
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    const api = props.api.httpApi;
    const dashboard = new Dashboard(this, "Dashboard", {
      dashboardName: `${props.prefix}-overview`,
      defaultInterval: Duration.days(7),
    });

    const perFunction = (f: (fn: IndgangFunction) => Metric) => props.functions.map(f);
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# Indgang (${props.stage})\n` +
          "Cases flow: public API → intake queue → triage → consortium queue → delivery → inbox. " +
          "Any message in a dead-letter queue raises an alarm.",
        width: 24,
        height: 2,
      }),
    );

    dashboard.addWidgets(
      new GraphWidget({
        title: "Cases by need (per hour)",
        left: NEEDS.map((need) => this.flowSearch(FLOW_METRICS.routed, `need="${need}"`, need, hour)),
        width: 12,
        stacked: true,
      }),
      new GraphWidget({
        title: "Cases by consortium (per hour)",
        left: props.consortiumIds.map((id) =>
          this.flowSearch(FLOW_METRICS.routed, `consortium="${id}"`, id, hour),
        ),
        width: 12,
        stacked: true,
      }),
    );
    dashboard.addWidgets(
      new SingleValueWidget({
        title: "Cases received / delivered (7 days)",
        metrics: [
          this.flowSearch(FLOW_METRICS.received, "", "received", Duration.days(7)),
          this.flowSearch(FLOW_METRICS.delivered, "", "delivered", Duration.days(7)),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: "API requests and errors",
        left: [
          api.metricCount({ period: fiveMinutes, statistic: "Sum", label: "requests" }),
          api.metricClientError({ period: fiveMinutes, statistic: "Sum", label: "4xx" }),
          api.metricServerError({ period: fiveMinutes, statistic: "Sum", label: "5xx" }),
        ],
        right: [this.api5xxRate(fiveMinutes)],
        width: 8,
      }),
      new GraphWidget({
        title: "API latency (ms)",
        left: [
          api.metricLatency({ period: fiveMinutes, statistic: "p50", label: "p50" }),
          api.metricLatency({ period: fiveMinutes, statistic: "p95", label: "p95" }),
          api.metricIntegrationLatency({ period: fiveMinutes, statistic: "p95", label: "integration p95" }),
        ],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "Messages waiting",
        left: props.queues.all.map((q) =>
          q.queue.metricApproximateNumberOfMessagesVisible({
            period: minute,
            statistic: "Maximum",
            label: q.definition.suffix,
          }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: "Oldest message (s)",
        left: props.queues.all.map((q) =>
          q.queue.metricApproximateAgeOfOldestMessage({
            period: minute,
            statistic: "Maximum",
            label: q.definition.suffix,
          }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: "Dead letters",
        left: props.queues.deadLetterQueues.map((dlq: Queue) =>
          dlq.metricApproximateNumberOfMessagesVisible({
            period: minute,
            statistic: "Maximum",
            label: dlqSuffix(dlq, props.prefix),
          }),
        ),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "Invocations",
        left: perFunction((fn) => fn.metricInvocations({ period: fiveMinutes, label: fn.shortName })),
        width: 6,
      }),
      new GraphWidget({
        title: "Errors",
        left: perFunction((fn) => fn.metricErrors({ period: fiveMinutes, label: fn.shortName })),
        width: 6,
      }),
      new GraphWidget({
        title: "Duration p95 (ms)",
        left: perFunction((fn) =>
          fn.metricDuration({ period: fiveMinutes, statistic: "p95", label: fn.shortName }),
        ),
        width: 6,
      }),
      new GraphWidget({
        title: "Throttles",
        left: perFunction((fn) => fn.metricThrottles({ period: fiveMinutes, label: fn.shortName })),
        width: 6,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "DynamoDB consumed capacity",
        left: [
          props.table.metricConsumedReadCapacityUnits({
            period: fiveMinutes,
            statistic: "Sum",
            label: "read",
          }),
          props.table.metricConsumedWriteCapacityUnits({
            period: fiveMinutes,
            statistic: "Sum",
            label: "write",
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: "DynamoDB throttles and system errors",
        left: [
          props.table.metric("ReadThrottleEvents", {
            period: fiveMinutes,
            statistic: "Sum",
            label: "read throttles",
          }),
          props.table.metric("WriteThrottleEvents", {
            period: fiveMinutes,
            statistic: "Sum",
            label: "write throttles",
          }),
        ],
        width: 12,
      }),
    );
    return dashboard;
  }
}

/** `intake-dlq`, `consortium-rar-fyn-dlq`, ...: the DLQ's name without the stack prefix. */
function dlqSuffix(dlq: Queue, prefix: string): string {
  const cfnName = dlq.node.defaultChild;
  const name =
    cfnName && "queueName" in cfnName && typeof cfnName.queueName === "string"
      ? cfnName.queueName
      : dlq.node.id;
  return name.startsWith(`${prefix}-`) ? name.slice(prefix.length + 1) : name;
}

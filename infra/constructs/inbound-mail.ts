import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { ReceiptRuleSet, TlsPolicy } from "aws-cdk-lib/aws-ses";
import { Lambda, LambdaInvocationType, S3 } from "aws-cdk-lib/aws-ses-actions";
import { Construct } from "constructs";
import type { IndgangFunction } from "./functions.ts";

/** The key prefix SES writes each raw message under (`inbound/<SES message id>`). */
export const INBOUND_OBJECT_PREFIX = "inbound/";

export interface InboundMailProps {
  /** `indgang-<stage>`. */
  readonly prefix: string;
  /** The domain of the signed reply addresses: every recipient at it is taken by the rule. */
  readonly replyDomain: string;
  /** The function SES invokes (asynchronously) after storing a message. */
  readonly receiver: IndgangFunction;
  /** Days a message may stay in the bucket if the function never deletes it (it normally does). */
  readonly expireAfterDays: number;
  /** Retention of the bucket's server access logs. */
  readonly logRetentionDays: number;
}

/**
 * SES inbound for the companies' e-mail replies: a receipt rule set with one rule for the reply
 * domain (spam and virus scanning on, TLS required of the sending server) whose actions are, in
 * order, store the raw message in S3 and invoke the receiver function. The bucket holds personal
 * data for the seconds between the two: S3-managed encryption, no public access, TLS only, no
 * versioning (a delete is a delete), objects expire after a few days whatever happens, and its
 * access is logged. Only SES of this account may put objects (the S3 action's bucket policy,
 * `aws:SourceAccount`), only under the prefix. The rule set is not active until the operator
 * activates it (one active set per account and region; infra/README.md).
 */
export class InboundMail extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly ruleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);

    this.accessLogs = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This bucket only receives the server access logs of the inbound-mail bucket. Logging access to it " +
        "would need a further bucket with the same question; CloudTrail records management access to it.",
    });

    this.bucket = new Bucket(this, "Messages", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "messages/",
      lifecycleRules: [
        {
          prefix: INBOUND_OBJECT_PREFIX,
          expiration: Duration.days(props.expireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Only transient copies of messages already handled (or expiring): nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.ruleSet = new ReceiptRuleSet(this, "RuleSet", {
      receiptRuleSetName: `${props.prefix}-inbound`,
    });
    this.ruleSet.addRule("Replies", {
      receiptRuleName: `${props.prefix}-replies`,
      recipients: [props.replyDomain],
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      enabled: true,
      actions: [
        new S3({ bucket: this.bucket, objectKeyPrefix: INBOUND_OBJECT_PREFIX }),
        new Lambda({ function: props.receiver, invocationType: LambdaInvocationType.EVENT }),
      ],
    });
  }
}

import { Duration, type SecretValue, Validations } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { ORIGIN_VERIFY_HEADER } from "#shared/config.ts";

export interface EdgeFirewallProps {
  readonly prefix: string;
  /** Requests per IP per 5 minutes: all requests, and new cases (POST / and POST /api/requests). */
  readonly rateLimits: { readonly perIp: number; readonly intakePerIp: number };
}

/** The managed rule groups in front of the public form, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

const TOO_MANY_REQUESTS = { block: { customResponse: { responseCode: 429 } } };

/**
 * The AWS WAF web ACL for CloudFront. A CLOUDFRONT-scope web ACL can only be created in us-east-1,
 * so this construct lives in its own small stack there (see stack.ts); the distribution refers to
 * it across regions.
 *
 * Rules: two per-IP rate limits (blocked with 429), Amazon's IP reputation list, the core rule set
 * and the known-bad-inputs rule set. The core rule set's 8 KB body-size rule counts instead of
 * blocking, because the public form accepts up to 64 KB of free text (the function enforces that
 * limit itself).
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);

    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.prefix}-${metricName}`,
    });
    const byteMatch = (
      field: CfnWebACL.FieldToMatchProperty,
      value: string,
    ): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: field,
        positionalConstraint: "EXACTLY",
        searchString: value,
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    });

    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: "RateLimitIntake",
        priority: 0,
        action: TOO_MANY_REQUESTS,
        statement: {
          rateBasedStatement: {
            limit: props.rateLimits.intakePerIp,
            aggregateKeyType: "IP",
            evaluationWindowSec: 300,
            scopeDownStatement: {
              andStatement: {
                statements: [
                  byteMatch({ method: {} }, "POST"),
                  {
                    orStatement: {
                      statements: [
                        byteMatch({ uriPath: {} }, "/"),
                        byteMatch({ uriPath: {} }, "/api/requests"),
                      ],
                    },
                  },
                ],
              },
            },
          },
        },
        visibilityConfig: visibility("rate-limit-intake"),
      },
      {
        name: "RateLimitPerIp",
        priority: 1,
        action: TOO_MANY_REQUESTS,
        statement: {
          rateBasedStatement: {
            limit: props.rateLimits.perIp,
            aggregateKeyType: "IP",
            evaluationWindowSec: 300,
          },
        },
        visibilityConfig: visibility("rate-limit-ip"),
      },
      ...MANAGED_RULE_GROUPS.map(
        (name, i): CfnWebACL.RuleProperty => ({
          name,
          priority: 10 + i,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name,
              ruleActionOverrides:
                name === "AWSManagedRulesCommonRuleSet"
                  ? [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]
                  : undefined,
            },
          },
          visibilityConfig: visibility(name),
        }),
      ),
    ];

    this.webAcl = new CfnWebACL(this, "WebAcl", {
      name: `${props.prefix}-edge`,
      description: "Indgang public form and API behind CloudFront",
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("edge"),
      rules,
    });
  }
}

export interface EdgeProps {
  readonly prefix: string;
  /** The HTTP API's host name (`<id>.execute-api.<region>.amazonaws.com`). */
  readonly originDomainName: string;
  /**
   * Sent to the origin in the `x-origin-verify` header on every request, so that the API functions
   * can refuse requests that did not come through CloudFront (and its WAF). A Secrets Manager value:
   * the template holds only its `{{resolve:secretsmanager:…}}` reference.
   */
  readonly originVerify: SecretValue;
  /** The CLOUDFRONT-scope web ACL (its ARN) that protects the distribution. */
  readonly webAclArn: string;
  readonly customDomain: { readonly domainName: string; readonly certificateArn: string } | undefined;
  /** Days CloudFront access logs are kept. */
  readonly logRetentionDays: number;
}

/**
 * CloudFront in front of the HTTP API, because HTTP APIs cannot carry AWS WAF themselves. Nothing
 * is cached by default (every answer is dynamic or personal); CloudFront contributes WAF, TLS at
 * the edge, HTTP/3, and security headers on every response, including API Gateway's own errors.
 *
 * Security headers: HSTS, nosniff and frame denial are enforced here; the Content-Security-Policy
 * and Referrer-Policy defaults apply only where the app did not set its own (it sets stricter,
 * page-specific ones). CORS is answered by the HTTP API's exact allow-list, not here.
 *
 * Origin verification: the execute-api endpoint stays reachable from the internet, so CloudFront adds
 * a secret header to every origin request and the functions refuse requests without it. CloudFront
 * always adds origin custom headers, whatever the origin request policy, and overwrites a viewer's
 * header of the same name; no CloudFront function or cache policy here touches it.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly logBucket: Bucket;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The public origin: the custom domain when configured, else the distribution's own. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);

    // CloudFront standard logs are delivered with an ACL grant, hence ObjectWriter ownership.
    this.logBucket = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
    });
    Validations.of(this.logBucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This bucket only receives CloudFront access logs. Logging access to the log bucket into another " +
        "bucket would need a further bucket with the same question; CloudTrail records management access.",
    });

    // Forward the Authorization header (staff API) to the origin: CloudFront only forwards it on
    // GET/HEAD when it is part of the cache key. TTLs of 0 (max 1 s) mean nothing is cached unless
    // the app explicitly says so, and then only for a second.
    const cachePolicy = new CachePolicy(this, "PassThrough", {
      comment: "Indgang: no caching by default; Authorization and cookies in the key",
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList("Authorization"),
      cookieBehavior: CacheCookieBehavior.all(),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "Indgang security headers",
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: false },
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
          override: false,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            override: true,
          },
          { header: "Cross-Origin-Opener-Policy", value: "same-origin", override: true },
        ],
      },
    });

    const custom = props.customDomain;
    this.distribution = new Distribution(this, "Distribution", {
      comment: `${props.prefix}: public form, intake API, staff app`,
      defaultBehavior: {
        origin: new HttpOrigin(props.originDomainName, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          // A dynamic reference, resolved by CloudFormation at deploy time; never the value itself.
          customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerify.unsafeUnwrap() },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy,
        // The API's own Host header must reach API Gateway; everything else the viewer sent is forwarded.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      webAclId: props.webAclArn,
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: "cloudfront/",
      ...(custom
        ? {
            domainNames: [custom.domainName],
            certificate: Certificate.fromCertificateArn(this, "Certificate", custom.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    this.url = `https://${custom ? custom.domainName : this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR1",
      reason:
        "No geo restriction: foreign-owned companies with Danish activities and Danish companies' staff abroad " +
        "must be able to reach the public service. Abuse is handled by WAF rate limits and managed rules.",
    });
    if (!custom) {
      Validations.of(this.distribution).acknowledge({
        id: "AwsSolutions-CFR4",
        reason:
          "Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy " +
          "cannot be changed. Set the domainName and certificateArn context to serve TLSv1.2_2021 on your own domain.",
      });
    }
  }
}

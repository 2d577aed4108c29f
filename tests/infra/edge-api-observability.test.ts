import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFRONT_WAF_REGION } from "#infra/app.ts";
import { PUBLIC_ROUTES, STAFF_API_ROUTES, STAFF_PAGE_ROUTES } from "#infra/constructs/api.ts";
import { MANAGED_RULE_GROUPS } from "#infra/constructs/edge.ts";
import { entryExists } from "#infra/constructs/functions.ts";
import { consortiumGroupName } from "#infra/constructs/user-pool.ts";
import { FUNCTIONS } from "#infra/stack.ts";
import { ORIGIN_VERIFY_HEADER } from "#shared/config.ts";
import { ADMIN_GROUP } from "#shared/principal.ts";
import { DEFAULT_CONSORTIUM_IDS } from "#shared/reference/consortia.ts";
import { queueDefinitions, queueName } from "#shared/resources.ts";
import {
  functionRoleId,
  prop,
  refOf,
  resources,
  roleStatements,
  type Synthesized,
  synthIndgang,
} from "./synth.ts";

const PREFIX = "indgang-dev";
const staffDeployed = entryExists(FUNCTIONS.staffApi.entry);
const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

let s: Synthesized;
beforeAll(() => {
  s = synthIndgang();
});
afterAll(() => s.dispose());

describe("AWS WAF in front of CloudFront", () => {
  it("is a CLOUDFRONT-scope web ACL in its own us-east-1 stack", () => {
    expect(s.indgang.firewallStack?.region).toBe(CLOUDFRONT_WAF_REGION);
    expect(s.indgang.stack.region).toBe("eu-north-1");
    s.firewall?.resourceCountIs("AWS::WAFv2::WebACL", 1);
    s.firewall?.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "CLOUDFRONT",
      DefaultAction: { Allow: {} },
    });
  });

  it("has the managed common rule set, the other managed groups and a per-IP rate-based rule", () => {
    const [, acl] = resources(s.firewall ?? s.template, "AWS::WAFv2::WebACL")[0] ?? [];
    const rules = acl?.Properties?.Rules as {
      Name: string;
      Statement: {
        ManagedRuleGroupStatement?: { Name: string };
        RateBasedStatement?: { AggregateKeyType: string };
      };
    }[];
    const managed = rules.flatMap((r) => r.Statement.ManagedRuleGroupStatement?.Name ?? []);
    expect(managed).toEqual([...MANAGED_RULE_GROUPS]);
    expect(managed).toContain("AWSManagedRulesCommonRuleSet");
    const rateRules = rules.filter((r) => r.Statement.RateBasedStatement?.AggregateKeyType === "IP");
    expect(rateRules.map((r) => r.Name)).toEqual(["RateLimitIntake", "RateLimitPerIp"]);
  });

  it("is attached to the distribution (read across regions from the firewall stack)", () => {
    const [, distribution] = resources(s.template, "AWS::CloudFront::Distribution")[0] ?? [];
    const config = distribution?.Properties?.DistributionConfig as { WebACLId: unknown };
    const [webAclId] = Object.keys(s.firewall?.findResources("AWS::WAFv2::WebACL") ?? {});
    expect(JSON.stringify(config.WebACLId)).toContain(s.indgang.firewallStack?.stackName);
    expect(JSON.stringify(config.WebACLId)).toContain(webAclId);
  });

  it("uses an existing web ACL instead when its ARN is given as context", () => {
    const webAclArn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/central/0a1b2c3d";
    const other = synthIndgang({ context: { stage: "shared", webAclArn } });
    try {
      expect(other.firewall).toBeUndefined();
      other.template.hasResourceProperties("AWS::CloudFront::Distribution", {
        DistributionConfig: Match.objectLike({ WebACLId: webAclArn }),
      });
    } finally {
      other.dispose();
    }
  });
});

describe("CloudFront", () => {
  it("redirects to HTTPS, speaks TLS 1.2 to the origin, logs, and adds security headers", () => {
    s.template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: "redirect-to-https",
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
        Origins: [
          Match.objectLike({
            CustomOriginConfig: { OriginProtocolPolicy: "https-only", OriginSSLProtocols: ["TLSv1.2"] },
          }),
        ],
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
    s.template.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ Override: true, IncludeSubdomains: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: "DENY", Override: true },
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors"),
          }),
        }),
      }),
    });
  });
});

describe("origin verification: only requests through CloudFront (and WAF) are served", () => {
  /** What CDK writes for a Secrets Manager value: a dynamic reference resolved by CloudFormation at deploy. */
  const dynamicReference = (secretLogicalId: string) => ({
    "Fn::Join": ["", ["{{resolve:secretsmanager:", { Ref: secretLogicalId }, ":SecretString:::}}"]],
  });
  const originSecretId = () => {
    const [entry, ...more] = resources(s.template, "AWS::SecretsManager::Secret", {
      Name: `${PREFIX}/origin-verify`,
    });
    if (!entry || more.length > 0) throw new Error("expected one origin-verify secret");
    return entry[0];
  };
  const apiFunctions = [FUNCTIONS.publicApi, ...(staffDeployed ? [FUNCTIONS.staffApi] : [])];
  const functionNamed = (name: string) =>
    resources(s.template, "AWS::Lambda::Function", { FunctionName: `${PREFIX}-${name}` })[0]?.[1];
  const distributionConfig = () =>
    prop<{
      Origins: { OriginCustomHeaders?: unknown }[];
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors?: unknown;
    }>(resources(s.template, "AWS::CloudFront::Distribution")[0]?.[1], "DistributionConfig");

  it("has a secret generated by Secrets Manager (48 letters and digits), never a value in the template", () => {
    const [, secret] =
      resources(s.template, "AWS::SecretsManager::Secret").find(([id]) => id === originSecretId()) ?? [];
    expect(secret?.Properties?.GenerateSecretString).toEqual({
      PasswordLength: 48,
      ExcludePunctuation: true,
    });
    for (const [id, any] of resources(s.template, "AWS::SecretsManager::Secret")) {
      expect(any.Properties?.SecretString, id).toBeUndefined();
    }
  });

  it("CloudFront adds it as a custom header to every request to the API origin", () => {
    const config = distributionConfig();
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]?.OriginCustomHeaders).toEqual([
      { HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: dynamicReference(originSecretId()) },
    ]);
    // Nothing between viewer and origin can drop it: one behaviour, the managed all-viewer-except-Host
    // origin request policy (custom origin headers are added whatever the policy), no edge functions.
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.DefaultCacheBehavior.OriginRequestPolicyId).toBe("b689b0a8-53d0-40ab-baf2-68738e2966ac");
    expect(config.DefaultCacheBehavior.FunctionAssociations).toBeUndefined();
    expect(config.DefaultCacheBehavior.LambdaFunctionAssociations).toBeUndefined();
  });

  it("the public and staff functions get the same reference in their environment, no other function does", () => {
    for (const spec of Object.values(FUNCTIONS)) {
      const fn = functionNamed(spec.name);
      if (!fn) continue; // the staff function, before its entry exists
      const env = prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables;
      const api = apiFunctions.some((a) => a.name === spec.name);
      expect(env.ORIGIN_VERIFY_SECRET, spec.name).toEqual(
        api ? dynamicReference(originSecretId()) : undefined,
      );
    }
  });

  it("needs no IAM grant: neither API function may read it (they read only the case-link key)", () => {
    const [caseLinkKey] = resources(s.template, "AWS::SecretsManager::Secret", {
      Name: `${PREFIX}/case-link-key`,
    });
    for (const spec of apiFunctions) {
      const statements = roleStatements(s.template, functionRoleId(s.template, `${PREFIX}-${spec.name}`));
      expect(statements.length, spec.name).toBeGreaterThan(0);
      const secretReads = statements.filter((st) => st.actions.some((a) => a.startsWith("secretsmanager:")));
      expect(
        secretReads.map((st) => ({ actions: st.actions, resources: st.resources })),
        spec.name,
      ).toEqual([{ actions: ["secretsmanager:GetSecretValue"], resources: [{ Ref: caseLinkKey?.[0] }] }]);
    }
  });

  it("appears in no template in plaintext: only as those references", () => {
    const strings: string[] = [];
    const references: unknown[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === "string") strings.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === "object" && value !== null) {
        if (JSON.stringify(value).includes(`{"Ref":"${originSecretId()}"}`) && "Fn::Join" in value) {
          references.push(value);
        }
        Object.values(value).forEach(walk);
      }
    };
    walk(s.template.toJSON());
    walk(s.firewall?.toJSON());
    // One reference in the distribution, one per API function; every one of them the dynamic reference.
    expect(references).toHaveLength(1 + apiFunctions.length);
    for (const r of references) expect(r).toEqual(dynamicReference(originSecretId()));
    // Nothing shaped like a generated value (48 letters and digits) anywhere.
    expect(strings.filter((x) => /^[A-Za-z0-9]{48}$/.test(x))).toEqual([]);
  });
});

describe("the HTTP API", () => {
  it("has one explicit stage with throttling and JSON access logs", () => {
    s.template.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
    const [, stage] = resources(s.template, "AWS::ApiGatewayV2::Stage")[0] ?? [];
    expect(stage?.Properties).toMatchObject({
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = prop<{ Format: string }>(stage, "AccessLogSettings").Format;
    expect(JSON.parse(format)).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
  });

  it("exposes exactly the public routes without authorization", () => {
    const routes = resources(s.template, "AWS::ApiGatewayV2::Route");
    const open = routes.filter(([, r]) => (r.Properties?.AuthorizationType ?? "NONE") === "NONE");
    const staffPages = staffDeployed ? STAFF_PAGE_ROUTES.map(routeKey) : [];
    expect(open.map(([, r]) => r.Properties?.RouteKey).sort()).toEqual(
      [...PUBLIC_ROUTES.map(routeKey), ...staffPages].sort(),
    );
  });

  it("puts the staff API behind a JWT authorizer on the Cognito pool", () => {
    const guarded = resources(s.template, "AWS::ApiGatewayV2::Route", { AuthorizationType: "JWT" });
    if (!staffDeployed) {
      expect(guarded).toEqual([]);
      return;
    }
    expect(guarded.map(([, r]) => r.Properties?.RouteKey).sort()).toEqual(
      STAFF_API_ROUTES.map(routeKey).sort(),
    );
    const [, pool] = resources(s.template, "AWS::Cognito::UserPool")[0] ?? [];
    expect(pool).toBeDefined();
    s.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
    });
  });

  it("answers CORS for exactly the configured origins, and for none by default", () => {
    const [, api] = resources(s.template, "AWS::ApiGatewayV2::Api")[0] ?? [];
    expect(api?.Properties?.CorsConfiguration).toBeUndefined();
    const origins = ["https://indgang.example.dk", "https://partner.example.dk"];
    const withCors = synthIndgang({ context: { stage: "cors", allowedOrigins: origins.join(",") } });
    try {
      withCors.template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
        CorsConfiguration: Match.objectLike({ AllowOrigins: origins }),
      });
    } finally {
      withCors.dispose();
    }
  });
});

describe("staff sign-in", () => {
  it("has a group per consortium and an admin group, MFA, and threat protection", () => {
    const groups = resources(s.template, "AWS::Cognito::UserPoolGroup").map(
      ([, g]) => g.Properties?.GroupName,
    );
    expect(groups.sort()).toEqual([ADMIN_GROUP, ...DEFAULT_CONSORTIUM_IDS.map(consortiumGroupName)].sort());
    s.template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      UserPoolTier: "PLUS",
      DeletionProtection: "ACTIVE",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it("lets /signout end the hosted UI's session: the staff function's base URL + / is an allowed logout URL", () => {
    // functions/staff-api.ts sends `${PUBLIC_BASE_URL}/` as Cognito's logout_uri; Cognito refuses any
    // logout_uri that is not in the client's LogoutURLs.
    const [, client] = resources(s.template, "AWS::Cognito::UserPoolClient")[0] ?? [];
    const base = resources(s.template, "AWS::Lambda::Function")
      .map(
        ([, f]) =>
          (f.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
      )
      .find((v) => v?.PUBLIC_BASE_URL)?.PUBLIC_BASE_URL as { "Fn::Join": [string, unknown[]] };
    expect(base?.["Fn::Join"]).toBeDefined();
    const [sep, parts] = base["Fn::Join"];
    expect(client?.Properties?.LogoutURLs).toEqual([{ "Fn::Join": [sep, [...parts, "/"]] }]);
  });
});

describe("observability", () => {
  const alarms = () => resources(s.template, "AWS::CloudWatch::Alarm");
  const dimensionOf = (alarm: { Properties?: Record<string, unknown> }, name: string) =>
    (alarm.Properties?.Dimensions as { Name: string; Value: unknown }[] | undefined)?.find(
      (d) => d.Name === name,
    )?.Value;
  const topicId = () => resources(s.template, "AWS::SNS::Topic")[0]?.[0];

  it("alarms on every DLQ as soon as it holds one message, and notifies the topic", () => {
    const dlqs = resources(s.template, "AWS::SQS::Queue").filter(([, q]) =>
      String(q.Properties?.QueueName).endsWith("-dlq"),
    );
    expect(dlqs).toHaveLength(queueDefinitions(DEFAULT_CONSORTIUM_IDS).length + 1);
    for (const [dlqId] of dlqs) {
      const alarm = alarms().find(
        ([, a]) =>
          a.Properties?.MetricName === "ApproximateNumberOfMessagesVisible" &&
          refOf(dimensionOf(a, "QueueName")) === dlqId,
      );
      expect(alarm, dlqId).toBeDefined();
      expect(alarm?.[1].Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [{ Ref: topicId() }],
      });
    }
  });

  it("alarms on the age of the oldest message of every work queue", () => {
    for (const def of queueDefinitions(DEFAULT_CONSORTIUM_IDS)) {
      const [queueId] =
        resources(s.template, "AWS::SQS::Queue", { QueueName: queueName(PREFIX, def) })[0] ?? [];
      const alarm = alarms().find(
        ([, a]) =>
          a.Properties?.MetricName === "ApproximateAgeOfOldestMessage" &&
          refOf(dimensionOf(a, "QueueName")) === queueId,
      );
      expect(alarm, def.suffix).toBeDefined();
    }
  });

  it("alarms on errors and throttles of every function", () => {
    for (const [fnId] of resources(s.template, "AWS::Lambda::Function")) {
      for (const metric of ["Errors", "Throttles"]) {
        const alarm = alarms().find(
          ([, a]) => a.Properties?.MetricName === metric && refOf(dimensionOf(a, "FunctionName")) === fnId,
        );
        expect(alarm, `${metric} ${fnId}`).toBeDefined();
      }
    }
  });

  it("alarms on the API 5xx rate and on DynamoDB throttling", () => {
    const expressions = alarms().flatMap(([, a]) =>
      ((a.Properties?.Metrics as { Expression?: string }[] | undefined) ?? []).map((m) => m.Expression ?? ""),
    );
    expect(expressions).toContain("IF(requests > 0, 100 * errors / requests, 0)");
    expect(expressions).toContain("reads + writes");
  });

  it("has a dashboard that shows the flow by need and by consortium", () => {
    const [, dashboard] = resources(s.template, "AWS::CloudWatch::Dashboard")[0] ?? [];
    const body = JSON.stringify(dashboard?.Properties?.DashboardBody);
    expect(body).toContain("Cases by need");
    expect(body).toContain("Cases by consortium");
    for (const id of DEFAULT_CONSORTIUM_IDS) expect(body).toContain(`consortium=\\\\\\"${id}\\\\\\"`);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "#infra/constructs/functions.ts";
import { prop, resources, type Synthesized, synthIndgang } from "./synth.ts";

const packs = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

/** Every finding (error or warning) the packs report for a construct tree, as readable lines. */
function findings(root: IConstruct): string[] {
  return packs().flatMap((pack) =>
    pack
      .validateScope(root)
      .violations.flatMap((v) =>
        v.violatingResources.map(
          (r) => `${v.severity} ${v.ruleName} at ${r.constructPath ?? "?"}: ${v.description}`,
        ),
      ),
  );
}

/** Every acknowledgement recorded with Validations.of(scope).acknowledge(), with its reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

let s: Synthesized;
beforeAll(() => {
  // As `npx cdk synth` on a fresh clone: cdk.json context only, real esbuild bundling, CDK's
  // CloudFormation schema validation, offline.
  s = synthIndgang({ cli: true });
}, 120_000);
afterAll(() => s.dispose());

describe("cdk-nag (AwsSolutions and Serverless packs)", () => {
  it("runs in synthesis and reports nothing unacknowledged: no error, no warning", () => {
    expect(findings(s.app)).toEqual([]);
    const report = JSON.parse(readFileSync(join(s.assembly.directory, "validation-report.json"), "utf8")) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    const nagViolations = report.pluginReports
      .filter((p) => p.pluginName === "AwsSolutions" || p.pluginName === "Serverless")
      .flatMap((p) => p.violations);
    expect(nagViolations).toEqual([]);
  });

  it("stays clean with every optional setting (custom domain, CORS origins, alarm e-mail, e-mail notices, replies by e-mail)", () => {
    const full = synthIndgang({
      context: {
        stage: "prod",
        publicBaseUrl: "https://indgang.example.dk",
        allowedOrigins: "https://indgang.example.dk,https://partner.example.dk",
        domainName: "indgang.example.dk",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        alarmEmail: "drift@example.dk",
        notifyFromEmail: "indgang@example.dk",
        replyDomain: "svar.indgang.example.dk",
      },
    });
    try {
      // The inbound-mail stack (SES's receiving region) is part of the app, and checked with it.
      expect(full.indgang.inboundMailStack).toBeDefined();
      expect(findings(full.app)).toEqual([]);
    } finally {
      full.dispose();
    }
  });

  it("every acknowledgement carries a written reason", () => {
    const acks = acknowledgements(s.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it("is live: the same packs flag an insecure queue", () => {
    const app = new App();
    const stack = new Stack(app, "Insecure");
    new Queue(stack, "Plain", { enforceSSL: false });
    const found = findings(app).join("\n");
    expect(found).toContain("AwsSolutions-SQS3");
    expect(found).toContain("AwsSolutions-SQS4");
    expect(found).toContain("Serverless-SQSRedrivePolicy");
  });
});

describe("offline bundling", () => {
  it("built every function locally with esbuild: one minified ESM file with the AWS SDK inside", () => {
    const functions = resources(s.template, "AWS::Lambda::Function");
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [id, fn] of functions) {
      const key = prop<{ S3Key: string }>(fn, "Code").S3Key;
      const bundle = join(s.assembly.directory, `asset.${key.replace(/\.zip$/, "")}`, "index.mjs");
      expect(existsSync(bundle), `${id}: ${bundle}`).toBe(true);
      const code = readFileSync(bundle, "utf8");
      // An external SDK would remain as an import of "@aws-sdk/..." in the bundle.
      expect(code, id).not.toMatch(/from\s*["']@aws-sdk\//);
      const longestLine = Math.max(...code.split("\n").map((line) => line.length));
      expect(longestLine, `${id} is minified`).toBeGreaterThan(10_000);
    }
  });

  it("ships the default rule set beside the bundles that read it (triage, staff), not inside any bundle", () => {
    const source = readFileSync(join(REPO_ROOT, "shared/rules/default-ruleset.json"), "utf8");
    const shipped: string[] = [];
    for (const [id, fn] of resources(s.template, "AWS::Lambda::Function")) {
      const key = prop<{ S3Key: string }>(fn, "Code").S3Key;
      const dir = join(s.assembly.directory, `asset.${key.replace(/\.zip$/, "")}`);
      const code = readFileSync(join(dir, "index.mjs"), "utf8");
      // A rule id that only the default rule set contains: the JSON was not bundled.
      expect(code, id).not.toContain('"rec-hire"');
      const file = join(dir, "default-ruleset.json");
      if (!existsSync(file)) continue;
      expect(readFileSync(file, "utf8"), id).toBe(source);
      expect(code, id).toContain("default-ruleset.json");
      shipped.push(prop<string>(fn, "FunctionName"));
    }
    expect(shipped.sort()).toEqual(["indgang-dev-staff-api", "indgang-dev-triage-worker"]);
  });
});

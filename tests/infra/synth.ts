import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { defineIndgang, type IndgangApp } from "#infra/app.ts";
import { REPO_ROOT } from "#infra/constructs/functions.ts";

/** The context `npx cdk` passes to the app: cdk.json's, so tests see the same feature flags. */
export function cdkJsonContext(): Record<string, unknown> {
  const json: unknown = JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8"));
  if (typeof json !== "object" || json === null || !("context" in json))
    throw new Error("cdk.json has no context");
  const { context } = json;
  if (typeof context !== "object" || context === null) throw new Error("cdk.json context is not an object");
  return { ...context };
}

export interface Synthesized {
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly indgang: IndgangApp;
  /** The application stack's template. */
  readonly template: Template;
  /** The us-east-1 firewall stack's template, when the app deploys one. */
  readonly firewall: Template | undefined;
  /** The inbound-mail stack's template (SES's receiving region), when a reply domain is configured. */
  readonly inboundMail: Template | undefined;
  /** Removes the temporary cloud assembly. */
  readonly dispose: () => void;
}

/**
 * Synthesises the whole app from cdk.json context plus `context`, into a temporary directory.
 * `cli: true` does everything `npx cdk synth` does: real esbuild bundling and CDK's built-in
 * CloudFormation schema validation (slow: ~4x the synth time), besides cdk-nag, which always runs.
 * The assertion tests leave both off: they read templates, not code or schemas.
 */
export function synthIndgang(
  options: { context?: Record<string, unknown>; cli?: boolean } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "indgang-cdk-"));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.cli ?? false,
    context: {
      ...cdkJsonContext(),
      ...(options.cli ? {} : { "aws:cdk:bundling-stacks": [] }),
      ...options.context,
    },
  });
  const indgang = defineIndgang(app);
  const assembly = app.synth();
  const templateOf = (stackName: string) => Template.fromJSON(assembly.getStackByName(stackName).template);
  return {
    app,
    assembly,
    indgang,
    template: templateOf(indgang.stack.stackName),
    firewall: indgang.firewallStack ? templateOf(indgang.firewallStack.stackName) : undefined,
    inboundMail: indgang.inboundMailStack ? templateOf(indgang.inboundMailStack.stackName) : undefined,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** A CloudFormation resource as found in a template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function resources(template: Template, type: string, props?: Record<string, unknown>) {
  return Object.entries(template.findResources(type, props ? { Properties: props } : undefined)) as [
    string,
    CfnResource,
  ][];
}

/** A property a resource must have (the test fails clearly when it does not). */
export function prop<T>(resource: CfnResource | undefined, name: string): T {
  const value = resource?.Properties?.[name];
  if (value === undefined) throw new Error(`resource has no ${name}`);
  return value as T;
}

/** The logical id that `{ Ref }` or `{ Fn::GetAtt: [id, ...] }` points to. */
export function refOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if ("Ref" in value && typeof value.Ref === "string") return value.Ref;
  if (
    "Fn::GetAtt" in value &&
    Array.isArray(value["Fn::GetAtt"]) &&
    typeof value["Fn::GetAtt"][0] === "string"
  ) {
    return value["Fn::GetAtt"][0];
  }
  return undefined;
}

/** An IAM statement, normalised: actions and resources always arrays. */
export interface Statement {
  effect: string;
  actions: string[];
  resources: unknown[];
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Every statement of every AWS::IAM::Policy attached to the role with this logical id. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const statements: Statement[] = [];
  for (const [, policy] of resources(template, "AWS::IAM::Policy")) {
    const roles = asArray(policy.Properties?.Roles).map(refOf);
    if (!roles.includes(roleLogicalId)) continue;
    const document = prop<{ Statement: Record<string, unknown>[] }>(policy, "PolicyDocument");
    for (const s of document.Statement) {
      statements.push({
        effect: String(s.Effect),
        actions: asArray(s.Action).map(String),
        resources: asArray(s.Resource),
      });
    }
  }
  return statements;
}

/** The logical id of the (non-CDK-internal) Lambda function deployed as `<prefix>-<name>`. */
export function functionId(template: Template, functionName: string): string {
  const found = resources(template, "AWS::Lambda::Function", { FunctionName: functionName });
  const [entry] = found;
  if (!entry || found.length !== 1) throw new Error(`expected one function named ${functionName}`);
  return entry[0];
}

export function functionRoleId(template: Template, functionName: string): string {
  const [, fn] = resources(template, "AWS::Lambda::Function", { FunctionName: functionName })[0] ?? [];
  const role = refOf(fn?.Properties?.Role);
  if (!role) throw new Error(`${functionName} has no role`);
  return role;
}

/** Logical id of the queue whose QueueName is `name`. */
export function queueId(template: Template, name: string): string {
  const [entry] = resources(template, "AWS::SQS::Queue", { QueueName: name });
  if (!entry) throw new Error(`no queue named ${name}`);
  return entry[0];
}

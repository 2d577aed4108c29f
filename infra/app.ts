import { pathToFileURL } from "node:url";
import { App, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { IndgangInboundMailStack } from "./inbound-mail-stack.ts";
import { IndgangEdgeFirewallStack, IndgangStack } from "./stack.ts";
import { type InfraConfig, loadInfraConfig } from "./stack-config.ts";

/** CloudFront's WAF web ACLs can only live here. */
export const CLOUDFRONT_WAF_REGION = "us-east-1";

export interface IndgangApp {
  readonly config: InfraConfig;
  readonly stack: IndgangStack;
  /** Absent when the `webAclArn` context names an existing web ACL. */
  readonly firewallStack: IndgangEdgeFirewallStack | undefined;
  /** The SES inbound stack in the mail-receiving region; only with a `replyDomain`. */
  readonly inboundMailStack: IndgangInboundMailStack | undefined;
}

/**
 * Adds Indgang's stacks to an app, configured from its context, with the cdk-nag AwsSolutions and
 * Serverless packs as validation plugins: synthesis fails on any unacknowledged error, and every
 * acknowledgement in `infra/` carries its reason next to the resource it concerns.
 */
export function defineIndgang(app: App): IndgangApp {
  const config = loadInfraConfig(app.node);
  const stackName = `Indgang-${config.stage}`;

  // The web ACL: from context when the organisation manages one centrally, else deployed here.
  let firewallStack: IndgangEdgeFirewallStack | undefined;
  let webAclArn: string;
  if (config.webAclArn === undefined) {
    firewallStack = new IndgangEdgeFirewallStack(app, `${stackName}-EdgeFirewall`, {
      config,
      env: { account: config.account, region: CLOUDFRONT_WAF_REGION },
      crossRegionReferences: true,
      description: "Indgang: AWS WAF web ACL for CloudFront (us-east-1)",
    });
    webAclArn = firewallStack.webAclArn;
  } else {
    webAclArn = config.webAclArn;
  }

  const stack = new IndgangStack(app, stackName, {
    config,
    webAclArn,
    env: { account: config.account, region: config.region },
    crossRegionReferences: firewallStack !== undefined,
    description: "Indgang: one front door for companies (public form, triage, consortium inboxes)",
  });

  // The companies' e-mail replies: SES receives mail only in some regions, so in a stack of its own
  // there (infra/README.md), deployed after the application stack whose table and key it uses.
  let inboundMailStack: IndgangInboundMailStack | undefined;
  if (config.replyDomain) {
    inboundMailStack = new IndgangInboundMailStack(app, `${stackName}-InboundMail`, {
      config,
      replyDomain: config.replyDomain,
      env: { account: config.account, region: config.inboundMailRegion },
      description: `Indgang: SES inbound for the companies' e-mail replies (${config.inboundMailRegion})`,
    });
    inboundMailStack.addStackDependency(stack);
  }

  Tags.of(app).add("application", "indgang");
  Tags.of(app).add("stage", config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { config, stack, firewallStack, inboundMailStack };
}

// `npx cdk synth|diff|deploy` runs this file (cdk.json: "app": "npx tsx infra/app.ts").
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = new App();
  defineIndgang(app);
  app.synth();
}

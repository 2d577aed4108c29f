import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { cached } from "#shared/cached.ts";
import type { Config } from "#shared/config.ts";
import { statusTokenFor } from "#shared/conversation/case-links.ts";

/**
 * The key the company's links are derived from: CASE_LINK_SECRET locally, or read from Secrets
 * Manager (CASE_LINK_SECRET_ARN) on AWS, once per container and only when first needed. Undefined
 * when neither is set.
 */
export function caseLinkSecret(
  config: Pick<Config, "CASE_LINK_SECRET" | "CASE_LINK_SECRET_ARN" | "AWS_REGION">,
): () => Promise<string | undefined> {
  if (config.CASE_LINK_SECRET || !config.CASE_LINK_SECRET_ARN) return async () => config.CASE_LINK_SECRET;
  const arn = config.CASE_LINK_SECRET_ARN;
  return cached(async () => {
    const client = new SecretsManagerClient({ region: config.AWS_REGION });
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  }, 15 * 60_000);
}

/** The intake's `statusTokenFor`, or undefined (random tokens) when no secret is configured. */
export function statusTokens(
  config: Pick<Config, "CASE_LINK_SECRET" | "CASE_LINK_SECRET_ARN" | "AWS_REGION">,
): ((reference: string) => Promise<string>) | undefined {
  if (!config.CASE_LINK_SECRET && !config.CASE_LINK_SECRET_ARN) return undefined;
  const secret = caseLinkSecret(config);
  return async (reference) => {
    const key = await secret();
    if (!key) throw new Error("the case-link secret is empty");
    return statusTokenFor(key, reference);
  };
}

import { handle } from "hono/aws-lambda";
import { caseLinkSecret } from "./commons/case-link-secret.ts";
import { cognitoHostedSignIn, cognitoVerifier } from "./commons/cognito.ts";
import { defaultContext } from "./commons/context.ts";
import { sesMailSender } from "./commons/ses-mail.ts";
import { requireOriginSecret } from "./http/commons/origin-verify.ts";
import { createStaffApp } from "./http/staff-app.tsx";

const ctx = defaultContext();
const { COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, COGNITO_DOMAIN_URL, PUBLIC_BASE_URL } = ctx.config;
if (!COGNITO_USER_POOL_ID || !COGNITO_CLIENT_ID)
  throw new Error("COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID must be set");
const origin = PUBLIC_BASE_URL.replace(/\/$/, "");

/**
 * Lambda entry of the staff HTTP API (consortium inbox, admin): Cognito tokens only, no dev sign-in,
 * and only requests that carry CloudFront's origin header (nothing at all on AWS without the setting).
 */
export const handler = requireOriginSecret(
  ctx.config,
  handle(
    createStaffApp({
      ...ctx,
      verifier: cognitoVerifier(COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID),
      // Consultants' messages to companies: SES from NOTIFY_FROM_EMAIL, with the case's links.
      mail: sesMailSender(ctx.config),
      caseLinkSecret: caseLinkSecret(ctx.config),
      ...(COGNITO_DOMAIN_URL
        ? {
            hostedSignIn: cognitoHostedSignIn(
              COGNITO_DOMAIN_URL,
              COGNITO_CLIENT_ID,
              `${origin}/auth/callback`,
              // Back to the front page: allowed in the user pool client's logoutUrls.
              `${origin}/`,
            ),
          }
        : {}),
    }),
  ),
);

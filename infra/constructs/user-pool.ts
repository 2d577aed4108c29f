import { Duration, Lazy, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";
import { ADMIN_GROUP, CONSORTIUM_GROUP_PREFIX } from "#shared/principal.ts";

/** The Cognito group whose members work one consortium's inbox (read by shared/principal.ts). */
export function consortiumGroupName(consortiumId: string): string {
  return `${CONSORTIUM_GROUP_PREFIX}${consortiumId}`;
}

/** Where Cognito's hosted sign-in returns to, relative to the public origin. */
export const AUTH_CALLBACK_PATH = "/auth/callback";

export interface AuthProps {
  /** `indgang-<stage>`. */
  readonly prefix: string;
  readonly consortiumIds: readonly string[];
}

/**
 * Staff sign-in: a Cognito user pool for consultants and administrators only (no self sign-up),
 * with a group per consortium and an admin group, named as shared/principal.ts reads them. The staff API routes are behind a JWT
 * authorizer on this pool; the function reads `cognito:groups` to decide which inboxes a user sees.
 *
 * MFA (TOTP) is required, passwords are long, and the Plus feature plan turns on threat protection
 * (compromised-credential and adaptive-authentication checks): staff see companies' personal data.
 * The pool is retained on stack delete and protected from deletion: it holds the staff accounts.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  private appOrigin: string | undefined;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, "StaffPool", {
      userPoolName: `${props.prefix}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new CfnUserPoolGroup(this, "AdminGroup", {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMIN_GROUP,
      description: "Regional secretariat: rules, consortia, dead letters, audit and statistics",
      precedence: 0,
    });
    for (const consortiumId of props.consortiumIds) {
      new CfnUserPoolGroup(this, `Group-${consortiumId}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: consortiumGroupName(consortiumId),
        description: `Consultants of consortium ${consortiumId}`,
        precedence: 10,
      });
    }

    // The hosted sign-in lives on a Cognito domain; the account id keeps the prefix unique.
    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: { domainPrefix: `${props.prefix}-${Stack.of(this).account}` },
    });

    const origin = Lazy.string({ produce: () => this.requireOrigin() });
    this.client = this.userPool.addClient("StaffWeb", {
      userPoolClientName: `${props.prefix}-staff-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${origin}${AUTH_CALLBACK_PATH}`],
        logoutUrls: [`${origin}/`],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }

  /** The public origin (CloudFront or custom domain) that OAuth redirects return to. */
  setAppOrigin(origin: string): void {
    this.appOrigin = origin;
  }

  /** Environment for the staff function: how to send a browser to sign in and verify tokens. */
  get environment(): Record<string, string> {
    return {
      COGNITO_USER_POOL_ID: this.userPool.userPoolId,
      COGNITO_CLIENT_ID: this.client.userPoolClientId,
      COGNITO_DOMAIN_URL: this.domain.baseUrl(),
    };
  }

  private requireOrigin(): string {
    if (this.appOrigin === undefined) throw new Error("Auth: setAppOrigin() was not called");
    return this.appOrigin;
  }
}

import { Duration, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  type CorsPreflightOptions,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { IndgangFunction } from "./functions.ts";
import type { Auth } from "./user-pool.ts";

/** One route of the HTTP API: a method and a path in API Gateway syntax. */
export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
}

/**
 * What anyone on the internet may call: the form, the JSON intake API, the status page, the API's
 * documentation and the stylesheet. Only these method/path pairs reach the public function; every
 * other request is answered 404 by API Gateway without invoking anything.
 */
export const PUBLIC_ROUTES: readonly RouteSpec[] = [
  { method: HttpMethod.GET, path: "/" },
  { method: HttpMethod.POST, path: "/" },
  { method: HttpMethod.GET, path: "/health" },
  { method: HttpMethod.GET, path: "/assets/{proxy+}" },
  { method: HttpMethod.POST, path: "/api/requests" },
  { method: HttpMethod.GET, path: "/api/requests/{reference}" },
  { method: HttpMethod.GET, path: "/status/{reference}" },
  { method: HttpMethod.GET, path: "/api/openapi.json" },
  { method: HttpMethod.GET, path: "/api/docs" },
];

/** The staff JSON API: every method, and only with a valid Cognito token (JWT authorizer). */
export const STAFF_API_ROUTES: readonly RouteSpec[] = ["/api/inbox", "/api/admin"].flatMap((base) => [
  { method: HttpMethod.ANY, path: base },
  { method: HttpMethod.ANY, path: `${base}/{proxy+}` },
]);

/**
 * The staff web pages, their form posts, and sign-in/out. A browser navigation or form post carries
 * no Authorization header, so these cannot use API Gateway's JWT authorizer: the staff function
 * authenticates them itself (a session cookie holding a Cognito ID token, verified against the
 * pool's keys) before serving any case data.
 */
export const STAFF_PAGE_ROUTES: readonly RouteSpec[] = [
  ...["/inbox", "/inbox/{proxy+}", "/admin", "/admin/{proxy+}", "/signin"].flatMap((path) => [
    { method: HttpMethod.GET, path },
    { method: HttpMethod.POST, path },
  ]),
  { method: HttpMethod.POST, path: "/signout" },
  { method: HttpMethod.GET, path: "/auth/{proxy+}" },
];

export interface ApiProps {
  readonly prefix: string;
  readonly publicFunction: IndgangFunction;
  /** Absent until functions/staff-api.ts exists; the staff routes are then not deployed. */
  readonly staffFunction: IndgangFunction | undefined;
  readonly auth: Auth;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Exact CORS allow-list; empty means same-origin only (no CORS headers at all). */
  readonly allowedOrigins: readonly string[];
  readonly logRetention: RetentionDays;
}

/**
 * The HTTP API behind CloudFront: one explicit `$default` stage with throttling and JSON access
 * logs, the public routes without authorization, the staff API routes behind a JWT authorizer on
 * the Cognito user pool. CORS, when an allow-list is configured, is answered by API Gateway itself
 * (preflights never reach a function and never need a token).
 *
 * The execute-api endpoint cannot be closed to the internet without a custom domain on API Gateway, so
 * the functions serve only requests carrying CloudFront's `x-origin-verify` header (edge.ts): API
 * Gateway passes request headers through to the Lambda event unchanged.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly publicRoutes: HttpRoute[] = [];
  readonly staffRoutes: HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, "HttpApi", {
      apiName: `${props.prefix}-api`,
      description: "Indgang: public form and intake API, staff inbox and admin API",
      createDefaultStage: false,
      corsPreflight: corsOptions(props.allowedOrigins),
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", { retention: props.logRetention });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTimeEpoch",
            ip: "$context.identity.sourceIp",
            method: "$context.httpMethod",
            routeKey: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            protocol: "$context.protocol",
            responseLength: "$context.responseLength",
            latencyMs: "$context.responseLatency",
            integrationLatencyMs: "$context.integrationLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
            userAgent: "$context.identity.userAgent",
          }),
        ),
      },
    });

    const publicIntegration = new HttpLambdaIntegration("Public", props.publicFunction);
    for (const route of PUBLIC_ROUTES) {
      this.publicRoutes.push(
        ...this.httpApi.addRoutes({ ...toOptions(route), integration: publicIntegration }),
      );
    }
    for (const route of this.publicRoutes) {
      Validations.of(route).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "A public route by design: companies submit requests and follow their case without an account. " +
          "Protected by AWS WAF at CloudFront (managed rules and per-IP rate limits; the function refuses requests " +
          "without CloudFront's origin-verify header), stage throttling, a body limit and schema validation in the " +
          "function, and a secret status token per case.",
      });
    }

    if (props.staffFunction) {
      const staffIntegration = new HttpLambdaIntegration("Staff", props.staffFunction);
      const authorizer = new HttpUserPoolAuthorizer("StaffJwt", props.auth.userPool, {
        authorizerName: `${props.prefix}-staff-jwt`,
        userPoolClients: [props.auth.client],
        identitySource: ["$request.header.Authorization"],
      });
      for (const route of STAFF_API_ROUTES) {
        this.staffRoutes.push(
          ...this.httpApi.addRoutes({ ...toOptions(route), integration: staffIntegration, authorizer }),
        );
      }
      for (const route of STAFF_PAGE_ROUTES) {
        const added = this.httpApi.addRoutes({ ...toOptions(route), integration: staffIntegration });
        for (const page of added) {
          Validations.of(page).acknowledge({
            id: "AwsSolutions-APIG4",
            reason:
              "Staff page, form post or sign-in route, reached by browser navigation, which carries no " +
              "Authorization header for a JWT authorizer. The staff function authenticates every such request " +
              "itself (session cookie with a Cognito ID token, verified against the user pool's keys, SameSite " +
              "Strict, CSRF origin check) before it serves or changes any case.",
          });
        }
        this.staffRoutes.push(...added);
      }
    }
  }

  /** The API's own host name, the origin CloudFront forwards to. */
  get domainName(): string {
    const stack = Stack.of(this);
    return `${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
}

function toOptions(route: RouteSpec): { path: string; methods: HttpMethod[] } {
  return { path: route.path, methods: [route.method] };
}

function corsOptions(allowedOrigins: readonly string[]): CorsPreflightOptions | undefined {
  if (allowedOrigins.length === 0) return undefined;
  return {
    allowOrigins: [...allowedOrigins],
    allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
    allowHeaders: ["content-type", "authorization", "idempotency-key"],
    maxAge: Duration.hours(1),
  };
}

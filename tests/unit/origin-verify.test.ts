import { handle } from "hono/aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import type { HostedSignIn } from "#functions/commons/cognito.ts";
import { createContext } from "#functions/commons/context.ts";
import { JsonLog } from "#functions/commons/json-logger.ts";
import { requireOriginSecret } from "#functions/http/commons/origin-verify.ts";
import { createPublicApp } from "#functions/http/public-app.tsx";
import { createStaffApp } from "#functions/http/staff-app.tsx";
import { devAuth } from "#local/dev-auth.ts";
import { ORIGIN_VERIFY_HEADER } from "#shared/config.ts";
import { NO_METRICS } from "#shared/metrics.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { CAFE_PAYLOAD, FakeCaseStore, FakeQueues, MemoryLog, offlineConfig } from "#tests/support/fakes.ts";

/**
 * The HTTP API's execute-api endpoint is reachable without CloudFront (and so without WAF). CloudFront
 * adds a secret header on its way to the API; both apps refuse, first of all, every request without it.
 */

const SECRET = "Zq3vR8kLm2Xw9Tn4Bc7Hd1Jf6Gp5Ks0Ya8Ue2Wi4Oo7Pl3Mn"; // 48 letters and digits, as generated
const WRONG_SAME_LENGTH = `${SECRET.slice(0, -1)}x`;
const BASE_URL = "https://indgang.example.dk";

let cases: FakeCaseStore;
let queues: FakeQueues;
let log: MemoryLog;

const publicApp = (secret: string | undefined) =>
  createPublicApp({
    cases,
    queues,
    log,
    now: () => "2025-03-01T09:00:00.000Z",
    consortia: async () => directory(DEFAULT_CONSORTIA),
    config: { PUBLIC_BASE_URL: BASE_URL, ORIGIN_VERIFY_SECRET: secret },
    metrics: NO_METRICS,
  });

// No storage is touched by the staff routes under test: the clients point nowhere.
const staffConfig = (secret: string | undefined) =>
  offlineConfig(secret ? { ORIGIN_VERIFY_SECRET: secret } : {});
const dev = devAuth("unit-test-secret");
const hostedSignIn: HostedSignIn = {
  start: () => ({ url: "https://auth.example/oauth2/authorize?x", state: "s1", verifier: "v1" }),
  finish: async () => {
    throw new Error("not called");
  },
  logoutUrl: () => "https://auth.example/logout?x",
};
const staffApp = (secret: string | undefined) =>
  createStaffApp({
    ...createContext(staffConfig(secret), new JsonLog({ level: "SILENT" })),
    log,
    verifier: dev.verifier,
    hostedSignIn,
  });

beforeEach(() => {
  cases = new FakeCaseStore();
  queues = new FakeQueues();
  log = new MemoryLog();
});

/** Without the header, with a wrong one (same length, other length, empty), in any case of the name. */
const REFUSED: [string, Record<string, string>][] = [
  ["no header", {}],
  ["a wrong value of the same length", { [ORIGIN_VERIFY_HEADER]: WRONG_SAME_LENGTH }],
  ["a prefix of the value", { [ORIGIN_VERIFY_HEADER]: SECRET.slice(0, 24) }],
  ["the value and more", { [ORIGIN_VERIFY_HEADER]: `${SECRET}x` }],
  ["an empty value", { [ORIGIN_VERIFY_HEADER]: "" }],
  ["the value in another header", { "x-origin-verified": SECRET }],
];
const RIGHT = { [ORIGIN_VERIFY_HEADER]: SECRET };

async function expectForbidden(res: Response, what: string) {
  expect(res.status, what).toBe(403);
  const text = await res.text();
  expect(text, what).not.toContain(SECRET);
  return text;
}

describe("the public app, with the origin secret (AWS)", () => {
  it.each(REFUSED)("refuses %s with 403 through the error mapper", async (what, headers) => {
    const res = await publicApp(SECRET).request("/health", { headers });
    const body = JSON.parse(await expectForbidden(res, what));
    expect(body).toEqual({ error: { code: "forbidden", message: expect.any(String), fields: [] } });
    // The refusal still carries the app's security headers.
    expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  });

  it("serves a request that carries the value (the header name in any case)", async () => {
    const app = publicApp(SECRET);
    expect((await app.request("/health", { headers: RIGHT })).status).toBe(200);
    const upper = await app.request("/health", { headers: { "X-Origin-Verify": SECRET } });
    expect(upper.status).toBe(200);
    const docs = await app.request("/api/openapi.json", { headers: RIGHT });
    expect(docs.status).toBe(200);
  });

  it("refuses before any work: a valid case without the header is not stored or queued", async () => {
    const app = publicApp(SECRET);
    const post = (headers: Record<string, string>) =>
      app.request("/api/requests", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(CAFE_PAYLOAD),
      });
    await expectForbidden(await post({}), "no header");
    await expectForbidden(await post({ [ORIGIN_VERIFY_HEADER]: WRONG_SAME_LENGTH }), "wrong header");
    expect(cases.records.size).toBe(0);
    expect(queues.sent).toEqual([]);
    expect((await post(RIGHT)).status).toBe(202);
    expect(cases.records.size).toBe(1);
  });

  it("answers a browser with a 403 page, and 403 also where no route exists", async () => {
    const app = publicApp(SECRET);
    const page = await app.request("/", { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type")).toContain("text/html");
    await expectForbidden(page, "page");
    await expectForbidden(await app.request("/no-such-path"), "unknown path");
  });

  it("never logs the header or the value", async () => {
    const app = publicApp(SECRET);
    for (const [, headers] of REFUSED) await app.request("/health", { headers });
    await app.request("/health", { headers: RIGHT });
    const logged = JSON.stringify(log.lines);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(WRONG_SAME_LENGTH);
    expect(logged.toLowerCase()).not.toContain(ORIGIN_VERIFY_HEADER);
  });
});

describe("behind API Gateway (HTTP API, payload 2.0), as the Lambda entry runs the app", () => {
  /** The event API Gateway passes to the function: request headers as sent, names in lower case. */
  const event = (headers: Record<string, string>) => ({
    version: "2.0",
    routeKey: "GET /health",
    rawPath: "/health",
    rawQueryString: "",
    headers: { host: "abc123.execute-api.eu-north-1.amazonaws.com", accept: "application/json", ...headers },
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-north-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method: "GET", path: "/health", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "t" },
      requestId: "r1",
      routeKey: "GET /health",
      stage: "$default",
      time: "01/Mar/2025:09:00:00 +0000",
      timeEpoch: 1740819600000,
    },
  });

  it("serves CloudFront's request and refuses a direct call to the execute-api endpoint", async () => {
    const handler = requireOriginSecret(
      { INDGANG_MODE: "aws", ORIGIN_VERIFY_SECRET: SECRET },
      handle(publicApp(SECRET)),
    );
    type Event = Parameters<typeof handler>[0];
    const viaCloudFront = await handler(event({ [ORIGIN_VERIFY_HEADER]: SECRET }) as unknown as Event);
    expect(viaCloudFront.statusCode).toBe(200);
    const direct = await handler(event({}) as unknown as Event);
    expect(direct.statusCode).toBe(403);
    expect(direct.body).not.toContain(SECRET);
  });
});

describe("the staff app, with the origin secret (AWS)", () => {
  it.each(REFUSED)("refuses %s with 403, before sign-in and authentication", async (what, headers) => {
    const app = staffApp(SECRET);
    for (const path of ["/signin", "/api/inbox", "/inbox"]) {
      const res = await app.request(path, { headers });
      const body = JSON.parse(await expectForbidden(res, `${what} ${path}`));
      expect(body.error.code, `${what} ${path}`).toBe("forbidden");
    }
    const token = await dev.issue({ sub: "a", name: "A", role: "admin" });
    const withToken = await app.request("/api/inbox", {
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    await expectForbidden(withToken, `${what} with a valid token`);
  });

  it("serves a request that carries the value: sign-in starts, the API asks for a token", async () => {
    const app = staffApp(SECRET);
    const signin = await app.request("/signin", { headers: RIGHT });
    expect(signin.status).toBe(302);
    const inbox = await app.request("/api/inbox", { headers: RIGHT });
    expect(inbox.status).toBe(401);
    expect(JSON.stringify(log.lines)).not.toContain(SECRET);
  });
});

describe("without the origin secret (npm start: no CloudFront)", () => {
  it("both apps serve requests without the header", async () => {
    expect((await publicApp(undefined).request("/health")).status).toBe(200);
    expect((await staffApp(undefined).request("/signin")).status).toBe(302);
  });

  it("the Lambda entries refuse to serve on AWS without it, and serve with it or locally", async () => {
    const served = async () => "served";
    await expect(requireOriginSecret({ INDGANG_MODE: "aws" }, served)()).rejects.toThrow(
      "ORIGIN_VERIFY_SECRET must be set",
    );
    await expect(
      requireOriginSecret({ INDGANG_MODE: "aws", ORIGIN_VERIFY_SECRET: SECRET }, served)(),
    ).resolves.toBe("served");
    await expect(requireOriginSecret({ INDGANG_MODE: "local" }, served)()).resolves.toBe("served");
  });

  it("the configuration accepts a generated value and refuses a short one", () => {
    expect(staffConfig(SECRET).ORIGIN_VERIFY_SECRET).toBe(SECRET);
    expect(staffConfig(undefined).ORIGIN_VERIFY_SECRET).toBeUndefined();
    expect(() => staffConfig("too-short")).toThrow();
  });
});

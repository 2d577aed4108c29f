import { describe, expect, it } from "vitest";
import { cognitoHostedSignIn, type HostedSignIn } from "#functions/commons/cognito.ts";
import { createContext } from "#functions/commons/context.ts";
import { JsonLog } from "#functions/commons/json-logger.ts";
import { createStaffApp } from "#functions/http/staff-app.tsx";
import { devAuth } from "#local/dev-auth.ts";
import { devSignIn } from "#local/dev-sign-in.tsx";
import { principalFromGroups } from "#shared/principal.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { offlineConfig } from "#tests/support/fakes.ts";

// No storage is touched by the routes under test: the clients point nowhere.
const ctx = createContext(offlineConfig(), new JsonLog({ level: "SILENT" }));
const dev = devAuth("unit-test-secret");

describe("Cognito groups → principal", () => {
  it("admins, consultants by consortium group, and nobody else", () => {
    expect(principalFromGroups("s", "n", ["admins", "consortium-rar-fyn"])).toMatchObject({ role: "admin" });
    expect(principalFromGroups("s", "n", ["consortium-rar-fyn"])).toMatchObject({
      role: "consultant",
      consortiumId: "rar-fyn",
    });
    expect(principalFromGroups("s", "n", ["other"])).toBeUndefined();
  });
});

describe("hosted sign-in (AWS)", () => {
  it("starts with PKCE (S256) and a state, to the configured redirect URI", () => {
    const { url, state, verifier } = cognitoHostedSignIn(
      "https://auth.example",
      "client-1",
      "https://app.example/auth/callback",
      "https://app.example/",
    ).start();
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe("https://auth.example/oauth2/authorize");
    expect(u.searchParams.get("code_challenge_method")).toBe("S256");
    expect(u.searchParams.get("code_challenge")).not.toBe(verifier);
    expect(u.searchParams.get("state")).toBe(state);
    expect(u.searchParams.get("redirect_uri")).toBe("https://app.example/auth/callback");
  });

  it("the callback refuses a state that does not match the cookie, and signs in when it does", async () => {
    const token = await dev.issue({ sub: "a", name: "A", role: "admin" });
    const fake: HostedSignIn = {
      start: () => ({ url: "https://auth.example/oauth2/authorize?x", state: "s1", verifier: "v1" }),
      finish: async (code, verifier) => {
        if (code !== "c1" || verifier !== "v1") throw new Error("bad exchange");
        return token;
      },
      logoutUrl: () => "https://auth.example/logout?client_id=client-1",
    };
    const app = createStaffApp({ ...ctx, verifier: dev.verifier, hostedSignIn: fake });
    const start = await app.request("/signin");
    expect(start.status).toBe(302);
    expect(start.headers.get("set-cookie")).toContain("indgang_oauth=s1.v1");
    const wrong = await app.request("/auth/callback?code=c1&state=other", {
      headers: { cookie: "indgang_oauth=s1.v1" },
    });
    expect(wrong.status).toBe(401);
    const ok = await app.request("/auth/callback?code=c1&state=s1", {
      headers: { cookie: "indgang_oauth=s1.v1" },
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/inbox");
    expect(ok.headers.get("set-cookie")).toMatch(
      /indgang_session=.+HttpOnly.*Secure.*SameSite=Strict|indgang_session=.+Secure.*HttpOnly/,
    );
  });

  it("a browser gets a readable 404 page with the way back to the inbox; an API client gets JSON", async () => {
    const app = createStaffApp({ ...ctx, verifier: dev.verifier });
    for (const path of ["/no-such-page", "/signin"]) {
      const page = await app.request(path, { headers: { accept: "text/html", "accept-language": "da" } });
      expect(page.status, path).toBe(404);
      expect(page.headers.get("content-type"), path).toContain("text/html");
      const html = await page.text();
      expect(html, path).toContain("Siden findes ikke");
      expect(html, path).toContain('href="/inbox"');
    }
    const api = await app.request("/api/no-such-route", { headers: { accept: "application/json" } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("without dev tokens or hosted sign-in there is no sign-in page and no dev token route", async () => {
    const app = createStaffApp({ ...ctx, verifier: dev.verifier });
    expect((await app.request("/signin")).status).toBe(404);
    expect(
      (
        await app.request("/api/dev/token", {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(404);
  });

  it("sign-out ends the hosted UI's session too: /logout with the client id and the way back", async () => {
    const url = new URL(
      cognitoHostedSignIn(
        "https://auth.example",
        "client-1",
        "https://app.example/auth/callback",
        "https://app.example/",
      ).logoutUrl(),
    );
    expect(url.origin + url.pathname).toBe("https://auth.example/logout");
    expect(url.searchParams.get("client_id")).toBe("client-1");
    expect(url.searchParams.get("logout_uri")).toBe("https://app.example/");
    const hosted: HostedSignIn = {
      start: () => ({ url: "https://auth.example/oauth2/authorize?x", state: "s", verifier: "v" }),
      finish: async () => "",
      logoutUrl: () => url.href,
    };
    const res = await createStaffApp({ ...ctx, verifier: dev.verifier, hostedSignIn: hosted }).request(
      "/signout",
      { method: "POST" },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(url.href);
    expect(res.headers.get("set-cookie")).toContain("indgang_session=;");
    // Locally (no hosted UI) sign-out goes to the front page.
    const local = await createStaffApp({ ...ctx, verifier: dev.verifier }).request("/signout", {
      method: "POST",
    });
    expect(local.headers.get("location")).toBe("/");
  });
});

describe("dev sign-in (local stack)", () => {
  const app = createStaffApp({
    ...ctx,
    verifier: dev.verifier,
    devSignIn: devSignIn({ devTokens: dev.issue, consortia: async () => directory(DEFAULT_CONSORTIA) }),
  });
  const post = (headers: Record<string, string>) =>
    app.request("/signin", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: "role=admin&name=Mallory",
    });

  it("refuses a cross-site sign-in post, though it carries no session cookie (login CSRF)", async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    ]) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get("set-cookie"), JSON.stringify(headers)).toBeNull();
    }
  });

  it("signs in from its own page: a session cookie and on to the inbox", async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: "http://localhost" },
      { "sec-fetch-site": "same-origin" },
    ]) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(303);
      expect(res.headers.get("location")).toBe("/inbox");
      expect(res.headers.get("set-cookie")).toMatch(/indgang_session=.+HttpOnly/);
    }
  });
});

import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { errorResponse } from "#functions/http/commons/error-response.ts";
import { edgeClient, rateLimit } from "#functions/http/commons/rate-limit.ts";
import { MemoryLog } from "#tests/support/fakes.ts";

/** On AWS the per-client intake limit keys on the address CloudFront saw, not on one the client wrote. */
describe("edgeClient", () => {
  const keyOf = async (headers: Record<string, string>) => {
    const app = new Hono();
    app.get("/", (c) => c.text(edgeClient(c)));
    return (await app.request("/", { headers })).text();
  };

  it("takes CloudFront-Viewer-Address without its port, IPv4 and IPv6", async () => {
    expect(
      await keyOf({
        "cloudfront-viewer-address": "203.0.113.7:4711",
        "x-forwarded-for": "1.2.3.4, 203.0.113.7",
      }),
    ).toBe("203.0.113.7");
    expect(await keyOf({ "cloudfront-viewer-address": "2001:db8::17:51000" })).toBe("2001:db8::17");
  });

  it("without it, the last X-Forwarded-For entry (the nearest proxy's), never the client's own first one", async () => {
    expect(await keyOf({ "x-forwarded-for": "9.9.9.9, 203.0.113.7" })).toBe("203.0.113.7");
    expect(await keyOf({})).toBe("unknown");
  });

  it("a client that writes a new X-Forwarded-For on every request still meets its limit", async () => {
    const app = new Hono();
    app.onError((err, c) => errorResponse(err, c, new MemoryLog()));
    app.use(rateLimit({ perMinute: 3, clientKey: edgeClient, now: () => 1_000 }));
    app.post("/", (c) => c.text("ok"));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.request("/", {
        method: "POST",
        headers: {
          "x-forwarded-for": `10.0.0.${i}, 198.51.100.2`,
          "cloudfront-viewer-address": "198.51.100.2:1234",
        },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

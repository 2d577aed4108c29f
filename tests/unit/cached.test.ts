import { describe, expect, it } from "vitest";
import { cached } from "#shared/cached.ts";

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** A promise with its settle functions, to control when a load finishes. */
function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("cached", () => {
  it("loads once within the TTL", async () => {
    const c = clock();
    let loads = 0;
    const get = cached(async () => ++loads, 1_000, c.now);
    expect(await get()).toBe(1);
    c.advance(500);
    expect(await get()).toBe(1);
    c.advance(499);
    expect(await get()).toBe(1);
    expect(loads).toBe(1);
  });

  it("does not load before it is first called", () => {
    let loads = 0;
    cached(async () => ++loads, 1_000);
    expect(loads).toBe(0);
  });

  it("reloads once the TTL has passed", async () => {
    const c = clock();
    let loads = 0;
    const get = cached(async () => ++loads, 1_000, c.now);
    expect(await get()).toBe(1);
    c.advance(1_000);
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
    c.advance(5_000);
    expect(await get()).toBe(3);
    expect(loads).toBe(3);
  });

  it("concurrent callers share one load", async () => {
    const c = clock();
    let loads = 0;
    const pending = deferred<string>();
    const get = cached(
      () => {
        loads++;
        return pending.promise;
      },
      1_000,
      c.now,
    );
    const a = get();
    const b = get();
    const d = get();
    expect(loads).toBe(1);
    expect(b).toBe(a);
    pending.resolve("value");
    expect(await Promise.all([a, b, d])).toEqual(["value", "value", "value"]);
    expect(loads).toBe(1);
  });

  it("a failed load is not cached: the next call loads again", async () => {
    const c = clock();
    let loads = 0;
    const get = cached(
      async () => {
        loads++;
        if (loads === 1) throw new Error("table unavailable");
        return "ok";
      },
      60_000,
      c.now,
    );
    await expect(get()).rejects.toThrow("table unavailable");
    c.advance(1); // well within the TTL
    expect(await get()).toBe("ok");
    expect(await get()).toBe("ok");
    expect(loads).toBe(2);
  });

  it("callers waiting on a load that fails all see the failure", async () => {
    let loads = 0;
    const pending = deferred<number>();
    const get = cached(
      () => {
        loads++;
        return pending.promise;
      },
      60_000,
      () => 0,
    );
    const a = get();
    const b = get();
    pending.reject(new Error("boom"));
    await expect(a).rejects.toThrow("boom");
    await expect(b).rejects.toThrow("boom");
    expect(loads).toBe(1);
  });

  it("a stale load that fails late does not evict the newer value", async () => {
    const c = clock();
    const first = deferred<string>();
    const second = deferred<string>();
    const loads = [first, second];
    let n = 0;
    const get = cached(
      () => {
        const d = loads[n++];
        if (!d) throw new Error("too many loads");
        return d.promise;
      },
      1_000,
      c.now,
    );
    const old = get();
    c.advance(1_000);
    const fresh = get();
    second.resolve("new");
    expect(await fresh).toBe("new");
    first.reject(new Error("late failure"));
    await expect(old).rejects.toThrow("late failure");
    expect(await get()).toBe("new");
    expect(n).toBe(2);
  });
});

describe("rateLimit", () => {
  it("forgets hits older than a minute", async () => {
    const { Hono } = await import("hono");
    const { rateLimit } = await import("#functions/http/commons/rate-limit.ts");
    const { AppError } = await import("#shared/errors.ts");
    let t = 0;
    const app = new Hono();
    app.onError((err, c) => c.text(err.message, err instanceof AppError ? 429 : 500));
    app.use(rateLimit({ perMinute: 2, clientKey: () => "x", now: () => t }));
    app.get("/", (c) => c.text("ok"));
    expect((await app.request("/")).status).toBe(200);
    expect((await app.request("/")).status).toBe(200);
    expect((await app.request("/")).status).toBe(429);
    t += 60_001;
    expect((await app.request("/")).status).toBe(200);
  });
});

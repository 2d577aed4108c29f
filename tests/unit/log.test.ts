import { afterEach, describe, expect, it } from "vitest";
import { JsonLog, type JsonLogOptions, toJson } from "#functions/commons/json-logger.ts";

const saved = { level: process.env.AWS_LAMBDA_LOG_LEVEL, trace: process.env._X_AMZN_TRACE_ID };
afterEach(() => {
  for (const [key, value] of [
    ["AWS_LAMBDA_LOG_LEVEL", saved.level],
    ["_X_AMZN_TRACE_ID", saved.trace],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function captured(options: Omit<JsonLogOptions, "write"> = {}) {
  const lines: Record<string, unknown>[] = [];
  const log = new JsonLog({
    ...options,
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { log, lines };
}

describe("JsonLog: one JSON object per line", () => {
  it("writes level, message, ISO timestamp, service and the fields", () => {
    const { log, lines } = captured();
    log.info("case delivered", { reference: "IND-AAAA-AAAA" }, { consortium: "rar-fyn" });
    expect(lines).toEqual([
      {
        level: "INFO",
        message: "case delivered",
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: "indgang",
        reference: "IND-AAAA-AAAA",
        consortium: "rar-fyn",
      },
    ]);
  });

  it("a field cannot replace the level, message or timestamp", () => {
    const { log, lines } = captured();
    log.warn("real", { level: "DEBUG", message: "forged", timestamp: "x", other: 1 });
    expect(lines[0]).toMatchObject({ level: "WARN", message: "real", other: 1 });
    expect(lines[0]?.timestamp).not.toBe("x");
  });

  it("writes nothing below its level, and nothing at all when SILENT", () => {
    const warn = captured({ level: "WARN" });
    warn.log.debug("d");
    warn.log.info("i");
    warn.log.warn("w");
    warn.log.error("e");
    expect(warn.lines.map((l) => l.level)).toEqual(["WARN", "ERROR"]);
    const silent = captured({ level: "SILENT" });
    silent.log.error("e");
    expect(silent.lines).toEqual([]);
  });

  it("takes its level from Lambda's AWS_LAMBDA_LOG_LEVEL (FATAL as ERROR, TRACE as DEBUG), else INFO", () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = "FATAL";
    const fatal = captured();
    fatal.log.warn("w");
    fatal.log.error("e");
    expect(fatal.lines.map((l) => l.message)).toEqual(["e"]);
    process.env.AWS_LAMBDA_LOG_LEVEL = "TRACE";
    const trace = captured();
    trace.log.debug("d");
    expect(trace.lines).toHaveLength(1);
    delete process.env.AWS_LAMBDA_LOG_LEVEL;
    const none = captured();
    none.log.debug("d");
    none.log.info("i");
    expect(none.lines.map((l) => l.message)).toEqual(["i"]);
  });

  it("adds the X-Ray trace root when Lambda has one", () => {
    process.env._X_AMZN_TRACE_ID =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const { log, lines } = captured();
    log.info("traced");
    expect(lines[0]?.xray_trace_id).toBe("1-5759e988-bd862e3fe1be46a994272793");
  });

  it("writes an Error with its name, message, stack and cause", () => {
    const { log, lines } = captured();
    log.error("send failed", { error: new TypeError("boom", { cause: new Error("socket hang up") }) });
    const error = lines[0]?.error as Record<string, unknown>;
    expect(error).toMatchObject({ name: "TypeError", message: "boom", cause: { message: "socket hang up" } });
    expect(String(error.stack)).toContain("log.test.ts");
  });
});

describe("toJson never throws", () => {
  it("bigints as strings, an object met again as [Repeated]", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(JSON.parse(toJson({ n: 10n, loop }))).toEqual({ n: "10", loop: { a: 1, self: "[Repeated]" } });
  });
});

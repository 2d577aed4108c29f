import type { Log } from "#shared/log.ts";

const LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 } as const;
export type LogLevel = keyof typeof LEVELS;
export const LOG_LEVELS = Object.keys(LEVELS) as LogLevel[];
export const isLogLevel = (value: string): value is LogLevel => Object.hasOwn(LEVELS, value);

/** Lambda's application log levels (AWS_LAMBDA_LOG_LEVEL) in ours: TRACE logs as DEBUG, FATAL as ERROR. */
const FROM_LAMBDA: Record<string, LogLevel> = {
  TRACE: "DEBUG",
  DEBUG: "DEBUG",
  INFO: "INFO",
  WARN: "WARN",
  ERROR: "ERROR",
  FATAL: "ERROR",
};

/** The keys every line has; an extra field of the same name does not replace them. */
const OWN_KEYS = new Set(["level", "message", "timestamp", "service", "xray_trace_id"]);

/** One line to stdout, past Lambda's console wrapper, so a JSON line stays ours (logs and EMF). */
export const writeLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export interface JsonLogOptions {
  /** Lines below this level are not written. Default: AWS_LAMBDA_LOG_LEVEL (set by Lambda), else INFO. */
  level?: LogLevel;
  /** Where each line goes. Default: `writeLine` (stdout). */
  write?: (line: string) => void;
}

/**
 * Structured logging: one JSON object per line, `{ level, message, timestamp, service,
 * xray_trace_id?, ...fields }`, which CloudWatch Logs Insights reads as fields. Errors in the fields
 * are written with their name, message, stack and cause (JSON.stringify writes `{}` for an Error).
 * Hand-written instead of Powertools' Logger: the same line shape for the three calls the service
 * makes, without 31 KB and ~12 ms of every cold start (README "Design notes").
 */
export class JsonLog implements Log {
  private readonly threshold: number;
  private readonly write: (line: string) => void;

  constructor(options: JsonLogOptions = {}) {
    const level = options.level ?? FROM_LAMBDA[process.env.AWS_LAMBDA_LOG_LEVEL ?? ""] ?? "INFO";
    this.threshold = LEVELS[level];
    this.write = options.write ?? writeLine;
  }

  debug(message: string, ...fields: Record<string, unknown>[]): void {
    this.line("DEBUG", message, fields);
  }
  info(message: string, ...fields: Record<string, unknown>[]): void {
    this.line("INFO", message, fields);
  }
  warn(message: string, ...fields: Record<string, unknown>[]): void {
    this.line("WARN", message, fields);
  }
  error(message: string, ...fields: Record<string, unknown>[]): void {
    this.line("ERROR", message, fields);
  }

  private line(level: Exclude<LogLevel, "SILENT">, message: string, fields: Record<string, unknown>[]): void {
    if (LEVELS[level] < this.threshold) return;
    const entry: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: "indgang",
    };
    // Lambda's X-Ray trace header, `Root=1-…;Parent=…;Sampled=…`: its root ties the line to a trace.
    const trace = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
    if (trace) entry.xray_trace_id = trace;
    for (const extra of fields) {
      for (const [key, value] of Object.entries(extra)) if (!OWN_KEYS.has(key)) entry[key] = value;
    }
    this.write(toJson(entry));
  }
}

/** JSON that never throws: Errors in full, bigints as strings, an object met again as "[Repeated]". */
export function toJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (typeof v !== "object" || v === null) return v;
    if (seen.has(v)) return "[Repeated]";
    seen.add(v);
    if (v instanceof Error) {
      return {
        name: v.name,
        message: v.message,
        stack: v.stack,
        ...(v.cause === undefined ? {} : { cause: v.cause }),
      };
    }
    return v;
  });
}

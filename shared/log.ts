/** The logging the domain needs; functions/commons/json-logger.ts writes it as JSON lines, on Lambda and locally. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The local stack's CASE_LINK_SECRET: made once per data directory and kept in it (mode 0600), so
 * that the status links in the outbox still open after a restart of `npm start`.
 */
export function localCaseLinkSecret(dataDir: string): string {
  const file = join(dataDir, "case-link-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

/**
 * Is there a Java DynamoDB Local can run on? `npm start` asks first, before anything starts.
 */
import { spawnSync } from "node:child_process";

/** DynamoDB Local 3.x needs Java 17 or later. */
const JAVA_MIN_MAJOR = 17;

const JAVA_INSTALL = [
  `DynamoDB Local (npm start's database) needs Java ${JAVA_MIN_MAJOR} or later. Install it, then run npm start again:`,
  "  Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless",
  "  macOS:         brew install openjdk@17   (or Eclipse Temurin 17: https://adoptium.net)",
].join("\n");

/**
 * Why DynamoDB Local cannot start on this machine's `java` (looked up on `env.PATH`, as `spawn`
 * does), with how to install one; undefined when there is a Java 17+. Without it, `spawn` fails
 * only later, as `spawn java ENOENT` and a stack trace.
 */
export function javaProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const result = spawnSync("java", ["-version"], { env, encoding: "utf8", timeout: 30_000 });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    return `${missing ? "No java on the PATH." : `java -version failed: ${result.error.message}`}\n${JAVA_INSTALL}`;
  }
  // `java -version` writes to stderr: `openjdk version "17.0.15" 2025-04-15`, or `"1.8.0_402"` for 8.
  const output = `${result.stderr}${result.stdout}`;
  const [, first, second] = output.match(/version "(\d+)(?:\.(\d+))?/) ?? [];
  const major = first === "1" ? Number(second) : Number(first);
  if (!Number.isInteger(major)) {
    return `Could not read java's version from: ${output.trim().split("\n")[0] ?? ""}\n${JAVA_INSTALL}`;
  }
  if (major < JAVA_MIN_MAJOR) return `Found Java ${major}.\n${JAVA_INSTALL}`;
  return undefined;
}

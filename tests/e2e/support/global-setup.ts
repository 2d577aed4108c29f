import { existsSync, mkdirSync, rmSync } from "node:fs";
import { AXE_RESULTS, CHROMIUM, SCREENSHOTS } from "./paths.ts";

/** Before the browser tests: Chromium must be there, and the artefacts start empty. */
export default function setup() {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install chromium (.ci/run does this)`);
  for (const path of [SCREENSHOTS, AXE_RESULTS]) {
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
  }
}

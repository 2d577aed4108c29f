import { join } from "node:path";

/** Debian's Chromium (`apt-get install chromium`); a browser is never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Test artefacts (git-ignored): screenshots and the axe results of every page checked. */
export const ARTEFACTS = join(process.cwd(), "test-results");
export const SCREENSHOTS = join(ARTEFACTS, "screenshots");
export const AXE_RESULTS = join(ARTEFACTS, "axe");

/**
 * How every schema of the project reports problems; imported for its effect by each module that
 * defines schemas. The schemas use zod/mini (functions instead of methods, so a bundle carries only
 * what it uses), which unlike classic zod loads no messages itself: English ones are set here, and a
 * missing field says so plainly ("is required") instead of "expected string, received undefined".
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config({ ...en(), customError: (issue) => (issue.input === undefined ? "is required" : undefined) });

import { bodyLimit } from "hono/body-limit";
import { AppError } from "#shared/errors.ts";

/** Refuses a body over `kb` KB with 413, through the app's error mapper like every other error. */
export function bodyLimitKb(kb: number) {
  return bodyLimit({
    maxSize: kb * 1024,
    onError: () => {
      throw new AppError("payload_too_large", `The body is larger than ${kb} KB`);
    },
  });
}

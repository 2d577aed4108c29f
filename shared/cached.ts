/**
 * A value loaded at most once per `ttlMs`, shared by concurrent callers: running workers pick up a
 * newly published rule set or consortium map within seconds, without a read per message.
 */
export function cached<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now) {
  let value: { at: number; promise: Promise<T> } | undefined;
  return (): Promise<T> => {
    const t = now();
    if (!value || t - value.at >= ttlMs) {
      const promise = load();
      value = { at: t, promise };
      // A failed load is not cached: the next call tries again.
      promise.catch(() => {
        if (value?.promise === promise) value = undefined;
      });
    }
    return value.promise;
  };
}

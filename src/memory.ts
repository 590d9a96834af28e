import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection now. A drain calls it between requests: the last reply (megabytes of
 * JSON and the records parsed from it) is garbage once its pages were handled, and V8, even tuned
 * for size (see bin.ts), would collect it only after the next reply had landed on top of it, which
 * is what sets the peak RSS (about 6–8 MiB over a 100,000- or 500,000-event drain, by the bench).
 * One collection of a small heap per request (at most 2 requests/s) costs a few milliseconds.
 * `--expose-gc` set at run time exposes `gc` to contexts created afterwards, hence the new context.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

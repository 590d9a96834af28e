// Scripted failures for client tests: proxy error pages, dropped connections, slow replies and
// arbitrary REST errors, each armed for the next N matching /rest/ requests.
import type { Fault } from './types.js';

interface ArmedFault {
  fault: Fault;
  remaining: number;
  method?: string;
}

/** Normalises a method name the way the router does: lower-case, no `.json` suffix. */
export function normaliseMethod(method: string): string {
  return method.toLowerCase().replace(/\.json$/, '');
}

/** Armed faults, consumed first-armed first. */
export class FaultQueue {
  private armed: ArmedFault[] = [];

  arm(fault: Fault): void {
    const entry: ArmedFault = { fault, remaining: Math.max(1, Math.trunc(fault.times ?? 1)) };
    if (fault.method !== undefined) entry.method = normaliseMethod(fault.method);
    this.armed.push(entry);
  }

  /** Consumes one use of the first fault matching `method` (normalised), if any. */
  take(method: string): Fault | undefined {
    const index = this.armed.findIndex((entry) => entry.method === undefined || entry.method === method);
    const entry = this.armed[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.armed.splice(index, 1);
    return entry.fault;
  }
}

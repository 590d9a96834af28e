// Time formatting shared by envelopes and queue rows. The portal prints local time with an offset
// (`2025-09-09T16:31:11+03:00`), never `Z`, so clients must parse offsets.

/** ISO 8601 in local time with a numeric offset and second precision. */
export function isoDate(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const offsetMin = -date.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day}T${clock}${sign}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`;
}

/**
 * The `time` block of a success envelope, with the method's operating budget (operating.ts); an
 * untouched budget reads as real replies show it: operating 0, reset one window after the start.
 */
export function timeBlock(
  startMs: number,
  finishMs: number,
  budget: { operating: number; resetAt: number } = { operating: 0, resetAt: Math.floor(startMs / 1000) + 600 },
): Record<string, number | string> {
  const duration = (finishMs - startMs) / 1000;
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration,
    processing: duration,
    date_start: isoDate(startMs),
    date_finish: isoDate(finishMs),
    operating_reset_at: budget.resetAt,
    operating: budget.operating,
  };
}

/** Whole epoch seconds. */
export function epochSeconds(ms: number = Date.now()): number {
  return Math.floor(ms / 1000);
}

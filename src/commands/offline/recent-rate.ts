/** Events per second over the last few seconds, not since the start: a --follow drain idles for hours. */
export class RecentRate {
  private readonly samples: { at: number; total: number }[] = [];

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 10_000,
    private readonly everyMs = 250,
  ) {}

  /** Records the running total and answers the rate over the window (whole events per second). */
  perSecond(total: number): number {
    const at = this.now();
    const last = this.samples.at(-1);
    if (!last || at - last.at >= this.everyMs) this.samples.push({ at, total });
    // keep one sample at or just beyond the window's start as the base
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= this.windowMs) this.samples.shift();
    const base = this.samples[0] ?? { at, total };
    // a base older than the window (the drain was idle): no events came between it and the window
    const seconds = Math.min(at - base.at, this.windowMs) / 1000;
    return seconds > 0 ? Math.round((total - base.total) / seconds) : 0;
  }
}

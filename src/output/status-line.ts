import type { Writable } from 'node:stream';

/** How often a status line is redrawn at most; the latest text is always drawn in the end. */
const REDRAW_MS = 200;

/**
 * One line on a terminal's stderr, redrawn in place (a progress or "waiting…" line). Updates faster
 * than the redraw rate are coalesced, and the last one of a burst is drawn by a trailing timer, so
 * the line never shows a stale count. Off a terminal it draws nothing.
 */
export class StatusLine {
  private text: string | undefined;
  private shown = false;
  private lastDraw = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stderr: Writable,
    private readonly enabled: boolean,
    private readonly style: (text: string) => string,
    private readonly now: () => number,
  ) {}

  /** Shows `text` as the status (at the latest within the redraw interval). */
  set(text: string): void {
    if (!this.enabled) return;
    this.text = text;
    const wait = this.lastDraw + REDRAW_MS - this.now();
    if (wait <= 0) return this.draw();
    this.timer ??= setTimeout(() => this.draw(), wait).unref();
  }

  /** Removes the line for good (until the next `set`). */
  clear(): void {
    this.text = undefined;
    this.cancelTimer();
    this.hide();
  }

  /** Writes `text` above the status line (on stderr, or on `stream` sharing its terminal), which comes back right after. */
  above(text: string | Uint8Array, stream: Writable = this.stderr): void {
    this.hide();
    stream.write(text);
    if (this.text !== undefined) this.draw();
  }

  private draw(): void {
    this.cancelTimer();
    if (this.text === undefined) return;
    this.stderr.write(`\r\x1b[K${this.style(this.text)}`);
    this.shown = true;
    this.lastDraw = this.now();
  }

  private hide(): void {
    if (!this.shown) return;
    this.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

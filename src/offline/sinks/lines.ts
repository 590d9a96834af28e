import type { Writable } from 'node:stream';

type Done = (error: Error | null | undefined) => void;

/**
 * Lines written to a stream a group at a time: everything pushed in one turn of the event loop (or
 * up to `groupBytes`) goes out in one `write()`, and each line's callback runs when its group's write
 * completed (handed to the OS) or failed. One write per group instead of one per line keeps the
 * per-event cost of a drain low; the guarantee stays per line: done means written.
 */
export class GroupWriter {
  private text = '';
  private waiting: Done[] = [];
  private scheduled = false;

  constructor(
    private readonly stream: Writable,
    private readonly groupBytes = 16 * 1024,
  ) {}

  push(line: string, done?: Done): void {
    this.text += line;
    if (done) this.waiting.push(done);
    if (this.text.length >= this.groupBytes) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is pending now. */
  flush(): void {
    this.scheduled = false;
    if (this.text === '') return;
    const waiting = this.waiting;
    const text = this.text;
    this.text = '';
    this.waiting = [];
    try {
      this.stream.write(text, (error) => {
        for (const done of waiting) done(error);
      });
    } catch (error) {
      for (const done of waiting) done(error as Error);
    }
  }
}

import { closeSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The stdin of an --exec handler: a file that already holds the whole event when the handler starts,
 * instead of a pipe written after the spawn. A pipe would show a handler whose drain died between
 * the spawn and the write an empty (or, past the pipe's 64 KiB, a cut) event; a file is complete
 * before there is a handler to read it. The file is unlinked at once (the descriptor keeps it), in a
 * 0700 folder of the drain's that the drain (or, after a SIGKILL, its reaper) removes.
 */
export class EventFiles {
  private count = 0;
  private made = false;

  /** @param scratch makes (once) and names the scratch folder */
  constructor(private readonly scratch: () => string) {}

  folder(): string {
    this.made = true;
    return this.scratch();
  }

  /** A descriptor (read from offset 0) of an unlinked file holding `text`; the caller closes it once the child has it. */
  hold(text: string): number {
    const path = join(this.folder(), String((this.count += 1)));
    const fd = openSync(path, 'wx+', 0o600);
    try {
      const data = Buffer.from(text, 'utf8');
      // positional writes leave the descriptor's offset at 0, where the handler starts reading
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at, at);
      unlinkSync(path);
    } catch (error) {
      closeSync(fd);
      rmSync(path, { force: true });
      throw error;
    }
    return fd;
  }

  remove(): void {
    if (this.made) rmSync(this.scratch(), { recursive: true, force: true });
  }
}

import { Readable, Writable } from 'node:stream';

/** The process streams plus what we know about them; tests pass string buffers instead. */
export interface IO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  readonly columns: number;
}

type MaybeTTY = { isTTY?: boolean; columns?: number };

/** IO bound to the real process streams. */
export function processIO(): IO {
  const out = process.stdout as unknown as MaybeTTY;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdoutIsTTY: Boolean(out.isTTY),
    stderrIsTTY: Boolean((process.stderr as unknown as MaybeTTY).isTTY),
    stdinIsTTY: Boolean((process.stdin as unknown as MaybeTTY).isTTY),
    columns: out.columns || 100, // some terminals (script, containers) report 0
  };
}

/** Write and wait until the data is handed to the OS, so a row counts as delivered only once flushed. */
export function writeFlushed(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** A stream that keeps what is written to it. */
export interface Capture extends Writable {
  text(): string;
}

export function capture(): Capture {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as Capture;
  stream.text = () => text;
  return stream;
}

export interface BufferedIO extends IO {
  readonly stdout: Capture;
  readonly stderr: Capture;
}

/** IO over string buffers, like gh's `iostreams.Test()` (tests, and commands that run others quietly): no terminal unless asked. */
export function bufferedIO(options: { input?: string; stdoutIsTTY?: boolean; stderrIsTTY?: boolean; stdinIsTTY?: boolean; columns?: number } = {}): BufferedIO {
  return {
    stdout: capture(),
    stderr: capture(),
    stdin: Readable.from(options.input ? [options.input] : []),
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    stdinIsTTY: options.stdinIsTTY ?? false,
    columns: options.columns ?? 100,
  };
}

import { Readable, Writable } from 'node:stream';
import type { IO } from '../../src/output/io.js';

/** A captured stream: everything written, as text. */
export interface Capture extends Writable {
  text(): string;
}

function capture(): Capture {
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

export interface TestIOOptions {
  /** what stdin holds; it ends after that (empty by default) */
  input?: string;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  stdinIsTTY?: boolean;
  columns?: number;
}

export interface TestIO extends IO {
  readonly stdout: Capture;
  readonly stderr: Capture;
}

/** IO over string buffers, like gh's `iostreams.Test()`: no terminal unless asked for. */
export function testIO(options: TestIOOptions = {}): TestIO {
  const stdin = Readable.from(options.input ? [options.input] : []);
  return {
    stdout: capture(),
    stderr: capture(),
    stdin,
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    stdinIsTTY: options.stdinIsTTY ?? false,
    columns: options.columns ?? 100,
  };
}

import { bufferedIO, type BufferedIO } from '../../src/output/io.js';

export type { Capture } from '../../src/output/io.js';

export interface TestIOOptions {
  /** what stdin holds; it ends after that (empty by default) */
  input?: string;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  stdinIsTTY?: boolean;
  columns?: number;
}

export type TestIO = BufferedIO;

/** IO over string buffers: no terminal unless asked for. */
export function testIO(options: TestIOOptions = {}): TestIO {
  return bufferedIO(options);
}

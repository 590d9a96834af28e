import { spawn } from 'node:child_process';
import { BIN, baseEnv } from './cli.js';

/** A `b24-events sandbox --json` process on a config folder, started and waited for. */
export interface SandboxProcess {
  pid: number;
  /** the announcement on stdout: url, profile, client_id… */
  info: { url: string; profile: string | null; client_id: string };
  stderr(): string;
  /** Sends the signal and resolves with the exit code (or the signal that ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** Starts the built CLI's `sandbox --json ARGS`; rejects with its output when it exits before running. */
export async function startSandboxProcess(configDir: string, args: string[] = []): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--json', ...args], { env: baseEnv(configDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 15_000;
  while (!stderr.includes('Sandbox portal running')) {
    if (done || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the sandbox did not start (exit ${String(await exited)}):\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    pid: child.pid ?? 0,
    info: JSON.parse(stdout) as SandboxProcess['info'],
    stderr: () => stderr,
    stop(signal = 'SIGINT') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

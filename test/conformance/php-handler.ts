// A real PHP handler on loopback (`php -S`): what a Bitrix24 app's handler.php sees of a delivery.
// It records $_POST (PHP's own form parser), the raw body and whether http_build_query($_POST)
// gives the body back byte for byte.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from './fixtures.js';

const HANDLER = `<?php
$raw = file_get_contents('php://input');
$record = ['post' => $_POST, 'raw' => $raw, 'roundTrip' => http_build_query($_POST) === $raw, 'type' => $_SERVER['CONTENT_TYPE'] ?? ''];
file_put_contents(__DIR__ . '/received/' . sprintf('%.6f', microtime(true)) . '-' . getmypid() . '.json', json_encode($record));
header('Content-Type: text/plain');
echo 'ok';
`;

export interface PhpHandler {
  url: string;
  /** What PHP received so far, in arrival order. */
  received(): { post: Json; raw: string; roundTrip: boolean; type: string }[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

async function untilListening(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`php -S exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error('php -S did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts `php -S 127.0.0.1:PORT` serving handler.php; callers check hasPhp() first. */
export async function startPhpHandler(): Promise<PhpHandler> {
  const dir = mkdtempSync(join(tmpdir(), 'b24-events-php-'));
  writeFileSync(join(dir, 'handler.php'), HANDLER);
  const received = join(dir, 'received');
  mkdirSync(received);
  const port = await freePort();
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', dir], { stdio: 'ignore' });
  await untilListening(child, port);
  return {
    url: `http://127.0.0.1:${port}/handler.php`,
    received: () =>
      readdirSync(received)
        .sort()
        .map((name) => JSON.parse(readFileSync(join(received, name), 'utf8')) as ReturnType<PhpHandler['received']>[number]),
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once('close', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

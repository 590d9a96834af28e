// A loopback handler for delivery tests: records every form body POSTed to it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  posts: URLSearchParams[];
  /** the raw bodies, byte for byte, in arrival order */
  bodies: string[];
  close(): Promise<void>;
}

export async function receiver(): Promise<Receiver> {
  const posts: URLSearchParams[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      posts.push(new URLSearchParams(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posts,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `condition` holds (deliveries are sent after the triggering request). */
export async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for delivery');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

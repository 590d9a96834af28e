import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got: path and form fields, in order. */
export interface Received {
  path: string;
  fields: [string, string][];
}

/** A local handler for the demo: records every form POST it is sent and answers 200. */
export interface Receiver {
  url: string;
  /** resolves with the next delivery (or the one already waiting) */
  next(timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const waiting: Received[] = [];
  const listeners: ((received: Received) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const received = { path: req.url ?? '/', fields: [...new URLSearchParams(body)] };
      const listener = listeners.shift();
      if (listener) listener(received);
      else waiting.push(received);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    next(timeoutMs = 5000) {
      const ready = waiting.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the local handler received nothing')), timeoutMs).unref();
        listeners.push((received) => {
          clearTimeout(timer);
          resolve(received);
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

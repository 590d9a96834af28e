// A hostile HTTP proxy on loopback in front of the sandbox: it forwards everything (so to the CLI it is
// the portal and its OAuth server), except the requests a test arms a misbehaviour for.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  /** path and query */
  path: string;
  body: string;
}

export interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the proxy does with one request: answer itself, or call `forward()` and do something with that. */
export type Behaviour = (ctx: { req: Seen; res: ServerResponse; forward: () => Promise<Upstream> }) => Promise<void> | void;

interface Armed {
  match: (req: Seen) => boolean;
  behaviour: Behaviour;
  remaining: number;
}

export interface HostileProxy {
  readonly url: string;
  /** every request that reached the proxy, in order */
  readonly seen: Seen[];
  /** the next `times` requests matching `match` get `behaviour` */
  arm(match: (req: Seen) => boolean, behaviour: Behaviour, times?: number): void;
  close(): Promise<void>;
}

/** Requests for a REST method (`event.bind`) or for the token endpoint (`oauth`). */
export const isMethod = (method: string) => (req: Seen) => req.path.startsWith(`/rest/${method}.json`);
export const isTokenRequest = (req: Seen) => req.path.startsWith('/oauth/token/');

/**
 * Starts a proxy for `target` (the sandbox's origin). Token replies are rewritten to name the proxy
 * as the portal (client_endpoint and domain), as a reverse proxy in front of a portal would.
 */
export async function startProxy(target: string): Promise<HostileProxy> {
  const seen: Seen[] = [];
  const armed: Armed[] = [];
  let self = '';
  const server = createServer((incoming, res) => {
    void readBody(incoming).then(async (body) => {
      const req: Seen = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', body: body.toString('utf8') };
      seen.push(req);
      const forward = async () => ownTokenReplies(await forwardTo(target, incoming, body), self);
      const index = armed.findIndex((entry) => entry.match(req));
      const entry = armed[index];
      if (entry && --entry.remaining === 0) armed.splice(index, 1);
      try {
        await (entry?.behaviour ?? relay)({ req, res, forward });
      } catch {
        res.socket?.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    seen,
    arm: (match, behaviour, times = 1) => armed.push({ match, behaviour, remaining: times }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The default: pass the request on and the reply back. */
export const relay: Behaviour = async ({ res, forward }) => send(res, await forward());

export function send(res: ServerResponse, upstream: Upstream): void {
  const { 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, ...headers } = upstream.headers;
  res.writeHead(upstream.status, { ...headers, 'content-length': upstream.body.length }).end(upstream.body);
}

/** Replies with JSON the test chose (status 200 unless given). */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': text.length }).end(text);
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function forwardTo(target: string, incoming: IncomingMessage, body: Buffer): Promise<Upstream> {
  const url = new URL(incoming.url ?? '/', target);
  const { host: _host, connection: _connection, ...headers } = incoming.headers;
  return new Promise((resolve, reject) => {
    const upstream = request(url, { method: incoming.method, headers: { ...headers, 'content-length': body.length } }, (reply) => {
      void readBody(reply).then((data) => resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: data }), reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function ownTokenReplies(upstream: Upstream, self: string): Upstream {
  if (!String(upstream.headers['content-type'] ?? '').includes('json')) return upstream;
  try {
    const json = JSON.parse(upstream.body.toString('utf8')) as Record<string, unknown>;
    if (typeof json.client_endpoint !== 'string') return upstream;
    json.client_endpoint = `${self}/rest/`;
    json.domain = new URL(self).host;
    return { ...upstream, body: Buffer.from(JSON.stringify(json)) };
  } catch {
    return upstream;
  }
}

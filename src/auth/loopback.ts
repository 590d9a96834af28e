import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CliError, ExitCode } from '../errors.js';
import { checkState, redirectFromQuery, type AuthorizationRedirect } from './authorize.js';

/** Where a loopback redirect address points: b24-events can receive the code there itself. */
export interface LoopbackTarget {
  hostname: string;
  port: number;
  path: string;
}

export interface RedirectListener {
  /** Resolves with the first redirect that carries a code and the expected state; never rejects. */
  readonly received: Promise<AuthorizationRedirect>;
  close(): Promise<void>;
}

/** `http://localhost:PORT/…` or `http://127.0.0.1:PORT/…` (an explicit port is required). */
export function loopbackTarget(redirectUri: string | undefined): LoopbackTarget | undefined {
  if (!redirectUri) return undefined;
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return undefined;
  }
  const hostname = url.hostname.toLowerCase();
  if (url.protocol !== 'http:' || !url.port || (hostname !== 'localhost' && hostname !== '127.0.0.1')) return undefined;
  return { hostname, port: Number(url.port), path: url.pathname };
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * Listens on the loopback address of the redirect URI (127.0.0.1; for `localhost` also ::1 when
 * available) for the portal's redirect. A request with a wrong `state` gets an error page and
 * the listener keeps waiting: it is not the authorization this process started.
 */
export async function listenForRedirect(target: LoopbackTarget, expectedState: string): Promise<RedirectListener> {
  let resolve!: (redirect: AuthorizationRedirect) => void;
  const received = new Promise<AuthorizationRedirect>((done) => (resolve = done));
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://loopback');
    if (request.method !== 'GET' || url.pathname.replace(/\/+$/, '') !== target.path.replace(/\/+$/, '')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const redirect = redirectFromQuery(url.searchParams);
      checkState(redirect, expectedState);
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(PAGE('Authorized', 'b24-events received the authorization. You can close this tab.'));
      resolve(redirect);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Not accepted', escapeHtml(message)));
    }
  };
  const servers = [await listen(handler, '127.0.0.1', target.port)];
  if (target.hostname === 'localhost') {
    const v6 = await listen(handler, '::1', target.port).catch(() => undefined);
    if (v6) servers.push(v6);
  }
  return {
    received,
    close: async () => {
      await Promise.all(
        servers.map((server) => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeAllConnections(); // a browser keeps its connection open
          return closed;
        }),
      );
    },
  };
}

function listen(handler: Parameters<typeof createServer>[1] & object, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new CliError(`cannot listen on ${host}:${port} for the redirect (${error.code ?? error.message})`, ExitCode.failure, {
          hint: 'another program uses that port: stop it, or paste the redirected address instead',
          cause: error,
        }),
      );
    });
    server.listen(port, host, () => resolve(server));
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

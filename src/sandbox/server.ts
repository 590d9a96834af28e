// HTTP routing of the sandbox: the portal's REST endpoint and authorization page, the OAuth token
// endpoint (served by the same origin), and the control API.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { handleControl } from './control.js';
import { sendHtml, sendJson } from './http-io.js';
import { handleAuthorize, handleToken } from './oauth.js';
import type { Portal } from './portal.js';
import { handleRest } from './rest.js';
import type { Sandbox } from './types.js';

/** Creates (but does not start) the sandbox's HTTP server, or its HTTPS server given a key and certificate. */
export function createSandboxServer(portal: Portal, sandbox: Sandbox, tls?: { key: string; cert: string }): Server {
  const listener: RequestListener = (req, res) => {
    route(portal, sandbox, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
      else res.destroy();
    });
  };
  return tls ? createTlsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
}

async function route(portal: Portal, sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname;
  if (path === '/rest' || path.startsWith('/rest/')) return handleRest(portal, req, res, url);
  if (/^\/oauth\/token\/?$/.test(path)) return handleToken(portal, req, res, url);
  if (/^\/oauth\/authorize\/?$/.test(path)) return handleAuthorize(portal, res, url);
  const control = /^\/_sandbox\/([a-z-]+)\/?$/.exec(path);
  if (control?.[1]) return handleControl(sandbox, req, res, control[1]);
  if (path === '/') return sendHtml(res, 200, '<!DOCTYPE html><html><body><h1>b24-events sandbox portal</h1></body></html>');
  req.resume();
  sendJson(res, 404, { error: 'NOT_FOUND', error_description: 'Not found' });
}

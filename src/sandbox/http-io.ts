// Request parsing and reply writing shared by the REST, OAuth and control routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import qs from 'qs';
import { isPlainObject } from './php.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

// PHP reads bracket keys (`filter[>ID]=5`, `message_id[]=…`) into nested arrays and lets a repeated
// plain key overwrite the earlier one; the limits are raised so long id lists stay arrays.
const QS_OPTIONS: qs.IParseOptions = { depth: 10, arrayLimit: 100_000, parameterLimit: 1_000_000, duplicates: 'last' };

/** Parses a PHP-style query string or form body into nested values. */
export function parseForm(text: string): Record<string, unknown> {
  return qs.parse(text, QS_OPTIONS);
}

/** Reads the whole body; rejects bodies beyond 16 MiB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Query parameters merged with the body (JSON or form), body winning as in PHP's $_REQUEST.
 * Unparseable JSON counts as no body; multipart bodies are not supported.
 */
export async function readParams(req: IncomingMessage, search: string): Promise<Record<string, unknown>> {
  const query = parseForm(search.replace(/^\?/, ''));
  const text = await readBody(req);
  if (text.trim() === '') return query;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/json')) {
    try {
      const body: unknown = JSON.parse(text);
      return isPlainObject(body) ? { ...query, ...body } : query;
    } catch {
      return query;
    }
  }
  if (type.includes('multipart/')) return query;
  return { ...query, ...parseForm(text) };
}

/** Writes a JSON reply with the CORS header every portal response carries. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
  });
  res.end(text);
}

/** Writes an HTML page (OAuth error pages, proxy-style fault pages). */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

/** Minimal escaping for text placed into the sandbox's HTML pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

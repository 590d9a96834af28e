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
  return (await readRawBody(req)).toString('utf8');
}

async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Query parameters merged with the body (JSON, form or multipart), body winning as in PHP's
 * $_REQUEST. Unparseable JSON counts as no body.
 */
export async function readParams(req: IncomingMessage, search: string): Promise<Record<string, unknown>> {
  const query = parseForm(search.replace(/^\?/, ''));
  const raw = await readRawBody(req);
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.toLowerCase();
  if (type.includes('multipart/form-data')) return { ...query, ...(await parseMultipart(raw, contentType)) };
  const text = raw.toString('utf8');
  if (text.trim() === '') return query;
  if (type.includes('application/json')) {
    try {
      const body: unknown = JSON.parse(text);
      return isPlainObject(body) ? { ...query, ...body } : query;
    } catch {
      return query;
    }
  }
  return { ...query, ...parseForm(text) };
}

/**
 * "All methods also accept … multipart/form-data" (docs settings/how-to-call-rest-api/
 * general-principles.md): what PHP's curl sends for an array body. Part names carry the same
 * bracket keys as a form body (`filter[>ID]`), so they go through the same parser. File parts
 * are left out: no event method takes a file. A malformed body counts as no body.
 */
async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return {};
  }
  const fields = new URLSearchParams();
  for (const [name, value] of form.entries()) if (typeof value === 'string') fields.append(name, value);
  return parseForm(fields.toString());
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

// Reading the public fixtures in test/fixtures/ (each names its source inside) and, where PHP is
// installed, parsing bodies the way a PHP handler does.
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

// Compiled tests live in dist/test/conformance; the fixtures stay in the source tree.
const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);

// Fixture files are arbitrary JSON documents; tests assert on concrete values.
export type Json = any;

/** One fixture by its path under test/fixtures/, written out literally so fixtures-read.test.ts sees it. */
export function fixture(path: string): Json {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8'));
}

/** The names of every fixture in a folder (`'deliveries/'`): a table-driven test reads them all. */
export function fixtureFolder(folder: string): string[] {
  return readdirSync(new URL(folder, FIXTURES))
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** The first documented JSON example of a method page (`'methods/….json'`) that `pick` accepts. */
export function documented(path: string, pick: (json: Json) => boolean): Json {
  const page = fixture(path);
  const example = (page.examples as Json[]).find((item) => item.json && pick(item.json));
  assert.ok(example, `no such example in ${page.source.path}`);
  return example.json;
}

/** The captured real delivery (bitrix24/b24phpsdk RemoteEventsFabricTest.php). */
export function capturedDelivery(): { body: string; parsed: Json; key_order_top: string[]; key_order_auth: string[] } {
  return fixture('captured/ONCRMCONTACTADD.b24phpsdk-RemoteEventsFabricTest.json');
}

let phpChecked: boolean | undefined;

/** Whether `php` (php-cli) runs here; .ci/run installs it, so CI always has it. */
export async function hasPhp(): Promise<boolean> {
  phpChecked ??= await new Promise<boolean>((resolve) => {
    const child = spawn('php', ['-r', 'echo 1;'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
  return phpChecked;
}

/**
 * PHP's own reading of a form body, `parse_str()`, as JSON with key order kept, plus whether
 * `http_build_query()` of the result gives the body back byte for byte.
 */
export async function phpParse(body: string): Promise<{ parsed: Json; roundTrip: boolean }> {
  const script = '$b = stream_get_contents(STDIN); parse_str($b, $p); echo json_encode(["parsed" => $p, "roundTrip" => http_build_query($p) === $b]);';
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('php', ['-r', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`php exited ${code}`))));
    child.stdin.end(body);
  });
  return JSON.parse(out) as { parsed: Json; roundTrip: boolean };
}

/** A JSON reply's shape: keys in order, arrays told from objects, the type of every leaf. */
export function jsonShape(value: Json): Json {
  if (value === null) return 'null';
  if (Array.isArray(value)) return { array: value.map(jsonShape) };
  if (typeof value === 'object') return Object.entries(value).map(([key, item]) => [key, jsonShape(item)]);
  return typeof value;
}

/** Keys of a nested object in order, with the shape of each value: what "key for key" compares. */
export function shapeOf(value: Json): Json {
  if (value === null || typeof value !== 'object') return typeof value;
  return Object.entries(value).map(([key, item]) => [key, shapeOf(item)]);
}

import { extname } from 'node:path';
import { UsageError } from '../errors.js';

export type ManifestFormat = 'json' | 'yaml';

/** YAML for .yaml/.yml, JSON otherwise (reading) — `strict` refuses other extensions (writing). */
export function formatOf(file: string, strict = false): ManifestFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json' || !strict) return 'json';
  throw new UsageError(`cannot tell the format of ${file} from its extension`, { hint: 'name the file *.json, *.yaml or *.yml' });
}

/** Parses a manifest's text; syntax errors name the file and the position. */
export async function parseManifestText(text: string, format: ManifestFormat, file: string): Promise<unknown> {
  try {
    if (format === 'json') return JSON.parse(text) as unknown;
    // Loaded only for YAML manifests, so JSON users and start-up never pay for it.
    const { parse } = await import('yaml');
    return parse(text, { prettyErrors: true }) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${file} is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${reason}`, {
      hint: 'fix the syntax; the manifest is read before anything is sent',
    });
  }
}

/** The manifest as text in the given format (stable key order, trailing newline). */
export async function serializeManifest(manifest: unknown, format: ManifestFormat): Promise<string> {
  if (format === 'json') return `${JSON.stringify(manifest, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(manifest);
}

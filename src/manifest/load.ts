import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { fileError } from '../fs-errors.js';
import { formatOf, parseManifestText } from './format.js';
import { describeProblems, validateManifest, type DesiredBinding, type Problem } from './validate.js';

export interface LoadedManifest {
  file: string;
  bindings: DesiredBinding[];
}

/**
 * Reads, validates and resolves a manifest before anything is sent: syntax, schema, `${VAR}`
 * substitution (a missing variable is an error) and duplicate entries. Problems name the file,
 * the entry and the field.
 */
export async function loadManifest(file: string, env: NodeJS.ProcessEnv): Promise<LoadedManifest> {
  const document = await parseManifestText(await readManifestFile(file), formatOf(file), file);
  const { bindings, problems } = validateManifest(document, env);
  if (problems.length) throw manifestError(file, problems);
  return { file, bindings };
}

async function readManifestFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(`manifest ${file} not found`, { hint: 'pass -f FILE; `b24-events export -o b24-events.json` writes one from a portal' });
    }
    throw fileError(error, 'read', 'manifest', file);
  }
}

function manifestError(file: string, problems: Problem[]): UsageError {
  const hint = problems.some((p) => p.missingVariable)
    ? 'set the variables: a ${VAR} never becomes an empty string (write $${VAR} for the literal text)'
    : 'fix the manifest; its JSON Schema is schema/b24-events.schema.json in the b24-events package';
  return new UsageError(`invalid manifest ${file}: ${describeProblems(problems)}`, { hint });
}

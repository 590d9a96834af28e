/** `${NAME}` references; `$${NAME}` stands for the literal text `${NAME}`. */
const REFERENCE = /(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Substitution {
  value: string;
  /** referenced variables that are unset or empty */
  missing: string[];
}

/**
 * Replaces `${NAME}` with the variable's value. An unset or empty variable is reported, never
 * replaced by an empty string: CI systems expand a missing secret to '' and a handler URL with an
 * empty host must not reach the portal.
 */
export function substituteVariables(text: string, env: NodeJS.ProcessEnv): Substitution {
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (whole, escape: string, name: string) => {
    if (escape) return whole.slice(1);
    const found = env[name];
    if (found === undefined || found === '') {
      missing.push(name);
      return whole;
    }
    return found;
  });
  return { value, missing: [...new Set(missing)] };
}

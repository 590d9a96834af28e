/**
 * Keeps secrets out of every line the tool prints. Two layers: keys that always hold secrets are
 * masked structurally, and every secret value the process has seen is scrubbed from free text
 * (error descriptions, URLs, echoed input).
 */
const SECRET_KEY = /^(auth|access_token|refresh_token|client_secret|application_token|code|password|accesstoken|refreshtoken|clientsecret|applicationtoken)$/i;
const MASK = '[redacted]';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Register a secret value so it is scrubbed wherever it appears later. */
  add(...values: (string | undefined | null)[]): void {
    for (const value of values) {
      if (value && value.length >= 6) this.secrets.add(value);
    }
  }

  /** Scrub every registered secret from free text. */
  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out.replace(/(\/rest\/\d+\/)([^/\s?]+)/g, `$1${MASK}`);
  }

  /** Deep copy with secret-named keys masked and secret values scrubbed. */
  value(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item));
    if (input && typeof input === 'object') {
      return Object.fromEntries(Object.entries(input).map(([key, val]) => [key, SECRET_KEY.test(key) && val ? MASK : this.value(val)]));
    }
    return input;
  }
}

/** A secret shown to its owner: enough to recognise it, not enough to use it. */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return '(none)';
  if (secret.length < 12) return '****';
  return `${'*'.repeat(8)}${secret.slice(-4)}`;
}

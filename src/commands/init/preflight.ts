import { checkHandlerUrl, normalizeEventName } from '../../bindings/validate.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { hasTokenFlags } from '../shared/token-flags.js';
import type { InitOptions } from './init.js';
import type { InitSecrets } from './wizard.js';

/** Without a terminal every value must come from flags or B24_* variables; all gaps are named at once. */
export function requireFlags(ctx: Context, opts: InitOptions, secrets: InitSecrets): void {
  const missing: string[] = [];
  if (!opts.portal) missing.push('--portal');
  if (!opts.clientId) missing.push('--client-id');
  if (!secrets.clientSecret) missing.push('--client-secret (or B24_CLIENT_SECRET)');
  if (!hasTokenFlags(opts, secrets)) missing.push('--refresh-token (or B24_REFRESH_TOKEN), --code or --redirect-url');
  if (typeof opts.bind === 'string' && !opts.bindUrl && !opts.bindOffline) missing.push('--bind-url or --bind-offline (for --bind)');
  checkBindFlags(opts);
  if (missing.length === 0) return;
  throw new UsageError(`cannot ask for missing values (${ctx.noPromptReason ?? 'no terminal'}); missing: ${missing.join(', ')}`, {
    hint: 'pass them as flags, or run `b24-events init` in a terminal to be asked',
  });
}

/**
 * The bind flags are checked before anything is saved or spent: a typo found after the profile is
 * written would leave a command that cannot simply be run again.
 */
export function checkBindFlags(opts: InitOptions): void {
  if (opts.bindUrl && opts.bindOffline) throw new UsageError('--bind-url and --bind-offline exclude each other');
  if (typeof opts.bind === 'string')
    opts.bind
      .split(',')
      .filter((e) => e.trim())
      .forEach(normalizeEventName);
  if (opts.bindUrl) checkHandlerUrl(opts.bindUrl.trim());
}

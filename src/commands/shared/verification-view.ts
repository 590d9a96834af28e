import type { PortalStatus } from '../../api/portal.js';
import type { Context } from '../../context.js';

/** What verifying new credentials found (the checks of `status`), on stderr. */
export function reportVerification(ctx: Context, status: PortalStatus): void {
  const yesNo = (value: boolean | null) => (value === null ? 'unknown' : value ? 'yes' : 'no');
  ctx.printer.note(
    `Verified: user ${status.user.name ?? status.user.id ?? 'unknown'}, administrator: ${yesNo(status.user.admin)}, scopes: ${status.scopes?.join(', ') ?? 'unknown'}`,
  );
  ctx.printer.note(
    `Offline drain (rest_offline_extended): ${yesNo(status.features.rest_offline_extended)}, connectors (rest_auth_connector): ${yesNo(status.features.rest_auth_connector)}, handlers bound: ${status.handlers ?? 'unknown'}`,
  );
  if (status.user.admin === false) ctx.printer.warn('not an administrator: offline-queue commands and offline binds will be refused');
  if (status.features.rest_offline_extended === false) ctx.printer.warn('the plan lacks rest_offline_extended: safe offline draining (clear=0) is unavailable');
}

import { Command } from 'commander';
import type { PortalStatus } from '../../api/portal.js';
import type { Context } from '../../context.js';
import type { CredentialSource } from '../../config/credentials.js';
import { attach, examples } from '../shared/options.js';

export type StatusOptions = Record<string, never>;

/** `status`: proves the credentials work (exit 0) and shows what this portal and user allow. */
export async function runStatus(_opts: StatusOptions, ctx: Context): Promise<void> {
  // credentials first: without any, this fails before the HTTP stack and the config schema load
  const client = await ctx.client();
  const [{ fetchPortalStatus }, { assertEventMethodsAllowed }] = await Promise.all([import('../../api/portal.js'), import('../shared/profile-setup.js')]);
  const status = await fetchPortalStatus(client);
  assertEventMethodsAllowed(status);
  const view = statusView(await freshSource(ctx), status);
  if (ctx.globals.json) return ctx.printer.printJson(view);
  printHuman(ctx, view, status);
}

/** The source as it is now: the first call may have rotated the tokens. */
async function freshSource(ctx: Context): Promise<CredentialSource> {
  const { continuedChain } = await import('../../config/credentials.js');
  const source = await ctx.credentialSource();
  const config = (await ctx.store()).read();
  if (source.kind === 'env') {
    const rotated = continuedChain(config.envSessions[source.key], ctx.env.B24_REFRESH_TOKEN);
    return rotated ? { ...source, profile: { ...source.profile, ...rotated } } : source;
  }
  const profile = config.profiles[source.name];
  return profile ? { ...source, profile } : source;
}

function statusView(source: CredentialSource, status: PortalStatus) {
  const { profile } = source;
  return {
    portal: profile.portal,
    credentials: source.kind === 'profile' ? { source: 'profile', profile: source.name } : { source: 'environment' },
    client_id: profile.clientId,
    member_id: profile.memberId ?? null,
    application: status.application,
    user: status.user,
    scopes: status.scopes ?? (profile.scope ? profile.scope.split(',') : null),
    features: status.features,
    handlers: status.handlers,
    access_token_expires: profile.accessTokenExpires ? new Date(profile.accessTokenExpires * 1000).toISOString() : null,
  };
}

function printHuman(ctx: Context, view: ReturnType<typeof statusView>, status: PortalStatus): void {
  const p = ctx.printer.palette;
  const yesNo = (value: boolean | null) => (value === null ? p.muted('unknown') : value ? p.success('yes') : p.warn('no'));
  const lines: [string, string][] = [
    ['Portal', view.portal],
    ['Credentials', view.credentials.source === 'profile' ? `profile ${view.credentials.profile}` : 'environment (B24_*)'],
    ['Application', `${view.client_id}${typeof status.application?.STATUS === 'string' ? ` (status ${status.application.STATUS})` : ''}`],
    ['User', `${view.user.name ?? 'unknown'}${view.user.id !== null ? ` (id ${view.user.id})` : ''}`],
    ['Administrator', yesNo(view.user.admin)],
    ['Scopes', view.scopes?.join(', ') || p.muted('unknown')],
    ['Offline drain (rest_offline_extended)', yesNo(view.features.rest_offline_extended)],
    ['Connectors (rest_auth_connector)', yesNo(view.features.rest_auth_connector)],
    ['Handlers bound', view.handlers === null ? p.muted('unknown') : String(view.handlers)],
    ['Access token expires', view.access_token_expires ?? p.muted('unknown')],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  ctx.printer.line(lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n'));
  if (view.user.admin === false) ctx.printer.warn('not an administrator: offline-queue commands and offline binds will be refused (ACCESS_DENIED)');
  if (view.features.rest_offline_extended === false) ctx.printer.warn('the plan lacks rest_offline_extended: safe offline draining (clear=0) is unavailable');
}

export function statusCommand(ctx: Context, run = runStatus): Command {
  return new Command('status')
    .description('Check that the credentials work and show portal, application, user, scopes and features')
    .addHelpText('after', examples('b24-events status', 'b24-events status --profile staging --json', 'b24-events status >/dev/null && echo credentials OK'))
    .action(async () => run({}, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, statusCommand(ctx));
}

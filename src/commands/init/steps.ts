import { normalizePortalUrl } from '../../config/portal-url.js';
import { checkProfileName } from '../shared/profile-setup.js';
import { PROFILE_NAME } from '../../config/schema.js';
import { CliError, UsageError } from '../../errors.js';
import { obtainTokens } from '../shared/obtain-tokens.js';
import { DEFAULT_HANDLER_PATH } from '../shared/token-flags.js';
import { offerSandboxApp } from './sandbox-app.js';
import { goBack, type StepName, type Wizard } from './wizard.js';

/** A prompt validator from a function that throws the CLI's own errors. */
export function validator(check: (value: string) => unknown): (value: string) => true | string {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
    }
  };
}

/** Step 1: the portal address (an incoming-webhook URL is explained and refused). */
export async function portalStep(w: Wizard): Promise<StepName> {
  if (w.state.portal === undefined) {
    const prompter = await w.ctx.prompter();
    const answer = await prompter.input({
      message: 'Portal address (e.g. https://example.bitrix24.com):',
      ...(w.previous.portal ? { default: w.previous.portal } : {}),
      validate: validator((value) => normalizePortalUrl(value)),
    });
    w.state.portal = normalizePortalUrl(answer);
  }
  return 'oauth';
}

const LOCAL_APP_HELP = `
b24-events works through a local application of the portal (event methods refuse incoming webhooks).
As a portal administrator:
  1. open Applications → Developer resources → Other → Local application;
  2. tick "Application uses API only" ("Script only");
  3. choose the scopes of the events you want: crm for ONCRMDEALADD…, task for ONTASKADD…, user for
     ONUSERADD… (global events such as ONAPPINSTALL and ONOFFLINEEVENT need no scope);
  4. Handler path: ${DEFAULT_HANDLER_PATH} lets b24-events receive the authorization by itself
     (if the portal refuses it, use any address and paste the one your browser lands on);
  5. save: the portal shows the client id (local.…) and the client secret.
`;

/** Step 2: how to create the local application, then its client id and (masked) secret. */
export async function appStep(w: Wizard): Promise<StepName> {
  if (w.state.clientId !== undefined && w.state.clientSecret !== undefined) return 'tokens';
  if (await offerSandboxApp(w)) return 'tokens';
  const prompter = await w.ctx.prompter();
  w.ctx.printer.note(LOCAL_APP_HELP);
  if (w.state.clientId === undefined) {
    w.state.clientId = (
      await prompter.input({
        message: 'Client id (local.…):',
        ...(w.previous.clientId ? { default: w.previous.clientId } : {}),
        validate: (value) => (/^\S+$/.test(value.trim()) ? true : 'paste the client id shown when the application was saved'),
      })
    ).trim();
  }
  if (w.state.clientSecret === undefined) {
    const secret = (await prompter.password({ message: 'Client secret:', validate: (value) => (value.trim() ? true : 'paste the client secret') })).trim();
    w.ctx.redactor.add(secret);
    w.state.clientSecret = secret;
  }
  return 'tokens';
}

/** Step 3: tokens, by browser authorization or pasted from the installation event. */
export async function tokenStep(w: Wizard): Promise<StepName> {
  const { portal, clientId, clientSecret, oauthServer } = w.state;
  if (!portal || !clientId || !clientSecret || !oauthServer) return 'portal';
  const app = { portal, clientId, clientSecret, oauthServer };
  const tokens = await obtainTokens(w.ctx, { app, flags: w.tokenFlags, secrets: w.secrets, allowBack: w.interactive });
  if (tokens === 'back') return goBack(w, 'app');
  w.state.tokens = tokens;
  return 'name';
}

/** A profile name from the portal address: `example` for example.bitrix24.com. */
export function suggestedName(portal: string): string {
  const host = new URL(portal).hostname;
  const label = host.split('.')[0] ?? '';
  return /^\d+$/.test(label) || !PROFILE_NAME.test(label) ? 'local' : label.toLowerCase();
}

/** Step 5a: the profile name (asked unless --name gives it; replacing needs a yes) and the default. */
export async function nameStep(w: Wizard): Promise<StepName> {
  const { ctx, opts, state } = w;
  const given = opts.name ?? ctx.globals.profile;
  const fallback = given ?? suggestedName(state.portal ?? '');
  if (!w.interactive) {
    state.name = fallback;
    state.replace = opts.force;
    state.makeDefault = opts.default ?? false;
    if (!given) ctx.printer.note(`Saving as profile "${fallback}" (choose another name with --name)`);
    return 'save';
  }
  if (state.name === undefined) await chooseName(w, given, fallback);
  await chooseDefault(w);
  return 'save';
}

async function chooseName(w: Wizard, given: string | undefined, fallback: string): Promise<void> {
  const store = await w.ctx.store();
  const prompter = await w.ctx.prompter();
  let candidate = given;
  for (;;) {
    const name = candidate ?? (await prompter.input({ message: 'Profile name:', default: fallback, validate: validator(checkProfileName) })).trim();
    candidate = undefined;
    checkProfileName(name);
    const existing = store.getProfile(name);
    if (existing && !w.opts.force && !(await prompter.confirm({ message: `Profile "${name}" exists (${existing.portal}). Replace it?`, default: false })))
      continue;
    w.state.name = name;
    w.state.replace = Boolean(existing);
    return;
  }
}

async function chooseDefault(w: Wizard): Promise<void> {
  const { ctx, opts, state } = w;
  const config = (await ctx.store()).read();
  const current = config.defaultProfile && config.profiles[config.defaultProfile] ? config.defaultProfile : undefined;
  if (opts.default !== undefined) state.makeDefault = opts.default;
  else if (current && current !== state.name) {
    const prompter = await ctx.prompter();
    state.makeDefault = await prompter.confirm({ message: `Make "${state.name}" the default profile (now "${current}")?`, default: false });
  }
}

/** Non-interactive runs check the name before anything is spent. */
export async function checkNameUpFront(w: Wizard): Promise<void> {
  const name = w.opts.name ?? w.ctx.globals.profile ?? suggestedName(w.state.portal ?? '');
  checkProfileName(name);
  if (!w.opts.force && (await w.ctx.store()).getProfile(name)) {
    throw new UsageError(`profile "${name}" already exists`, { hint: 'pass --force to replace it, or re-authorize it with `b24-events login`' });
  }
}

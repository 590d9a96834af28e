import { createSandboxApp, isSandboxPortal } from '../../api/sandbox-control.js';
import { transportFor } from '../../config/session-factory.js';
import { DEFAULT_HANDLER_PATH } from '../shared/token-flags.js';
import type { Wizard } from './wizard.js';

/** The demo application's scopes (`b24-events sandbox` installs the same). */
const SCOPES = ['crm', 'task', 'user', 'calendar'];

/**
 * On a terminal, when the portal is a b24-events sandbox and no client id was given: offer to
 * register the local application through the sandbox's control API instead of the portal's forms.
 * Its Handler path is where init's loopback listener waits, so the browser step needs no pasting.
 * Asked once per run; true when the application was created (client id and secret are set).
 */
export async function offerSandboxApp(w: Wizard): Promise<boolean> {
  const { ctx, state } = w;
  if (!w.interactive || w.sandboxOffered || w.opts.clientId || !state.portal) return false;
  w.sandboxOffered = true;
  const transport = { ...transportFor(ctx), signal: ctx.signal };
  if (!(await isSandboxPortal(state.portal, transport))) return false;
  const prompter = await ctx.prompter();
  const create = await prompter.confirm({
    message: `This portal is a b24-events sandbox. Create a local application on it now (scopes ${SCOPES.join(', ')})?`,
    default: true,
  });
  if (!create) return false;
  const redirectUri = w.tokenFlags.handlerPath ?? DEFAULT_HANDLER_PATH;
  try {
    const app = await createSandboxApp(state.portal, { scopes: SCOPES, redirectUri }, transport);
    ctx.redactor.add(app.clientSecret, app.applicationToken);
    state.clientId = app.clientId;
    state.clientSecret = app.clientSecret;
    w.secrets = { ...w.secrets, applicationToken: w.secrets.applicationToken ?? app.applicationToken };
    w.tokenFlags = { ...w.tokenFlags, handlerPath: redirectUri };
    ctx.printer.success(`Created local application ${app.clientId} on the sandbox (Handler path ${redirectUri})`);
    return true;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    ctx.printer.warn(`${error instanceof Error ? error.message : String(error)}; enter the application's client id and secret instead`);
    return false;
  }
}

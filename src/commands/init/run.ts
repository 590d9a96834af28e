import type { Context } from '../../context.js';
import { normalizePortalUrl } from '../../config/portal-url.js';
import { toCliError } from '../../error-report.js';
import { ExitCode, InterruptedError } from '../../errors.js';
import { profileView } from '../shared/profile-view.js';
import { resolveSecrets } from '../shared/secrets.js';
import { bindFailure, bindStep } from './bind-step.js';
import type { InitOptions } from './init.js';
import { checkBindFlags, requireFlags } from './preflight.js';
import { oauthStep } from './oauth-step.js';
import { saveStep } from './save-step.js';
import { appStep, checkNameUpFront, nameStep, portalStep, tokenStep } from './steps.js';
import { runSteps, type Wizard } from './wizard.js';

/**
 * `init`: the setup wizard. Flags first: it asks only for what flags and B24_* variables leave open,
 * and without a terminal it asks nothing (missing values are a usage error naming the flags).
 * Nothing is written before the save step, so Ctrl-C earlier leaves the config untouched.
 */
export async function runInitWizard(opts: InitOptions, ctx: Context): Promise<void> {
  const secrets = await resolveSecrets(ctx, opts);
  const wizard: Wizard = {
    ctx,
    opts,
    secrets,
    interactive: ctx.canPrompt,
    state: {
      portal: opts.portal ? normalizePortalUrl(opts.portal) : undefined,
      oauthServer: opts.oauthServer ? normalizePortalUrl(opts.oauthServer, 'OAuth server URL') : undefined,
      clientId: opts.clientId,
      clientSecret: secrets.clientSecret,
      makeDefault: opts.default ?? false,
      replace: opts.force,
    },
    previous: {},
    tokenFlags: opts,
  };
  checkBindFlags(opts);
  if (!wizard.interactive) {
    requireFlags(ctx, opts, secrets);
    await checkNameUpFront(wizard);
  } else ctx.printer.note('Setting up b24-events for a Bitrix24 portal. Ctrl-C cancels at any point; nothing is saved before the last step.\n');
  try {
    await runSteps(wizard, { portal: portalStep, oauth: oauthStep, app: appStep, tokens: tokenStep, name: nameStep, save: saveStep });
  } catch (error) {
    throw cancelled(wizard, error);
  }
  await finish(wizard);
}

/** Ctrl-C: at a prompt (InterruptedError) or during a request (the aborted signal). */
function isInterrupted(w: Wizard, error: unknown): boolean {
  return w.ctx.signal.aborted || toCliError(error).exitCode === ExitCode.interrupted;
}

/** Ctrl-C before saving: say honestly what happened to any tokens already obtained. */
function cancelled(w: Wizard, error: unknown): unknown {
  if (!isInterrupted(w, error) || w.state.saved) return error;
  if (w.state.savedEarly) return new InterruptedError(`cancelled; profile ${w.state.name ?? ''} was saved: verification had already rotated its refresh token`);
  if (w.state.tokens?.via === 'code') {
    return new InterruptedError('cancelled; nothing was saved (the tokens from the authorization you approved are discarded; no saved profile was touched)');
  }
  return new InterruptedError('cancelled; nothing was saved');
}

async function finish(w: Wizard): Promise<void> {
  const { ctx, state } = w;
  const name = state.name ?? '';
  ctx.globals = { ...ctx.globals, profile: name };
  let rows: Awaited<ReturnType<typeof bindStep>>;
  try {
    rows = await bindStep(w);
  } catch (error) {
    if (isInterrupted(w, error)) throw new InterruptedError(`cancelled; profile ${name} is saved, no events were bound`);
    throw error;
  }
  if (ctx.globals.json) {
    const profile = (await ctx.store()).getProfile(name);
    ctx.printer.printJson({
      profile: profile ? profileView(name, profile, state.saved?.isDefault ?? false) : null,
      status: state.saved?.status ?? null,
      bound: rows,
    });
  } else if (rows.length === 0) {
    const flag = state.saved?.isDefault ? '' : ` --profile ${name}`;
    ctx.printer.note(`\nDone. Try \`b24-events status${flag}\` or \`b24-events handlers${flag}\`.`);
  }
  const failure = bindFailure(rows);
  if (failure) throw failure;
}

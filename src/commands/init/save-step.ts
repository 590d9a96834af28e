import { verifyAndSaveProfile } from '../shared/profile-setup.js';
import { DEFAULT_OAUTH_SERVER, type Profile } from '../../config/schema.js';
import { toCliError } from '../../error-report.js';
import { ExitCode } from '../../errors.js';
import { reportVerification } from '../shared/verification-view.js';
import { goBack, type StepName, type Wizard } from './wizard.js';

/** The profile the answers describe. */
export function profileOf(w: Wizard): Profile {
  const { state } = w;
  return {
    portal: state.portal ?? '',
    oauthServer: state.oauthServer ?? DEFAULT_OAUTH_SERVER,
    clientId: state.clientId ?? '',
    clientSecret: state.clientSecret ?? '',
    ...state.tokens?.fields,
    ...(state.tokens?.handlerPath ? { handlerPath: state.tokens.handlerPath } : {}),
  };
}

/**
 * Step 4 + 5b: verifies with the checks of `status`, shows the result and saves. Verifying with a
 * pasted refresh token spends it, so the successor is saved at once (that is why the name is asked
 * first). When verification fails on a terminal, the user may go back and fix the cause.
 */
export async function saveStep(w: Wizard): Promise<StepName> {
  const { ctx, state } = w;
  const name = state.name ?? '';
  const store = await ctx.store();
  const before = store.getProfile(name);
  ctx.printer.note(`Verifying the credentials with ${state.portal}…`);
  try {
    state.saved = await verifyAndSaveProfile(ctx, { name, profile: profileOf(w), verify: true, makeDefault: state.makeDefault, replace: state.replace });
  } catch (error) {
    const failure = toCliError(error);
    const after = store.getProfile(name);
    if (after && JSON.stringify(after) !== JSON.stringify(before)) {
      // The pasted refresh token is spent; losing its successor would break the chain for good.
      state.savedEarly = true;
      state.replace = true;
      ctx.printer.note(`Profile "${name}" was saved anyway: verification had already rotated its single-use refresh token.`);
    }
    if (!w.interactive || failure.exitCode === ExitCode.interrupted) throw error;
    // No hint here: they name flags and commands, and the wizard itself offers what to change next.
    ctx.printer.warn(ctx.redactor.text(failure.message));
    return recover(w, error);
  }
  // The token reply may have named another address for the portal (client_endpoint): report what was saved.
  const saved = store.getProfile(name)?.portal ?? state.portal;
  ctx.printer.success(`Saved profile ${name} for ${saved}${state.saved.isDefault ? ' (default)' : ''}`);
  if (state.saved.status) reportVerification(ctx, state.saved.status);
  return 'done';
}

async function recover(w: Wizard, error: unknown): Promise<StepName> {
  const prompter = await w.ctx.prompter();
  const choice = await prompter.select({
    message: 'Verification failed. What now?',
    choices: [
      { name: 'Get tokens again', value: 'tokens' as const },
      { name: 'Change the client id and secret', value: 'app' as const },
      { name: 'Change the portal address', value: 'portal' as const },
      { name: 'Stop', value: 'stop' as const },
    ],
  });
  if (choice === 'stop') throw error;
  return goBack(w, choice);
}

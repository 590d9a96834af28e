import type { Context } from '../../context.js';
import type { PortalStatus } from '../../api/portal.js';
import type { ObtainedTokens } from '../shared/obtain-tokens.js';
import type { TokenFlags } from '../shared/token-flags.js';
import type { InitOptions } from './init.js';

/** Secrets of `init`, from flags, B24_* variables or stdin. */
export interface InitSecrets {
  clientSecret?: string | undefined;
  refreshToken?: string | undefined;
  accessToken?: string | undefined;
  applicationToken?: string | undefined;
}

/** The wizard's answers so far; a step asks only for what is still undefined. */
export interface InitState {
  portal?: string | undefined;
  /** from --oauth-server, or settled by the oauth step (inferred from the portal, or asked) */
  oauthServer?: string | undefined;
  /** the OAuth server answered the probe (terminal runs check it before the browser step) */
  oauthChecked?: boolean | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tokens?: ObtainedTokens | undefined;
  name?: string | undefined;
  makeDefault: boolean;
  replace: boolean;
  saved?: { isDefault: boolean; status: PortalStatus | undefined } | undefined;
  /** verification rotated a pasted refresh token, so the profile was written before the save step ended */
  savedEarly?: boolean | undefined;
}

export type StepName = 'portal' | 'oauth' | 'app' | 'tokens' | 'name' | 'save' | 'done';

/** Everything a step sees. `previous` keeps answers cleared by going back, as prompt defaults. */
export interface Wizard {
  ctx: Context;
  opts: InitOptions;
  secrets: InitSecrets;
  interactive: boolean;
  state: InitState;
  previous: { portal?: string | undefined; clientId?: string | undefined };
  /** token flags apply to the first attempt only: "authorize again" must ask */
  tokenFlags: TokenFlags;
  /** creating the application on a sandbox portal was offered already (once per run) */
  sandboxOffered?: boolean | undefined;
}

/** Runs steps from `first` until one answers 'done'; a step returns the step to go to next. */
export async function runSteps(wizard: Wizard, steps: Record<Exclude<StepName, 'done'>, (w: Wizard) => Promise<StepName>>): Promise<void> {
  let step: StepName = 'portal';
  while (step !== 'done') step = await steps[step](wizard);
}

/** Goes back to `step`, clearing its answers (kept as defaults) and everything after it. */
export function goBack(wizard: Wizard, step: 'portal' | 'app' | 'tokens'): StepName {
  const { state, previous } = wizard;
  if (step === 'portal') {
    previous.portal = state.portal ?? previous.portal;
    state.portal = undefined;
    // the OAuth server was inferred from (or asked for) that portal; a flag's value stays
    if (!wizard.opts.oauthServer) state.oauthServer = undefined;
    state.oauthChecked = false;
  }
  if (step === 'portal' || step === 'app') {
    previous.clientId = state.clientId ?? previous.clientId;
    state.clientId = undefined;
    state.clientSecret = undefined;
  }
  state.tokens = undefined;
  wizard.tokenFlags = { browser: wizard.tokenFlags.browser, handlerPath: wizard.tokenFlags.handlerPath };
  wizard.secrets = { applicationToken: wizard.secrets.applicationToken };
  return step;
}

import type { TokenReply } from '../../api/oauth.js';
import type { Context } from '../../context.js';
import { CliError } from '../../errors.js';
import {
  authorizeUrl,
  checkState,
  exchangeAuthorizationCode,
  newState,
  parseRedirect,
  type AppCredentials,
  type AuthorizationRedirect,
} from '../../auth/authorize.js';
import { openBrowser } from '../../auth/browser.js';
import { listenForRedirect, loopbackTarget, type RedirectListener } from '../../auth/loopback.js';

export interface BrowserFlowRequest {
  app: AppCredentials;
  /** the application's redirect address (its handler path), when known */
  redirectUri: string | undefined;
  /** false with --no-browser: only print the address */
  openBrowser: boolean;
}

export interface BrowserFlowResult {
  reply: TokenReply;
  redirect: AuthorizationRedirect;
}

/**
 * The authorization-code flow, interactively: prints (and opens) the authorize address, takes the
 * code from the loopback listener or from the redirected address the user pastes, whichever comes
 * first, checks `state`, and exchanges the code at once (it lives 30 seconds).
 */
export async function authorizeInBrowser(ctx: Context, request: BrowserFlowRequest): Promise<BrowserFlowResult> {
  const state = newState();
  const url = authorizeUrl(request.app.portal, request.app.clientId, state);
  const listener = await tryListen(ctx, request.redirectUri, state);
  try {
    const opened = request.openBrowser && openBrowser(url, ctx.env);
    ctx.printer.note(`\nOpen this address in a browser signed in to ${request.app.portal} (as an administrator):\n\n  ${url}\n`);
    if (opened) ctx.printer.note('(opening it in your browser)');
    if (listener) ctx.printer.note(`b24-events is listening on ${request.redirectUri} for the portal's redirect.`);
    const redirect = await waitForRedirect(ctx, listener, state);
    const reply = await exchangeAuthorizationCode(ctx, request.app, redirect.code);
    return { reply, redirect };
  } finally {
    await listener?.close();
  }
}

async function tryListen(ctx: Context, redirectUri: string | undefined, state: string): Promise<RedirectListener | undefined> {
  const target = loopbackTarget(redirectUri);
  if (!target) return undefined;
  try {
    return await listenForRedirect(target, state);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    ctx.printer.warn(`${error.message}; paste the redirected address instead`);
    return undefined;
  }
}

const RECEIVED = new Error('the redirect arrived on the loopback listener');

/** Loopback redirect or pasted address, whichever comes first; the other one is stopped. */
async function waitForRedirect(ctx: Context, listener: RedirectListener | undefined, state: string): Promise<AuthorizationRedirect> {
  const prompter = await ctx.prompter();
  const paste = async (signal?: AbortSignal) => {
    const text = await prompter.input({
      message: listener ? 'Or paste the address the browser was sent to:' : 'Paste the address the browser was sent to:',
      validate: (value) => acceptable(value, state),
      ...(signal ? { signal } : {}),
    });
    return parseRedirect(text);
  };
  if (!listener) return paste();
  const stop = new AbortController();
  const viaListener = listener.received.then((redirect) => {
    stop.abort(RECEIVED);
    // The stopped paste prompt leaves its line unfinished: clear it, so the news stands on a line of its own.
    ctx.io.stderr.write(ctx.io.stderrIsTTY ? '\r\x1b[K' : '\n');
    ctx.printer.success('Authorization received');
    return redirect;
  });
  try {
    return await Promise.race([viaListener, paste(stop.signal)]);
  } catch (error) {
    if (error === RECEIVED) return viaListener;
    throw error;
  }
}

/** Prompt validation: the pasted address must carry a code and this run's state. */
function acceptable(text: string, state: string): true | string {
  try {
    checkState(parseRedirect(text), state);
    return true;
  } catch (error) {
    return error instanceof CliError && error.hint ? `${error.message} — ${error.hint}` : String((error as Error).message);
  }
}

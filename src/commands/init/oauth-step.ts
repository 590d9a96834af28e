import { isLoopbackUrl } from '../../api/hosts.js';
import { probeTokenEndpoint } from '../../api/oauth.js';
import { TransportError } from '../../api/errors.js';
import { normalizePortalUrl } from '../../config/portal-url.js';
import { transportFor } from '../../config/session-factory.js';
import { DEFAULT_OAUTH_SERVER } from '../../config/schema.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { validator } from './steps.js';
import type { StepName, Wizard } from './wizard.js';

/** Cloud portals (x.bitrix24.com, x.bitrix24.de, x.bitrix24.com.br…) always use the cloud OAuth server. */
const CLOUD_PORTAL = /\.bitrix24\.[a-z]{2,3}(\.[a-z]{2})?$/i;

const ASK_SERVER = "OAuth server (the cloud portals' default, or your on-premise portal's own address):";

const WHERE_HINT = `cloud portals use ${DEFAULT_OAUTH_SERVER}; the sandbox and on-premise portals answer /oauth/token/ themselves (the portal's own address)`;

/**
 * Step 1b: the OAuth server the code is exchanged at, settled before the browser step (a code lives
 * 30 seconds, so finding out afterwards loses the authorization). A loopback portal (the sandbox,
 * a local test portal) is its own OAuth server; a cloud portal uses the cloud's; for any other
 * address a terminal asks, with the cloud's as the default. On a terminal it is checked at once.
 */
export async function oauthStep(w: Wizard): Promise<StepName> {
  const { state } = w;
  state.oauthServer ??= await chooseServer(w, state.portal ?? '');
  while (w.interactive && !state.oauthChecked) {
    const problem = await checkServer(w, state.oauthServer);
    if (!problem) state.oauthChecked = true;
    else {
      if (w.opts.oauthServer) throw problem; // the flag's value: flags are never asked again
      w.ctx.printer.warn(`${problem.message} — ${problem.hint ?? ''}`);
      state.oauthServer = await askServer(w, state.oauthServer === DEFAULT_OAUTH_SERVER ? (state.portal ?? DEFAULT_OAUTH_SERVER) : DEFAULT_OAUTH_SERVER);
    }
  }
  return 'app';
}

// A wizard asks (the portal itself as the answer to keep); only a run driven by flags is told the flag.
async function chooseServer(w: Wizard, portal: string): Promise<string> {
  if (isLoopbackUrl(portal)) {
    if (w.interactive) return askServer(w, portal, 'OAuth server (a local portal serves /oauth/token/ itself):');
    w.ctx.printer.note(`OAuth server: ${portal} (the portal itself: a local portal serves /oauth/token/; --oauth-server changes it)`);
    return portal;
  }
  if (CLOUD_PORTAL.test(new URL(portal).hostname) || !w.interactive) return DEFAULT_OAUTH_SERVER;
  return askServer(w, DEFAULT_OAUTH_SERVER);
}

async function askServer(w: Wizard, suggestion: string, message = ASK_SERVER): Promise<string> {
  const prompter = await w.ctx.prompter();
  const answer = await prompter.input({
    message,
    default: suggestion,
    validate: validator((value) => normalizePortalUrl(value, 'OAuth server URL')),
  });
  w.state.oauthChecked = false;
  return normalizePortalUrl(answer, 'OAuth server URL');
}

/** A cheap request the OAuth server answers with an OAuth error; for the cloud's own, any reply will do. */
async function checkServer(w: Wizard, server: string): Promise<CliError | undefined> {
  const { ctx } = w;
  try {
    const probe = await probeTokenEndpoint(server, { ...transportFor(ctx), signal: ctx.signal });
    if (probe.oauth || server === DEFAULT_OAUTH_SERVER) return undefined;
    return new UsageError(`${server} is not an OAuth server: /oauth/token/ answered HTTP ${probe.status} without an OAuth error reply`, { hint: WHERE_HINT });
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof TransportError)) throw error;
    return new CliError(`the OAuth server ${server} does not answer (${error.message})`, ExitCode.failure, {
      hint: `check the address and the network; ${WHERE_HINT}`,
    });
  }
}

import type { TokenReply } from '../../api/oauth.js';
import { authorizeInBrowser } from './browser-flow.js';
import { domainWarning, exchangeAuthorizationCode, parseRedirect, type AppCredentials, type AuthorizationRedirect } from '../../auth/authorize.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import type { Profile } from '../../config/schema.js';
import { profileTokens } from '../../config/token-stores.js';
import { DEFAULT_HANDLER_PATH, type TokenFlags, type TokenSecrets } from './token-flags.js';

/** The token fields a profile gets, and how they were obtained. */
export interface ObtainedTokens {
  fields: Partial<Profile>;
  /** 'code': a code was exchanged (a new chain, nothing of an existing one spent); 'token': pasted */
  via: 'code' | 'token';
  handlerPath?: string | undefined;
}

export interface TokenRequest {
  app: AppCredentials;
  flags: TokenFlags;
  secrets: TokenSecrets;
  /** offer "← Back" in the method choice */
  allowBack: boolean;
  /** the profile's remembered Handler path, as the prompt's default */
  knownHandlerPath?: string | undefined;
}

/**
 * Gets tokens from the flags, or (on a terminal) by asking: browser authorization or pasted tokens.
 * Returns 'back' when the user chose to go back a step.
 */
export async function obtainTokens(ctx: Context, request: TokenRequest): Promise<ObtainedTokens | 'back'> {
  const { app, flags, secrets } = request;
  const given = [
    flags.code && '--code',
    flags.redirectUrl && '--redirect-url',
    (secrets.refreshToken || secrets.accessToken) && '--refresh-token/--access-token',
  ];
  if (given.filter(Boolean).length > 1) throw new UsageError(`pass only one token source, not ${given.filter(Boolean).join(' and ')}`);
  if (flags.code) return fromReply(ctx, request, await exchangeAuthorizationCode(ctx, app, flags.code));
  if (flags.redirectUrl) {
    const redirect = parseRedirect(flags.redirectUrl);
    return fromReply(ctx, request, await exchangeAuthorizationCode(ctx, app, redirect.code), redirect);
  }
  if (secrets.refreshToken || secrets.accessToken) {
    return { via: 'token', fields: { refreshToken: secrets.refreshToken, accessToken: secrets.accessToken, ...applicationToken(secrets) } };
  }
  return askForTokens(ctx, request);
}

function applicationToken(secrets: TokenSecrets): Partial<Profile> {
  return secrets.applicationToken ? { applicationToken: secrets.applicationToken } : {};
}

function fromReply(ctx: Context, request: TokenRequest, reply: TokenReply, redirect?: AuthorizationRedirect, handlerPath?: string): ObtainedTokens {
  const warning = redirect && domainWarning(redirect, request.app.portal);
  if (warning) ctx.printer.warn(warning);
  return { via: 'code', fields: { ...profileTokens(reply), ...applicationToken(request.secrets) }, handlerPath };
}

async function askForTokens(ctx: Context, request: TokenRequest): Promise<ObtainedTokens | 'back'> {
  const prompter = await ctx.prompter();
  for (;;) {
    const method = await prompter.select({
      message: 'How should b24-events get the tokens?',
      choices: [
        {
          name: 'Authorize in the browser (recommended)',
          value: 'browser',
          description: 'opens the portal; the code comes back to b24-events or you paste the address',
        },
        {
          name: 'Paste the tokens from the installation event (ONAPPINSTALL)',
          value: 'paste',
          description: 'auth[refresh_token] and auth[application_token] of the install POST',
        },
        ...(request.allowBack ? [{ name: '← Back: change the client id and secret', value: 'back' as const }] : []),
      ],
    });
    if (method === 'back') return 'back';
    if (method === 'paste') return pasteTokens(ctx, request.secrets);
    const handlerPath = request.flags.handlerPath ?? (await askHandlerPath(ctx, request.knownHandlerPath));
    try {
      const { reply, redirect } = await authorizeInBrowser(ctx, { app: request.app, redirectUri: handlerPath, openBrowser: request.flags.browser });
      return fromReply(ctx, request, reply, redirect, handlerPath);
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode === ExitCode.interrupted) throw error;
      ctx.printer.warn(ctx.redactor.text(`${error.message}${error.hint ? ` — ${error.hint}` : ''}`));
    }
  }
}

async function askHandlerPath(ctx: Context, known: string | undefined): Promise<string> {
  const prompter = await ctx.prompter();
  return prompter.input({
    message: "The application's Handler path (where the portal sends the browser back):",
    default: known ?? DEFAULT_HANDLER_PATH,
    validate: (value) => (/^https?:\/\/[^/\s]+/i.test(value.trim()) ? true : `enter an http(s) address, e.g. ${DEFAULT_HANDLER_PATH}`),
  });
}

async function pasteTokens(ctx: Context, secrets: TokenSecrets): Promise<ObtainedTokens> {
  const prompter = await ctx.prompter();
  const required = (value: string) => (value.trim().length >= 8 ? true : 'paste the whole value');
  const refreshToken = (await prompter.password({ message: 'auth[refresh_token]:', validate: required })).trim();
  ctx.redactor.add(refreshToken);
  const application =
    secrets.applicationToken ?? ((await prompter.password({ message: 'auth[application_token] (optional, Enter to skip):' })).trim() || undefined);
  ctx.redactor.add(application);
  return { via: 'token', fields: { refreshToken, ...(application ? { applicationToken: application } : {}) } };
}

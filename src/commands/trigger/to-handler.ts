import { errorCode } from '../../api/net-codes.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode } from '../../errors.js';
import { DEFAULT_OAUTH_SERVER, type Profile } from '../../config/schema.js';
import { postDelivery, type HandlerAnswer } from '../../delivery/post.js';
import { deliveryBody, type DeliveryTokens, type PortalIdentity } from '../../wire/delivery.js';
import { oauthToken, randomHex } from '../../wire/tokens.js';
import { userAgent } from '../../version.js';
import type { AuthKind } from './fixtures.js';

export interface HandlerDelivery {
  event: string;
  data: unknown;
  auth: AuthKind;
  url: string;
  asWebhook: boolean;
  withAuth: boolean;
  forgedToken: boolean;
  timeoutMs: number;
}

/**
 * POSTs one delivery in Bitrix24's own shape and encoding (src/wire) to a handler: with the profile's
 * identity when there is one, realistic demo values otherwise. With a forged application token it
 * reports whether the handler refused it (it must: that token is its proof the portal sent it).
 */
export async function triggerHandler(ctx: Context, request: HandlerDelivery): Promise<void> {
  const ts = Math.floor(ctx.now() / 1000);
  const profile = await profileIfAny(ctx, request.withAuth);
  const identity = identityOf(profile, request.forgedToken);
  const tokens = request.asWebhook || request.auth === 'tokenless' ? undefined : await tokensOf(ctx, profile, request, ts);
  const body = deliveryBody({ event: request.event, eventHandlerId: 1, data: request.data, ts, identity, tokens });
  const answer = await postDelivery(request.url, body, { timeoutMs: request.timeoutMs, userAgent, signal: ctx.signal }).catch((error: unknown) => {
    throw unreachable(error, request.url);
  });
  report(ctx, request, answer);
}

async function profileIfAny(ctx: Context, required: boolean): Promise<Profile | undefined> {
  try {
    return (await ctx.credentialSource()).profile;
  } catch (error) {
    if (required) throw error;
    return undefined; // no credentials: demo values
  }
}

/** The portal a delivery names: the profile's, or a realistic stranger's. */
function identityOf(profile: Profile | undefined, forged: boolean): PortalIdentity {
  const portal = profile?.portal ?? 'https://example.bitrix24.com';
  const oauth = profile?.oauthServer ?? DEFAULT_OAUTH_SERVER;
  return {
    domain: new URL(portal).host,
    clientEndpoint: `${portal}/rest/`,
    serverEndpoint: `${oauth.replace(/\/+$/, '')}/rest/`,
    memberId: profile?.memberId ?? randomHex(32),
    applicationToken: forged || !profile?.applicationToken ? randomHex(32) : profile.applicationToken,
  };
}

async function tokensOf(ctx: Context, profile: Profile | undefined, request: HandlerDelivery, ts: number): Promise<DeliveryTokens> {
  // --with-auth: the profile's current access token, as a real delivery has it (never its refresh token)
  const accessToken = request.withAuth ? await (await ctx.client()).accessToken() : oauthToken(ts + 3600);
  return {
    accessToken,
    expires: ts + 3600,
    expiresIn: 3600,
    scope: profile?.scope ?? 'crm,task,user',
    status: 'L',
    userId: profile?.userId ?? 1,
    ...(request.auth === 'app+refresh' ? { refreshToken: oauthToken(ts + 180 * 86400) } : {}),
  };
}

function report(ctx: Context, request: HandlerDelivery, answer: HandlerAnswer): void {
  const ok = answer.status >= 200 && answer.status < 300;
  const what = `HTTP ${answer.status} in ${answer.ms} ms${ok || !answer.head ? '' : `: ${answer.head}`}`;
  if (request.forgedToken) {
    if (ok) {
      throw new CliError(`the handler accepted a delivery with a forged application_token (${what})`, ExitCode.failure, {
        hint: 'compare auth[application_token] with the one ONAPPINSTALL gave you and refuse any other',
      });
    }
    if (ctx.globals.json)
      return ctx.printer.printJson({ event: request.event, url: request.url, forged_token: true, refused: true, status: answer.status, ms: answer.ms });
    return ctx.printer.success(`The handler refused the forged application_token (${what})`);
  }
  if (!ok) throw new CliError(`${request.event} → ${request.url}: the handler answered ${what}`, ExitCode.failure, { hint: 'see the handler’s own log' });
  if (ctx.globals.json) return ctx.printer.printJson({ event: request.event, url: request.url, status: answer.status, ms: answer.ms, body: answer.head });
  ctx.printer.success(`${request.event} → ${request.url}: ${what}`);
}

function unreachable(error: unknown, url: string): Error {
  const name = (error as Error).name;
  if (name === 'AbortError') return error as Error; // Ctrl-C: reported as an interruption
  if (name === 'TimeoutError')
    return new CliError(`the handler at ${url} did not answer in time`, ExitCode.failure, { hint: 'allow more with --timeout SECONDS' });
  const code = errorCode(error) ?? (error as Error).message;
  return new CliError(`cannot reach the handler at ${url} (${code})`, ExitCode.failure, { hint: 'is it running? a URL without a scheme means http://' });
}

// The general methods a client uses for pre-flight checks: user.admin, profile, user.current, scope,
// app.info, feature.get, server.time. Shapes follow the official docs (bitrix24/b24restdocs).
import { eventScopes } from '../catalogue.js';
import type { User } from '../directory.js';
import { accessDenied, RestError } from '../errors.js';
import { phpTruthy, strval } from '../php.js';
import { isoDate } from '../time.js';
import type { CallContext, MethodOutcome } from './context.js';

/** user.admin: whether the calling user is a portal administrator. */
export function userAdmin(ctx: CallContext): MethodOutcome {
  return { result: ctx.auth.user.admin };
}

/** profile: basic data of the calling user; needs no scope. */
export function profile(ctx: CallContext): MethodOutcome {
  const { user } = ctx.auth;
  return {
    result: { ID: String(user.id), ADMIN: user.admin, NAME: user.name, LAST_NAME: user.lastName, PERSONAL_GENDER: '', TIME_ZONE: '' },
  };
}

/** user.current: the calling user's record; scope `user` (checked by the router). */
export function userCurrent(ctx: CallContext): MethodOutcome {
  return { result: userRecord(ctx.auth.user) };
}

// The fields of the docs' user.current examples, in their order: batch.md's (a real reply, trimmed)
// with user-current.md's WORK_POSITION where batch.md has TIMESTAMP_X. Dates are the portal's formats.
function userRecord(user: User): Record<string, unknown> {
  const registered = Date.UTC(2024, 0, 1);
  return {
    ID: String(user.id),
    ACTIVE: true,
    NAME: user.name,
    LAST_NAME: user.lastName,
    EMAIL: `user${user.id}@sandbox.invalid`,
    LAST_LOGIN: isoDate(Date.now()),
    DATE_REGISTER: isoDate(registered),
    IS_ONLINE: 'Y',
    TIMESTAMP_X: '01.01.2024 00:00:00',
    LAST_ACTIVITY_DATE: isoDate(Date.now()).slice(0, 19).replace('T', ' '),
    PERSONAL_GENDER: '',
    PERSONAL_BIRTHDAY: '',
    WORK_POSITION: '',
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: [1],
  };
}

/** scope: the credential's scopes, or with a truthy `full` (PHP truthiness: 'false' counts) all of them. */
export function scope(ctx: CallContext): MethodOutcome {
  const all = [...new Set([...eventScopes(), 'user'])];
  return { result: phpTruthy(ctx.params.get('full')) ? all : [...ctx.auth.scopes] };
}

/** app.info: the calling local app; webhooks get "Application context required". */
export function appInfo(ctx: CallContext): MethodOutcome {
  const { app } = ctx.auth;
  if (ctx.auth.type !== 'oauth' || !app) throw accessDenied('Application context required');
  return {
    result: {
      ID: app.id,
      CODE: app.clientId,
      VERSION: 1,
      STATUS: 'L',
      INSTALLED: true,
      PAYMENT_EXPIRED: 'N',
      DAYS: null,
      LANGUAGE_ID: 'en',
      LICENSE: 'en_pro100',
      LICENSE_TYPE: 'pro100',
      LICENSE_FAMILY: 'pro',
    },
  };
}

/**
 * feature.get: 'Y'/'N' for the two REST features from the sandbox options. Like the cloud, an unknown
 * code is not an error and answers 'Y', which proves nothing.
 */
export function featureGet(ctx: CallContext): MethodOutcome {
  const code = strval(ctx.params.get('code'));
  if (!phpTruthy(code)) throw new RestError(400, 'CODE_EMPTY', "CODE can't be empty");
  const features: Record<string, boolean> = ctx.portal.options.features;
  const enabled = Object.hasOwn(features, code) ? features[code] : true;
  return { result: { value: enabled ? 'Y' : 'N' } };
}

/** server.time: the portal's clock as ISO 8601. */
export function serverTime(): MethodOutcome {
  return { result: isoDate(Date.now()) };
}

import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import { isQueueRead } from '../../api/offline.js';
import { AuthError } from '../../errors.js';

/** A process id as the user typed it; empty or blank ids are refused before any request. */
export const processIdSchema = z.string().trim().min(1, 'must not be empty (an empty process id acts on the whole queue)');

/** `--connector`: the queue of an `auth_connector` (needs rest_auth_connector). */
export const connectorSchema = z.string().trim().min(1, 'must not be empty').optional();

export const MESSAGE_ID = /^[0-9a-f]{32}$/i;

/** Help line shared by every offline verb. */
export const connectorHelp = 'queue of this auth_connector (default: the queue without connector)';

/**
 * `WRONG_LICENSE` from the offline methods means one of two plan features is missing; say which
 * and what the choice is, instead of the generic plan hint.
 */
export function explainLicense(error: unknown, nothingRead: boolean): unknown {
  if (!(error instanceof ApiError) || error.code !== 'WRONG_LICENSE') return error;
  if (/auth_connector/i.test(error.description)) {
    return new AuthError(`${error.method}: the portal's plan lacks rest_auth_connector, so --connector cannot be used`, {
      hint: 'drop --connector to work with the queue without connector, or move to a plan with connectors (Professional and above)',
      code: error.code,
      cause: error,
    });
  }
  if (!isQueueRead(error.method)) return error;
  const what = nothingRead ? '; nothing was read or deleted' : '';
  return new AuthError(`event.offline.get: the portal's plan lacks rest_offline_extended, so events cannot be read without deleting them (clear=0)${what}`, {
    hint: 'move to a plan with extended offline events, or drain with --at-most-once: the portal then deletes each page as it is read, and events in hand are lost if the run fails',
    code: error.code,
    cause: error,
  });
}

/** MESSAGE_IDs from variadic (and comma-separated) flag values; the portal takes 32 characters each. */
export const messageIdsSchema = z.preprocess(
  (value) =>
    Array.isArray(value)
      ? value
          .flatMap((item) => String(item).split(','))
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  z.array(z.string().regex(/^\S{32}$/, 'message ids are 32 characters (MESSAGE_ID from `offline list`)')),
);

// The method table of the sandbox portal. Names are lower-case, as the server matches them.
import { batch } from './batch.js';
import { eventBind, eventUnbind } from './bind.js';
import type { MethodDef } from './context.js';
import { eventGet, eventsList, eventTest } from './events.js';
import { appInfo, featureGet, profile, scope, serverTime, userAdmin, userCurrent } from './misc.js';
import { offlineClear, offlineError, offlineGet, offlineList } from './offline.js';

const METHODS: ReadonlyMap<string, MethodDef> = new Map<string, MethodDef>([
  ['events', { run: eventsList }],
  ['event.bind', { run: eventBind }],
  ['event.unbind', { run: eventUnbind }],
  ['event.get', { run: eventGet }],
  ['event.test', { run: eventTest }],
  ['event.offline.get', { run: offlineGet }],
  ['event.offline.list', { run: offlineList }],
  ['event.offline.clear', { run: offlineClear }],
  ['event.offline.error', { run: offlineError }],
  ['batch', { run: batch }],
  ['user.admin', { run: userAdmin }],
  ['user.current', { run: userCurrent, scopes: ['user', 'user_basic', 'user_brief'] }],
  ['profile', { run: profile }],
  ['scope', { run: scope }],
  ['app.info', { run: appInfo }],
  ['feature.get', { run: featureGet }],
  ['server.time', { run: serverTime }],
]);

/** The method registered under a normalised (lower-case, no `.json`) name. */
export function findMethod(name: string): MethodDef | undefined {
  return METHODS.get(name);
}

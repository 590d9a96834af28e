import type { BindParams, Caller, HandlerRecord } from '../api/events.js';
import type { DesiredBinding } from './validate.js';

/** What `apply` would do to one portal. */
export interface Plan {
  add: DesiredBinding[];
  /** bindings the manifest does not list, removed by `apply --prune` */
  remove: BindParams[];
  /** the same, kept because --prune was not given */
  unmanaged: BindParams[];
  /** portal bindings the manifest covers */
  keep: BindParams[];
  /** manifest entries already satisfied */
  unchanged: number;
}

/**
 * A non-administrator's bind is stored under their own user id whatever auth_type says (0 = "the
 * triggering user" is an administrator's choice), so compare with what the portal will store.
 */
function asStoredFor(binding: DesiredBinding, caller: Caller | undefined): DesiredBinding {
  if (!caller || caller.admin !== false || caller.id === null || binding.offline || binding.authType !== 0) return binding;
  return { ...binding, authType: caller.id };
}

/** An `event.get` row as binding parameters (auth_type a number, no connector = undefined). */
export function fromRecord(record: HandlerRecord): BindParams {
  const event = record.event.toUpperCase();
  if (record.offline) return { event, offline: true, ...(record.connector_id ? { connector: record.connector_id } : {}) };
  return { event, handler: record.handler ?? '', offline: false, authType: Number(record.auth_type ?? 0) };
}

/** Event, URL and (for online bindings) user: what makes two online bindings the same handler. */
export function handlerKey(binding: BindParams): string {
  return `${binding.event.toUpperCase()}|${binding.handler ?? ''}`;
}

function identity(binding: BindParams): string {
  if (binding.offline) return `offline|${binding.event.toUpperCase()}|${binding.connector ?? ''}`;
  return `online|${handlerKey(binding)}|${binding.authType ?? 0}`;
}

/**
 * Compares the manifest with `event.get`: event names case-insensitively, handler URLs exactly
 * (a trailing slash is another handler), auth_type as a number whatever its JSON type, offline
 * subscriptions by event and connector. An entry without auth_type covers every user's binding of
 * its event and URL.
 */
export function planChanges(desired: DesiredBinding[], records: HandlerRecord[], prune: boolean, caller?: Caller): Plan {
  const existing = records.map(fromRecord);
  desired = desired.map((binding) => asStoredFor(binding, caller));
  const covered = new Set<number>();
  const add: DesiredBinding[] = [];
  for (const binding of desired) {
    const anyUser = !binding.offline && binding.authType === undefined;
    const matches = existing
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => (anyUser ? !row.offline && handlerKey(row) === handlerKey(binding) : identity(row) === identity(binding)));
    if (matches.length === 0) add.push(binding);
    for (const { index } of matches) covered.add(index);
  }
  const extra = existing.filter((_row, index) => !covered.has(index));
  return {
    add,
    remove: prune ? extra : [],
    unmanaged: prune ? [] : extra,
    keep: existing.filter((_row, index) => covered.has(index)),
    unchanged: desired.length - add.length,
  };
}

/** True when applying the plan changes nothing. */
export function inSync(plan: Plan): boolean {
  return plan.add.length === 0 && plan.remove.length === 0;
}

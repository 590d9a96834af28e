import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ownerRunning } from '../../config/sandbox-profiles.js';

/**
 * `listen` queues its events under an `auth_connector` of its own, named so that the next listener
 * (and `handlers`) can tell whose it is: `b24-events-listen.<pid>.<tag>.<host>` for one session,
 * `b24-events-listen.persist.<NAME>` for a listener kept with --persist.
 */
const PREFIX = 'b24-events-listen.';
export const PERSIST_NAME = /^[A-Za-z0-9_-]{1,40}$/;

export type Listener = { connector: string; persist: string } | { connector: string; persist?: undefined; pid: number; host: string };

/** Connectors of listeners running in this process (in-process runs share the pid). */
const runningHere = new Set<string>();

/** A fresh connector for this process's listener. */
export function sessionListener(): Listener {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '-')
      .slice(0, 60) || 'host';
  const tag = randomBytes(3).toString('hex');
  return { connector: `${PREFIX}${process.pid}.${tag}.${host}`, pid: process.pid, host };
}

export function persistedListener(name: string): Listener {
  return { connector: `${PREFIX}persist.${name}`, persist: name };
}

/** The listener a connector belongs to, or undefined for any other connector. */
export function parseListener(connector: string | undefined): Listener | undefined {
  if (!connector?.startsWith(PREFIX)) return undefined;
  const [first = '', second = '', ...host] = connector.slice(PREFIX.length).split('.');
  if (first === 'persist' && PERSIST_NAME.test(second) && host.length === 0) return { connector, persist: second };
  if (!/^\d+$/.test(first) || !second || host.length === 0) return undefined;
  return { connector, pid: Number(first), host: host.join('.') };
}

/** "listener pid 4242 on dev-laptop" / 'persisted listener "crm"'. */
export function describeListener(listener: Listener): string {
  return listener.persist !== undefined ? `persisted listener "${listener.persist}"` : `listener pid ${listener.pid} on ${listener.host}`;
}

/**
 * A session listener that can no longer be running: its process on this machine is gone (or it is
 * this process and no listener here holds it). Other machines' listeners cannot be checked; they, and
 * persisted ones, are never counted as gone.
 */
export function listenerGone(listener: Listener): boolean {
  if (listener.persist !== undefined) return false;
  if (listener.pid === process.pid) return listener.host === sessionHost() && !runningHere.has(listener.connector);
  return listener.host === sessionHost() && !ownerRunning({ pid: listener.pid, host: hostname(), startedAt: '' });
}

/** Marks a listener of this process as running (until the returned release). */
export function holdListener(listener: Listener): () => void {
  runningHere.add(listener.connector);
  return () => runningHere.delete(listener.connector);
}

function sessionHost(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '-')
      .slice(0, 60) || 'host'
  );
}

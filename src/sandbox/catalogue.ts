// The portal's event catalogue: which event codes exist and which scope grants each (reference §9,
// §12.15). `events` and `event.bind` both read it, so scope gating stays consistent between them.

/** Events every app may bind regardless of scopes; docs label them scope `basic`. */
export const GLOBAL_EVENTS: readonly string[] = [
  'ONAPPINSTALL',
  'ONAPPUNINSTALL',
  'ONAPPUPDATE',
  'ONAPPPAYMENT',
  'ONAPPTEST',
  'ONAPPMETHODCONFIRM',
  'ONOFFLINEEVENT',
];

// The `_147` variants stand for one smart process (entityTypeId 147) existing on this portal; real
// portals list one suffixed event per smart process.
const SCOPED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  crm: [
    'ONCRMLEADADD',
    'ONCRMLEADUPDATE',
    'ONCRMLEADDELETE',
    'ONCRMDEALADD',
    'ONCRMDEALUPDATE',
    'ONCRMDEALDELETE',
    'ONCRMCONTACTADD',
    'ONCRMCONTACTUPDATE',
    'ONCRMCONTACTDELETE',
    'ONCRMCOMPANYADD',
    'ONCRMCOMPANYUPDATE',
    'ONCRMCOMPANYDELETE',
    'ONCRMACTIVITYADD',
    'ONCRMACTIVITYUPDATE',
    'ONCRMACTIVITYDELETE',
    'ONCRMTIMELINECOMMENTADD',
    'ONCRMDYNAMICITEMADD',
    'ONCRMDYNAMICITEMUPDATE',
    'ONCRMDYNAMICITEMDELETE',
    'ONCRMDYNAMICITEMADD_147',
    'ONCRMDYNAMICITEMUPDATE_147',
    'ONCRMDYNAMICITEMDELETE_147',
  ],
  task: ['ONTASKADD', 'ONTASKUPDATE', 'ONTASKDELETE', 'ONTASKCOMMENTADD', 'ONTASKCOMMENTUPDATE', 'ONTASKCOMMENTDELETE'],
  user: ['ONUSERADD'],
  calendar: ['ONCALENDARENTRYADD', 'ONCALENDARENTRYUPDATE', 'ONCALENDARENTRYDELETE'],
  sonet_group: ['ONSONETGROUPADD', 'ONSONETGROUPUPDATE', 'ONSONETGROUPDELETE'],
  imconnector: ['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORLINEDELETE', 'ONIMCONNECTORSTATUSDELETE'],
};

/** Events that refuse `event_type=offline` ("Offline event cannot be registered for this event."). */
export const OFFLINE_DISABLED: ReadonlySet<string> = new Set(['ONOFFLINEEVENT']);

/** Every scope that owns events, in the portal's order. */
export function eventScopes(): string[] {
  return Object.keys(SCOPED_EVENTS);
}

/** Events of one scope; an unknown scope yields [] without error, as the server does. */
export function eventsOfScope(scope: string): readonly string[] {
  return Object.hasOwn(SCOPED_EVENTS, scope) ? (SCOPED_EVENTS[scope] ?? []) : [];
}

/** Whether an app holding `scopes` may bind `event` (its scopes plus the global ones). */
export function isBindable(event: string, scopes: readonly string[]): boolean {
  return GLOBAL_EVENTS.includes(event) || scopes.some((scope) => eventsOfScope(scope).includes(event));
}

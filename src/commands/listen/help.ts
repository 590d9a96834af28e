import { examples } from '../shared/options.js';

export const listenHelp = `${examples(
  'b24-events listen --events ONCRMDEALADD,ONCRMDEAL* --forward-to localhost:3000/b24',
  'b24-events listen -f b24-events.json --rewrite https://hooks.example.com=http://localhost:3000',
  'b24-events listen --events ONTASKUPDATE                  # no target: one JSON line per event on stdout',
  'b24-events listen --events ONCRMDEALUPDATE --forward-to localhost:3000/b24 --json   # NDJSON per delivery',
  'b24-events listen --persist crm --events ONCRMDEAL* --forward-to localhost:3000/b24',
  'b24-events listen --cleanup crm                           # end the persisted listener "crm"',
  'b24-events listen --cleanup                               # remove what killed listeners left',
)}
The listener binds the events offline under a connector of its own (rest_auth_connector), so it never
takes events from the production queue or from another developer's listener, and delivers each one
exactly as an online delivery: form-encoded, the captured key order, auth[] with the profile's current
access token (never its refresh token; --no-auth-tokens: the outgoing-webhook shape). An event is
confirmed only after a 2xx; a handler that is down is retried with back-off, then the event is flagged.
Polling takes 45 % of the portal's request budget while events flow (one request per 1.1 s at 2 req/s;
B24_RATE_LIMIT scales it) and half that after 15 s without events. A network drop, a sleep of the
machine, a 503 or an expired token shows "reconnecting…" and recovers (--give-up-after: exit 1).
Ctrl-C settles the delivery in hand and removes the bindings; a killed listener's are removed by the
next listen (or --cleanup). --persist NAME keeps them: events queue while you are away and the next
\`listen --persist NAME\` delivers them first. --shared-queue (plans without rest_auth_connector) reads
the default queue. \`b24-events handlers\` marks listener bindings.
`;

import { examples } from '../shared/options.js';
import { PIPE_WINDOW } from './drain-setup.js';

/** `offline drain --help` after the options: how it works, the sinks, the --pipe protocol, output and exit codes. */
export const drainHelp = `
How it works: pages are read with clear=0, so the portal reserves each under a process id instead of
deleting it. Every event goes to the sink; then the failures are flagged (event.offline.error) and the
successes confirmed by id (event.offline.clear), in the same request that reads the next pages. One
request carries several pages (up to 50 commands in one batch): it starts with one page and takes more
while the portal answers fast, fewer when it is slow or refuses. Nothing is deleted before it was
handled: after a crash the pages are still reserved (see \`offline list\`) and \`--resume\` re-reads them
(with clear=0, never the portal's default clear=1, which would delete them), then drains on.
\`--resume\` without an id takes over every reserved batch of the queue: use it only when no other
consumer of this queue is running.

Failures become error rows: invisible to ordinary drains, kept until \`--errors\` drains them (never
purged). Flagging also deletes a newer, not yet reserved copy of the same message (the same record
changed again meanwhile); that change then lives on only in the error row, so drain --errors regularly.
A read whose reply was lost (timeout) may have reserved records: the run then exits 1 and says so.

Sinks:
  (default)         NDJSON on stdout, one record per line as the portal returns it; a record counts as
                    handled once its line is written and flushed (lines go out a group per write)
  --pipe CMD        starts CMD (via the shell) once and streams the events to its stdin as NDJSON, as
                    the default sink prints them; CMD answers one line per event on stdout, in any order:
                      {"id": "<the record's ID>", "ok": true}
                      {"id": "<the record's ID>", "ok": false, "error": "why"}
                    only acknowledged events are confirmed (ok:false ones are flagged); up to ${PIPE_WINDOW}
                    wait for an answer at once. CMD exiting, or answering nothing for --handler-timeout
                    while events wait, stops the drain: the events in flight stay reserved. Other
                    stdout lines and its stderr go to stderr; credentials are removed from its
                    environment; the same ok:false for the first 5 events stops the drain too
  --exec CMD        runs CMD (via the shell) per event with the event's JSON on stdin; exit 0 = handled.
                    CMD's output goes to stderr; B24_EVENT_NAME, B24_EVENT_ID, B24_MESSAGE_ID are set,
                    credentials are removed from its environment; exit 126/127 (cannot run), or the
                    same failure for the first 5 events without any success (a missing script), stops
                    the drain with the page reserved and nothing flagged
  --forward-to URL  POSTs each event like Bitrix24's online delivery (form-encoded event,
                    event_handler_id=0, data[...], ts, auth[domain|client_endpoint|member_id|
                    application_token] from the profile); any 2xx = handled, redirects are failures;
                    a handler that refuses connections (or has no DNS), or fails the same way for
                    the first 5 events without any success (a wrong URL), stops the drain the same way

Ctrl-C (or SIGTERM): the events in hand finish, the handled pages are settled (failures flagged,
successes confirmed), events not started stay reserved, exit 130; the drain says what it is finishing.
A second Ctrl-C stops at once and says what it left reserved and how to --resume it.
Failed events are flagged ERROR=1 and skipped by later drains; \`--errors\` drains them again (if they
fail again they stay reserved under the page's process id). Without rest_offline_extended the portal
refuses clear=0 (WRONG_LICENSE, exit 4); only --at-most-once reads with clear=1.

Output: stdout carries the events (default sink) and nothing else. A progress line is shown on a
terminal (stderr) and a summary at the end (stderr). With --json the summary is one JSON document
{handled, failed, left_reserved, uncertain_reservations, lost, pages, requests, seconds,
events_per_second, stopped, stop_reason, delivery}: on stderr (one line) with the stdout sink,
otherwise on stdout as the only document, also when the drain fails or stops early (exit 1 or 130):
the one exception to "stdout stays empty on failure", so a script always learns what was done.
Exit: 0 all handled; 1 some failed, were lost or left reserved; 2 bad options; 4 WRONG_LICENSE or
no access; 130 interrupted.
${examples(
  'b24-events offline drain > events.ndjson',
  "b24-events offline drain --pipe 'php consumer.php'      # one process, acknowledged events only",
  "b24-events offline drain --exec 'php handle-event.php' --concurrency 4",
  'b24-events offline drain --forward-to https://hooks.example.com/b24 --follow',
  "b24-events offline drain --errors --max 100 | jq -c '{ID, EVENT_NAME}'",
  'b24-events offline drain --resume            # finish batches a killed drain left reserved',
)}`;

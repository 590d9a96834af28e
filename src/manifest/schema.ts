import { z } from 'zod';

/** `${NAME}`: an environment variable reference (substituted in `handler`, `connector`, `auth_type`). */
export const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const variableSource = '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';

const event = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') })
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an event code such as ONCRMDEALADD')
  .describe('Event code, e.g. ONCRMDEALADD (case-insensitive; `b24-events events` lists them).');

const userIdMessage = 'must be a user id: a whole number ≥ 0 (0 = the user who triggered the event)';

const authType = z
  .union(
    [
      z.number().int(userIdMessage).min(0, userIdMessage),
      z.string().regex(new RegExp(`^(\\d+|.*${variableSource}.*)$`), 'must be a user id: digits, or a ${VAR} reference'),
    ],
    { error: userIdMessage },
  )
  .describe(
    'User whose tokens the handler receives; 0 = the user who triggered the event (other users need an administrator). ' +
      'Omitted: any existing binding of this event and URL counts, and new ones get the portal default.',
  );

/** An online binding: the portal POSTs the event to `handler`. */
export const onlineBindingSchema = z
  .strictObject({
    event,
    handler: z
      .string({ error: (issue) => (issue.input === undefined ? 'required for an online binding (or set "offline": true)' : 'must be a string') })
      .min(1, 'must not be empty')
      .describe('Handler URL, matched exactly (a trailing slash makes a different handler). May contain ${VAR}.'),
    auth_type: authType.optional(),
    options: z
      .strictObject({
        minTimeout: z.number().int().min(0).describe('ONOFFLINEEVENT only: at most one notification per this many seconds.'),
      })
      .optional()
      .describe('Set when binding; the portal does not report options back, so changes to them are not detected.'),
    offline: z.literal(false, { error: 'must be true (offline queue) or false' }).optional(),
  })
  .describe('Online binding: the portal POSTs the event to the handler URL.');

/** An offline subscription: the event goes into the application's offline queue. */
export const offlineBindingSchema = z
  .strictObject({
    event,
    offline: z.literal(true),
    connector: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty (omit it for the default queue)')
      .optional()
      .describe('Offline queue connector (auth_connector; needs the rest_auth_connector plan feature). May contain ${VAR}.'),
  })
  .describe('Offline subscription: the event is queued in the offline queue (administrator only).');

/** One entry of `bindings`: which branch applies is decided by `offline: true`. */
export const bindingSchema = z.union([onlineBindingSchema, offlineBindingSchema]);

/** The manifest file as written (before `${VAR}` substitution). */
export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    version: z.literal(1, { error: 'must be 1' }).optional().describe('Manifest format version.'),
    bindings: z.array(bindingSchema, { error: 'must be a list of bindings' }),
  })
  .meta({
    title: 'b24-events manifest',
    description: 'Event bindings of a Bitrix24 application, applied with `b24-events apply -f FILE`.',
  });

export type OnlineBindingEntry = z.infer<typeof onlineBindingSchema>;
export type OfflineBindingEntry = z.infer<typeof offlineBindingSchema>;
export type BindingEntry = OnlineBindingEntry | OfflineBindingEntry;
export type Manifest = z.infer<typeof manifestSchema>;

/** The schema of one entry, chosen the way a reader would: `offline: true` means an offline subscription. */
export function entrySchemaFor(entry: unknown): typeof onlineBindingSchema | typeof offlineBindingSchema {
  const offline = typeof entry === 'object' && entry !== null && (entry as { offline?: unknown }).offline === true;
  return offline ? offlineBindingSchema : onlineBindingSchema;
}

/** The published JSON Schema (draft-07, which editors support best), generated from the zod schema. */
export function manifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(manifestSchema, { target: 'draft-7', io: 'input' });
}

import type { BindParams } from '../../api/events.js';

/** A binding in the portal's own field names, as `event.get` would show it. */
export function bindingView(params: BindParams): Record<string, unknown> {
  if (params.offline) return { event: params.event, connector_id: params.connector ?? '', offline: 1 };
  return {
    event: params.event,
    handler: params.handler,
    ...(params.authType !== undefined ? { auth_type: String(params.authType) } : {}),
    offline: 0,
  };
}

/** "ONCRMDEALADD → https://…", "… as user 7", "… as the triggering user" (auth_type 0), or "… → offline queue (connector x)". */
export function describeBinding(params: BindParams): string {
  if (params.offline) return `${params.event} → offline queue${params.connector ? ` (connector ${params.connector})` : ''}`;
  const user = params.authType === undefined ? '' : params.authType === 0 ? ' as the triggering user' : ` as user ${params.authType}`;
  return `${params.event} → ${params.handler}${user}`;
}

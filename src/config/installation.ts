import { sandboxInfo, type ControlTransport } from '../api/sandbox-control.js';
import type { InstallationCheck } from '../api/session.js';
import { AuthError } from '../errors.js';

/**
 * A sandbox restarted on the same port is a new portal at the old address: another member_id, none
 * of the old tokens. Before a saved profile's refresh token goes there, and when the portal refuses
 * the token in hand, the sandbox is asked who it is (its `info`: nothing secret is sent); another
 * member_id stops the command with what to do. Real portals and other loopback servers (a tunnel)
 * do not answer `info` and are left alone, as is a profile with no member_id on record.
 */
export function installationCheck(
  expected: { name: string; memberId: string | undefined },
  portal: () => string,
  transport: ControlTransport,
): InstallationCheck {
  return async (when) => {
    if (!expected.memberId) return;
    const info = await sandboxInfo(portal(), transport);
    if (!info?.memberId || info.memberId === expected.memberId) return;
    const what =
      when === 'refresh'
        ? `the sandbox at ${portal()} is not the one profile "${expected.name}" was saved for (another member_id: restarted on the same port?); the profile's refresh token was not sent to it`
        : `the sandbox at ${portal()} does not know profile "${expected.name}"'s token: it is not the one the profile was saved for (another member_id: restarted on the same port?)`;
    throw new AuthError(what, {
      hint: `set the profile up for the new sandbox: b24-events init --portal ${portal()} --name ${expected.name} --force`,
      code: 'INSTALLATION_CHANGED',
    });
  };
}

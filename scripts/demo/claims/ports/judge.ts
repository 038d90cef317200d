// 5m's judge: a port is taken per address in the Pod's one network namespace.
import type { Held } from '../../../../apps/probe/contract.js';

/**
 * The port rule in one network namespace: a listener is per address and port
 * (the Pod IP's port beside 127.0.0.1's is free, 127.0.0.1's own is taken),
 * and two listeners with SO_REUSEPORT, one per container, hold the very same
 * address and port at once and share the connections.
 */
export function judgePortRule(seen: {
  podIpBeside: Held;
  loopbackAgain: Held;
  first: Held;
  second: Held;
  connections: { connected: number };
  count: number;
  address: string;
  loopback: string;
}): string[] {
  const problems: string[] = [];
  if (!seen.podIpBeside.ok)
    problems.push(
      `${seen.address} could not be bound beside the sidecar's ${seen.loopback} (${seen.podIpBeside.code}): a port should be taken per address, not per number`,
    );
  if (seen.loopbackAgain.ok)
    problems.push(
      `${seen.loopback} could be bound again in the app while the sidecar listens on it: the containers do not share one network namespace`,
    );
  else if (seen.loopbackAgain.code !== 'EADDRINUSE')
    problems.push(`binding ${seen.loopback} again failed with ${seen.loopbackAgain.code}, not EADDRINUSE`);
  if (!seen.first.ok || !seen.second.ok) {
    problems.push(
      `with SO_REUSEPORT, app ${seen.first.ok ? 'bound' : `failed (${seen.first.code})`}, sidecar ${seen.second.ok ? 'bound' : `failed (${seen.second.code})`}: both should hold the same address and port`,
    );
    return problems;
  }
  if (!(seen.second.boundAt! < seen.first.releasedAt! && seen.first.boundAt! < seen.second.releasedAt!))
    problems.push('the two SO_REUSEPORT listeners never held the port at the same time: nothing was shown');
  const accepted = [seen.first.accepted ?? 0, seen.second.accepted ?? 0];
  if (seen.connections.connected !== seen.count)
    problems.push(`${seen.count - seen.connections.connected} of ${seen.count} connections were refused while both listened`);
  if (accepted.includes(0)) problems.push(`the kernel did not spread the connections: app accepted ${accepted[0]}, sidecar ${accepted[1]}`);
  return problems;
}

// The network interfaces of the caller's network namespace, as a Pod's
// containers all see them: `lo`, which every new network namespace has (down
// until someone brings it up: the runtime does), and what the network plugin
// (CNI) added, usually `eth0` with the Pod IP.
import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

export interface Interface {
  name: string;
  /** operstate: "up", "down", or "unknown" (loopback reports unknown when up). */
  state: string;
  addresses: string[];
}

export function listInterfaces(): Interface[] {
  const addressed = networkInterfaces();
  return readdirSync('/sys/class/net')
    .sort()
    .map((name) => ({
      name,
      state: readFileSync(`/sys/class/net/${name}/operstate`, 'utf8').trim(),
      addresses: (addressed[name] ?? []).filter((address) => address.family === 'IPv4').map((address) => address.cidr ?? address.address),
    }));
}

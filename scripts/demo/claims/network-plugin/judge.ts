// 5o's judge: the Pod's one network namespace, with the address the plugin gave it.
import type { Interface } from '../../../../apps/probe/contract.js';

/** "eth0 10.244.0.5/24; lo 127.0.0.1/8": a list of interfaces in a line. */
export const showInterfaces = (list: Interface[]): string => list.map((i) => `${i.name} ${i.addresses.join(',') || '-'}`).join('; ');

/** The interfaces of the Pod's network namespace: the same list in both containers, lo up with 127.0.0.1, the Pod IP on one of them and on none outside. */
export function judgeInterfaces(seen: {
  app: Interface[];
  sidecar: Interface[];
  outsideName: string;
  outside: Interface[];
  address: string;
}): string[] {
  const has = (list: Interface[], ip: string) => list.some((i) => i.addresses.some((address) => address.split('/')[0] === ip));
  const problems: string[] = [];
  if (showInterfaces(seen.app) !== showInterfaces(seen.sidecar))
    problems.push(`the app sees ${showInterfaces(seen.app)}, the sidecar ${showInterfaces(seen.sidecar)}: not one network namespace`);
  const lo = seen.app.find((i) => i.name === 'lo');
  if (!lo || lo.state === 'down' || !lo.addresses.includes('127.0.0.1/8'))
    problems.push(`lo is not up with 127.0.0.1/8 in the Pod: ${JSON.stringify(lo ?? null)}`);
  if (!has(seen.app, seen.address)) problems.push(`no interface of the Pod has its address ${seen.address}: ${showInterfaces(seen.app)}`);
  if (has(seen.outside, seen.address))
    problems.push(`${seen.outsideName} has the Pod's address ${seen.address} too: it is in the Pod's network namespace`);
  return problems;
}

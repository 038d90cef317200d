// The node's side of a neighbour trying its loopback-only ports
// (CVE-2020-8558's class, test/support/neighbour.ts): route_localnet lets the
// node take a packet for 127/8 from elsewhere, a DROP rule refuses it.
import { execa } from 'execa';

/** A container's address on its (first) Docker network: a kind node's, a registry's. */
export async function containerAddress(node: string): Promise<string> {
  const { stdout } = await execa('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', node]);
  return stdout.trim().split(' ')[0]!;
}

const RULE = 'block incoming localnet connections';

/** The packets the node's DROP rules for 127/8 from elsewhere have dropped (the kubelet's and the node entrypoint's). */
export async function localnetDrops(node: string): Promise<number> {
  const { stdout } = await execa('docker', ['exec', node, 'iptables-save', '-c', '-t', 'filter']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(RULE))
    .reduce((sum, line) => sum + Number(/^\[(\d+):/.exec(line)?.[1] ?? 0), 0);
}

/** Takes those rules out of the node, runs `during`, and puts them back. */
export async function withoutLocalnetRules<T>(node: string, during: () => Promise<T>): Promise<T> {
  const { stdout } = await execa('docker', ['exec', node, 'iptables-save', '-t', 'filter']);
  const rules = stdout.split('\n').filter((line) => line.startsWith('-A ') && line.includes(RULE));
  const iptables = (args: string) => execa('docker', ['exec', node, 'bash', '-c', `iptables ${args}`]);
  for (const rule of rules) await iptables(`-t filter ${rule.replace(/^-A /, '-D ')}`);
  try {
    return await during();
  } finally {
    for (const rule of rules) await iptables(`-t filter ${rule}`);
  }
}

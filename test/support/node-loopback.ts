// A neighbour on the kind Docker network trying the node's loopback-only
// ports (CVE-2020-8558's class): it routes 127.0.0.0/8 to the node's address
// and connects. Whether the node takes such a packet is its business:
// route_localnet lets it, a DROP rule for 127/8 from elsewhere refuses it.
import { execa } from 'execa';

/** The node's address on the Docker network its kind cluster uses. */
export async function nodeAddress(node: string): Promise<string> {
  const { stdout } = await execa('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', node]);
  return stdout.trim().split(' ')[0]!;
}

/**
 * GET /healthz on 127.0.0.1:`port` as the node at `address` would serve it,
 * from a container of `image` on `network` that sends 127/8 there: the
 * answer, or '' when nothing came back within 5 s.
 */
export async function fromNeighbour(image: string, network: string, address: string, port: number): Promise<string> {
  const script = [
    // Its own loopback gone, 127/8 leaves through eth0 towards the node.
    'ip addr flush dev lo',
    `ip route add 127.0.0.0/8 via ${address} dev eth0`,
    `timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && printf "GET /healthz HTTP/1.0\\r\\n\\r\\n" >&3 && cat <&3' || true`,
  ].join('\n');
  const { stdout } = await execa('docker', [
    'run',
    '--rm',
    '--network',
    network,
    '--cap-add',
    'NET_ADMIN',
    // Accept the node's answer, which comes from 127.0.0.1 over eth0.
    '--sysctl',
    'net.ipv4.conf.all.route_localnet=1',
    '--entrypoint',
    'bash',
    image,
    '-c',
    script,
  ]);
  return stdout.trim();
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

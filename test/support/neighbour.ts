// A container on a Docker network that is neither a node nor a registry:
// what anyone who can run a container on the kind network reaches. It is
// the air-gapped node image, for its bash and iproute2 (it has no curl).
import { execa } from 'execa';
import { airgapPins } from '../../scripts/lib/kind.js';

export interface Asking {
  /** Send 127.0.0.0/8 to this address instead of keeping it (its own loopback gone): CVE-2020-8558's way in. */
  loopbackVia?: string;
}

/**
 * One HTTP/1.0 request (`METHOD /path`) to host:port from a neighbour on
 * `network`: the raw answer, or '' when none came within 5 s or the name
 * did not resolve.
 */
export async function neighbourAsks(network: string, host: string, port: number, request: string, asking: Asking = {}): Promise<string> {
  const script = [
    ...(asking.loopbackVia ? ['ip addr flush dev lo', `ip route add 127.0.0.0/8 via ${asking.loopbackVia} dev eth0`] : []),
    `timeout 5 bash -c 'exec 3<>/dev/tcp/${host}/${port} && printf "${request} HTTP/1.0\\r\\nContent-Length: 0\\r\\n\\r\\n" >&3 && cat <&3' 2>/dev/null || true`,
  ].join('\n');
  const loopback = asking.loopbackVia
    ? // Changing routes takes NET_ADMIN; the answer comes from 127.0.0.1 over eth0, which only route_localnet accepts.
      ['--cap-add', 'NET_ADMIN', '--sysctl', 'net.ipv4.conf.all.route_localnet=1']
    : ['--cap-drop', 'ALL'];
  const { stdout } = await execa('docker', [
    'run',
    '--rm',
    '--network',
    network,
    ...loopback,
    '--entrypoint',
    'bash',
    airgapPins().nodeImage,
    '-c',
    script,
  ]);
  return stdout.trim();
}

// Podman for `npm run demo:podman`. As root on Debian or Ubuntu the demo
// installs the distribution's podman itself (Debian 12: 4.3.1), as it does
// Docker; anywhere else it says what to install. Rootful only: the demo
// reads the infra container's namespaces in /proc and reaches the Pod's IP
// from this machine, which a rootless Pod behind slirp4netns does not give.
import { CommandFailed, run } from '../lib/commands.js';
import { imageName, TARGETS } from '../lib/docker.js';
import { localImage } from '../lib/podman-pod.js';
import type { Progress } from '../lib/report.js';
import { thisHost } from './docker-engine.js';

async function podmanVersion(): Promise<string | null> {
  const version = await run(['podman', 'version', '--format', '{{.Client.Version}}'], { allowFailure: true }).catch(() => null);
  return version?.exitCode === 0 ? version.stdout.trim() : null;
}

/** Podman's version, after installing it with apt-get when missing and setup is allowed; `installed` says so. */
export async function ensurePodman(setUp: boolean, progress: Progress): Promise<{ version: string; installed: string | null }> {
  const host = thisHost();
  if (!host.root) throw new CommandFailed('demo:podman runs rootful Podman: run it as root (e.g. `sudo npm run demo:podman`)');
  const found = await podmanVersion();
  if (found) return { version: found, installed: null };
  const install = 'apt-get install podman';
  if (!setUp || !host.apt)
    throw new CommandFailed(
      `podman is not installed: ${host.apt ? `\`${install}\`` : 'install Podman 4 or newer'}${setUp ? '' : ' (--no-setup)'}`,
    );
  progress(`podman is not installed: ${install} (Debian's, about 30 s)`);
  await run(['apt-get', 'update', '-qq'], { timeoutMs: 300_000 });
  await run(['apt-get', 'install', '-y', '-qq', 'podman'], { timeoutMs: 600_000, env: { DEBIAN_FRONTEND: 'noninteractive' } });
  const version = await podmanVersion();
  if (!version) throw new CommandFailed(`${install} finished, but \`podman version\` does not answer`);
  return { version, installed: `Podman ${version} installed (apt-get)` };
}

const imageId = async (tool: 'docker' | 'podman', image: string) =>
  (await run([tool, 'image', 'inspect', '--format', '{{.Id}}', image], { allowFailure: true })).stdout.trim().replace(/^sha256:/, '');

/**
 * The images Docker built, in Podman's storage: `docker save | podman load`
 * (no registry between them), named localhost/podmates/…; skipped for an
 * image Podman already has with the same ID. Returns what it loaded.
 */
export async function loadImagesIntoPodman(progress: Progress): Promise<string[]> {
  const stale: string[] = [];
  for (const target of TARGETS) {
    const built = await imageId('docker', imageName(target));
    if (!built) throw new CommandFailed(`docker has no image ${imageName(target)}: build it first`);
    if ((await imageId('podman', localImage(target))) !== built) stale.push(imageName(target));
  }
  if (stale.length === 0) return [];
  progress(`docker save ${stale.join(' ')} | podman load`);
  await run(['bash', '-o', 'pipefail', '-c', 'docker save "$@" | podman load --quiet', 'load', ...stale], { timeoutMs: 600_000 });
  return stale;
}

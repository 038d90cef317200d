// A Docker Engine for the demos. As root on Debian or Ubuntu the demo installs
// and starts one itself (scripts/host/ensure-docker.sh: docker.io from the
// distribution, dockerd in the background when PID 1 is not systemd, and the
// capability shim when privileged containers fail); anywhere else it says
// which command starts one on that system.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandFailed, stream } from '../lib/commands.js';
import { dockerServerVersion } from '../lib/docker.js';
import { PROJECT_ROOT } from '../lib/project.js';
import type { Progress } from '../lib/report.js';

const ENSURE_DOCKER = 'scripts/host/ensure-docker.sh';

export interface Host {
  platform: NodeJS.Platform;
  root: boolean;
  apt: boolean;
}

export function thisHost(): Host {
  return { platform: process.platform, root: process.getuid?.() === 0, apt: existsSync('/usr/bin/apt-get') };
}

/** What to run to get a Docker Engine on this kind of host, when the demo does not do it itself. */
export function dockerHint(host: Host): string {
  if (host.platform === 'darwin') return 'start Docker Desktop, or `colima start` (colima: `brew install colima docker`)';
  if (host.platform !== 'linux') return 'start Docker Desktop (kind needs a Linux Docker Engine)';
  const debian = host.apt
    ? `; on Debian or Ubuntu without Docker, \`sudo bash ${ENSURE_DOCKER}\` installs and starts one`
    : '; to install one: https://docs.docker.com/engine/install/';
  const rootless = 'rootless Docker (`dockerd-rootless-setuptool.sh install`) works with kind on cgroup v2 hosts';
  return `start it with \`sudo systemctl start docker\`${debian}; ${rootless}`;
}

/** The Docker server's version, after starting (as root on Debian/Ubuntu: installing) an engine when none answers and setup is allowed. */
export async function ensureDockerEngine(setUp: boolean, progress: Progress): Promise<{ version: string; started: string | null }> {
  try {
    return { version: await dockerServerVersion(), started: null };
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error;
    const host = thisHost();
    if (!setUp || !host.root || !host.apt || host.platform !== 'linux') {
      throw new CommandFailed(`${error.message}: ${dockerHint(host)}${setUp ? '' : ' (--no-setup: the demo sets up nothing)'}`);
    }
    progress(`no Docker Engine answers: installing and starting one (${ENSURE_DOCKER}, about a minute)`);
    let installed = false;
    await stream(['bash', join(PROJECT_ROOT, ENSURE_DOCKER)], (line) => {
      const said = line.replace(/^\[[^\]]*\]\s*/, '');
      installed ||= said.startsWith('installed: dockerd');
      progress(said);
    });
    const version = await dockerServerVersion();
    return { version, started: `Docker Engine ${version} ${installed ? 'installed and ' : ''}started (${ENSURE_DOCKER})` };
  }
}

// Tests that need the real thing (root and namespaces, or a Docker engine).
// Elsewhere they are skipped with the reason printed; under CI they must run,
// so there a missing prerequisite is a failure.
import { describe, test } from 'vitest';
import { execaSync } from 'execa';
import { namespaceBlocker } from './pod-box.js';

export function describeIf(name: string, blocker: string | null, body: () => void): void {
  if (blocker === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    test(`${name}: prerequisites`, () => {
      throw new Error(`cannot run under CI: ${blocker}`);
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${blocker}\n`);
  // Skipped on purpose outside CI, with the reason in the test name.
  describe.skip(`${name} (skipped: ${blocker})`, body);
}

export function describePod(name: string, body: () => void): void {
  describeIf(name, namespaceBlocker(), body);
}

function dockerBlocker(): string | null {
  const info = execaSync('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false });
  return info.exitCode === 0 ? null : 'needs a running Docker engine (as root on Debian: scripts/host/ensure-docker.sh)';
}

export function describeDocker(name: string, body: () => void): void {
  describeIf(name, dockerBlocker(), body);
}

function podmanBlocker(): string | null {
  const docker = dockerBlocker();
  if (docker) return docker;
  if (process.getuid?.() !== 0) return 'needs root (the Podman demo runs rootful Podman)';
  const version = execaSync('podman', ['version', '--format', '{{.Client.Version}}'], { reject: false });
  return version.exitCode === 0 ? null : 'needs Podman (`npm run demo:podman` installs it as root on Debian)';
}

export function describePodman(name: string, body: () => void): void {
  describeIf(name, podmanBlocker(), body);
}

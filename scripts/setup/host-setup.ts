// What `npm run demo` sets up on a machine that lacks it, before step 2: a
// Docker Engine, the kind CLI, a node image when no registry answers, and
// kubectl. Each thing it does is one progress line saying what and why, and
// one entry of `done`, which the report's summary lists. With --no-setup it
// does nothing and says what to run instead.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandFailed, run } from '../lib/commands.js';
import { baseImages, imageExists, imageSizeMb } from '../lib/docker.js';
import { airgapPins, BUILD_AIRGAP, onPath } from '../lib/kind.js';
import type { Progress } from '../lib/report.js';
import { airgapBuild, minutes } from './airgap-build.js';
import { ensureDockerEngine, thisHost } from './docker-engine.js';
import { findGo } from './go-toolchain.js';

export class HostSetup {
  /** What was set up, for the summary. */
  readonly done: string[] = [];

  /** The tail of step 1's detail line: what was set up, if anything. */
  get said(): string {
    return this.done.length ? `; set up: ${this.done.join('; ')}` : '';
  }

  constructor(
    private readonly allowed: boolean,
    private readonly progress: Progress,
  ) {}

  /** The Docker server's version, once an engine answers. */
  async docker(): Promise<string> {
    const { version, started } = await ensureDockerEngine(this.allowed, this.progress);
    if (started) this.done.push(started);
    return version;
  }

  /**
   * kind, a node image it can use, and kubectl. Builds them with
   * scripts/airgap/build.sh when no registry answers and none is there
   * (`force`: --build-airgap builds them anyway; `image`: --image names one).
   */
  async forKind(image: string | undefined, force: boolean): Promise<void> {
    const pins = airgapPins();
    const kind = (await onPath('kind')) || existsSync(pins.kind);
    const kubectlOnPath = await onPath('kubectl');
    const kubectl = kubectlOnPath || existsSync(pins.kubectl);
    let phases: string[] | null = null;
    let why = '';
    if (force) {
      [phases, why] = [[], '--build-airgap'];
    } else if (
      !image &&
      !(existsSync(pins.kind) && (await imageExists(pins.nodeImage))) &&
      !(await this.registryAnswers(pins.officialNodeImage))
    ) {
      [phases, why] = [[], 'no container registry answers and there is no offline node image'];
    } else if (!kind || !kubectl) {
      phases = [...(kind ? [] : ['kind']), ...(kubectl ? [] : ['kubernetes'])];
      why = `${[kind ? '' : 'kind', kubectl ? '' : 'kubectl'].filter(Boolean).join(' and ')} not installed`;
    }
    if (phases) await this.build(phases, why);
    // npm run demo:userns: the node image with containerd 2 and runc 1.4, made from
    // the main one (a whole build makes both).
    if (image === pins.usernsNodeImage && !(await imageExists(image))) {
      const mainImage = await imageExists(pins.nodeImage);
      await this.build(mainImage ? ['runtime', 'userns'] : [], `no user-namespace node image ${image}`);
    }
    if (!kubectlOnPath) {
      // The air-gapped build's own kubectl, the cluster's version.
      process.env.PATH = `${dirname(pins.kubectl)}:${process.env.PATH ?? ''}`;
      this.done.push(`kubectl of the air-gapped build used (${pins.kubectl})`);
    }
  }

  private async registryAnswers(image: string): Promise<boolean> {
    if (await imageExists(image)) return true;
    this.progress('is a container registry reachable? (docker search, up to 30 s)');
    return (
      (await run(['docker', 'search', '--limit', '1', 'kindest/node'], { allowFailure: true, timeoutMs: 30_000 }).catch(() => null))
        ?.exitCode === 0
    );
  }

  /** build.sh for these phases (all when none), and the Node.js base images beside a whole build; root and Go are needed. */
  private async build(phases: string[], why: string): Promise<void> {
    const what = phases.length
      ? `build.sh ${phases.join(' ')}`
      : 'kind, Kubernetes 1.34 and an offline node image (about 15 min the first time, cached afterwards)';
    const instead = `run \`${BUILD_AIRGAP}${phases.length ? ` ${phases.join(' ')}` : ''}\` (Go >= 1.25, root)`;
    if (!this.allowed) throw new CommandFailed(`${why}: ${instead}, or run the demo without --no-setup`);
    const go = await findGo();
    if ('missing' in go) throw new CommandFailed(`${why}, and the demo cannot build them: ${go.missing}; then ${instead}`);
    if (!thisHost().root) throw new CommandFailed(`${why}, and building them needs root: ${instead}`);
    await this.debootstrap();
    if (phases.length === 0 || phases.includes('runtime')) await this.runcBuildTools();
    this.progress(`${why}: building ${what} with ${go.path} (${go.version}); full output in artifacts/setup/`);
    const started = Date.now();
    const whole = phases.length === 0;
    // The Node.js base images are the other thing no registry gives: build them meanwhile (debootstrap is mostly I/O).
    await Promise.all([
      airgapBuild(phases, go.path, this.progress),
      whole ? baseImages((line) => this.progress(`Node.js base images: ${line}`)) : null,
    ]);
    const seconds = (Date.now() - started) / 1000;
    const took = seconds < 60 ? `ready in ${minutes(seconds)} (from the cache)` : `built in ${minutes(seconds)}`;
    const pins = airgapPins();
    this.done.push(
      whole
        ? `kind, kubectl and node image ${pins.nodeImage} (${((await imageSizeMb(pins.nodeImage)) / 1000).toFixed(1)} GB) ${took}, cached in ${pins.cache}; Node.js base images beside it`
        : `${phases.join(' and ')} ${took}, cached in ${pins.cache}`,
    );
  }

  /** The runtime phase builds runc with cgo: a C compiler and libseccomp's headers. */
  private async runcBuildTools(): Promise<void> {
    if (existsSync('/usr/include/seccomp.h') && (await onPath('gcc'))) return;
    if (!thisHost().apt) throw new CommandFailed('building runc needs gcc and libseccomp-dev, which are not installed');
    this.progress('apt-get install gcc libseccomp-dev (runc, for the user-namespace node, is built with cgo)');
    await run(['apt-get', 'update', '-qq'], { timeoutMs: 300_000 });
    await run(['apt-get', 'install', '-y', '-qq', 'gcc', 'libseccomp-dev'], {
      timeoutMs: 300_000,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    this.done.push('gcc and libseccomp-dev installed (apt-get)');
  }

  /** build.sh makes Debian root filesystems with debootstrap. */
  private async debootstrap(): Promise<void> {
    if (await onPath('debootstrap')) return;
    if (!thisHost().apt)
      throw new CommandFailed('debootstrap is not installed (the air-gapped build makes Debian root filesystems with it)');
    this.progress('apt-get install debootstrap (the air-gapped build makes Debian root filesystems with it)');
    await run(['apt-get', 'update', '-qq'], { timeoutMs: 300_000 });
    await run(['apt-get', 'install', '-y', '-qq', 'debootstrap'], { timeoutMs: 300_000, env: { DEBIAN_FRONTEND: 'noninteractive' } });
    this.done.push('debootstrap installed (apt-get)');
  }
}

// Steps 1-4 of `npm run demo` and its clean-up: find the tools, get a cluster
// (a kind cluster, created or reused, or any kubectl context), build and load
// the images, deploy the base Pod. Then the context every step 5x runs in.
import { join } from 'node:path';
import { POD_NAMESPACES } from '../lib/checks.js';
import { run } from '../lib/commands.js';
import { baseImages, buildImages, dockerServerVersion, imageName } from '../lib/docker.js';
import { KindCluster, planCluster, type ClusterPlan } from '../lib/kind.js';
import { Kube, NAMESPACE, saveKubeArtifacts, type PodStatus } from '../lib/kube.js';
import { PROJECT_ROOT } from '../lib/project.js';
import type { Progress } from '../lib/report.js';
import { SELECTOR, type DemoContext, type OverlayName } from './context.js';
import { kubeTarget } from './kube-target.js';
import { PROBE_POD } from './probe-pod.js';

export interface KubeSetupOptions {
  name: string;
  image: string | undefined;
  buildAirgap: boolean;
  context: string | undefined;
  registry: string | undefined;
  base: string;
  overlays: Record<OverlayName, string>;
  keep: boolean;
}

type Fact = (name: string, value: unknown) => void;
type Say = (line: string) => void;

export class KubeSetup {
  private plan: ClusterPlan | null = null;
  private cluster: KindCluster | null = null;
  private createdCluster = false;
  private kubeOrNull: Kube | null = null;
  /** The kustomization the Deployment was last replaced with. */
  private deployed: string | null = null;

  constructor(
    private readonly options: KubeSetupOptions,
    private readonly fact: Fact,
    private readonly say: Say,
  ) {}

  /** Set by step 2, which is required: the run stops before anything reads it unset. */
  private get kube(): Kube {
    if (!this.kubeOrNull) throw new Error('internal error: no cluster');
    return this.kubeOrNull;
  }

  async preflight(progress: Progress): Promise<string> {
    const docker = await dockerServerVersion();
    const kubectl = (await run(['kubectl', 'version', '--client', '-o', 'json']).catch(() => {
      throw new Error('kubectl is not installed: https://kubernetes.io/docs/tasks/tools/ (or your package manager)');
    })).stdout;
    const client = (JSON.parse(kubectl) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
    if (this.options.context) return `Docker ${docker}, kubectl ${client}, context ${this.options.context}`;
    this.plan = await planCluster({ image: this.options.image, buildAirgap: this.options.buildAirgap }, progress);
    const kind = await new KindCluster(this.plan, this.options.name).version();
    this.fact('node image', `${this.plan.image ?? "kind's default"} (${this.plan.origin})`);
    return `Docker ${docker}, kubectl ${client}, ${kind}`;
  }

  async createCluster(progress: Progress): Promise<string> {
    if (this.options.context) {
      this.kubeOrNull = new Kube(this.options.context, this.options.registry);
    } else {
      this.cluster = new KindCluster(this.plan!, this.options.name);
      if (await this.cluster.exists()) {
        progress(`reusing kind cluster ${this.cluster.name}`);
      } else {
        progress(`creating kind cluster ${this.cluster.name}`);
        await this.cluster.create(progress);
        this.createdCluster = true;
      }
      this.kubeOrNull = new Kube(this.cluster.context);
    }
    await this.kube.kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s'], { timeoutMs: 190_000 });
    const version = await this.kube.serverVersion();
    this.fact('Kubernetes', version);
    return `${this.kube.context}, Kubernetes ${version}${this.createdCluster ? ' (created)' : this.options.context ? '' : ' (reused)'}`;
  }

  async loadImages(progress: Progress): Promise<string> {
    const bases = await baseImages(progress);
    const sizes = await buildImages(bases, progress);
    const images = [imageName('app'), imageName('sidecar')];
    if (this.cluster) {
      progress('kind load docker-image');
      await this.cluster.load(images);
    } else if (this.options.registry) {
      for (const image of images) {
        await run(['docker', 'tag', image, `${this.options.registry}/${image}`]);
        await run(['docker', 'push', `${this.options.registry}/${image}`], { timeoutMs: 300_000 });
      }
    }
    return `app ${sizes.app} MB, sidecar ${sizes.sidecar} MB (bases: ${bases.origin})`;
  }

  async deployBase(progress: Progress): Promise<string> {
    // A probe Pod kept from an earlier run (--keep) runs the images of that
    // run: the steps that need it make it anew from the ones just loaded.
    await this.kube.kubectl(['-n', NAMESPACE, 'delete', 'pod', PROBE_POD, '--ignore-not-found', '--timeout=60s'], { timeoutMs: 70_000 });
    const ready = await this.deploy(this.options.base, progress);
    return `Pod ${ready.name} at ${ready.ip}, containers ${ready.containers.map((container) => container.name).join(' + ')}`;
  }

  /** Replaces the Deployment without waiting; returns the API server's warnings. */
  private async deployNoWait(directory: string): Promise<string[]> {
    await this.kube.deleteDeployment('podmates');
    this.deployed = directory;
    return this.kube.apply(directory);
  }

  private async deploy(directory: string, progress: Progress): Promise<PodStatus> {
    await this.deployNoWait(directory);
    progress('waiting for the rollout');
    await this.kube.rollout('podmates', 180);
    return this.kube.podByLabel(SELECTOR);
  }

  /** What the steps see: the base Pod as a target, and the cluster and its actions. */
  context(messages: number): DemoContext {
    const kube = this.kube;
    const basePod = async (progress: Progress) => (this.deployed === this.options.base ? kube.podByLabel(SELECTOR) : this.deploy(this.options.base, progress));
    return {
      messages,
      expectedNamespaces: POD_NAMESPACES,
      target: async (progress) => kubeTarget(kube, await basePod(progress), progress, this.cluster),
      fact: this.fact,
      k8s: {
        kube,
        cluster: this.cluster,
        base: this.options.base,
        overlay: (name) => this.options.overlays[name],
        basePod,
        deploy: (directory, progress) => this.deploy(directory, progress),
        deployNoWait: (directory) => this.deployNoWait(directory),
      },
    };
  }

  /** Artifacts when something failed; then the namespace goes, or the cluster if this run created it (--keep keeps both). */
  async cleanUp(passed: boolean): Promise<void> {
    if (this.kubeOrNull && !passed) {
      const folder = await saveKubeArtifacts(this.kubeOrNull, join(PROJECT_ROOT, 'artifacts', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`));
      this.say(`\nEvents, descriptions and logs saved in ${folder}`);
    }
    if (this.options.keep) {
      this.say(`\nKept: namespace ${NAMESPACE}${this.createdCluster && this.cluster ? ` and kind cluster ${this.cluster.name}` : ''} (--keep)`);
      return;
    }
    this.say('\ncleaning up');
    if (this.createdCluster && this.cluster) await this.cluster.delete();
    else if (this.kubeOrNull) await this.kubeOrNull.deleteNamespace();
  }
}

// Steps 1-4 of `npm run demo` and its clean-up: find the tools, get a cluster
// (a kind cluster, created or reused, or any kubectl context), build and load
// the images, deploy the base Pod. Then the context every step 5x runs in.
import { join } from 'node:path';
import { run } from '../lib/commands.js';
import { baseImages, buildImages, imageName, pushedByDigest, tagByContent } from '../lib/docker.js';
import { KindCluster, kindBehind, planCluster, type ClusterPlan } from '../lib/kind.js';
import { Kube, NAMESPACE, saveKubeArtifacts } from '../lib/kube.js';
import { manifestPath, NAME_LABEL } from '../lib/manifests.js';
import type { Progress, RunNotes } from '../lib/report.js';
import { holdNamespace } from '../lib/run-lease.js';
import { HostSetup } from '../setup/host-setup.js';
import type { DemoContext, Forwarded, QueueBudget, Step } from './context.js';
import { kubeTarget } from './kube-target.js';
import { ownDeployment } from './own-deployment.js';
import { startProbePod } from './probe-pod.js';
import { POD_NAMESPACES } from './judges/namespaces.js';
import { readQueueBudget } from './queue-budget.js';

export interface KubeSetupOptions {
  name: string;
  image: string | undefined;
  buildAirgap: boolean;
  /** False with --no-setup: nothing is installed, built or started. */
  setUp: boolean;
  context: string | undefined;
  registry: string | undefined;
  base: string;
  /** --userns: the base Pod is meant to run in a user namespace of its own. */
  userNamespaces: boolean;
  /** Each overlay's kustomization, by name (chooseOverlays). */
  overlays: ReadonlyMap<string, string>;
  keep: boolean;
  /** The run's folder (scripts/lib/run-folder.ts): logs saved on failure go there. */
  folder: string;
}

/** The base Deployment's Pods. */
const SELECTOR = `${NAME_LABEL}=podmates`;

export class KubeSetup {
  private plan: ClusterPlan | null = null;
  private cluster: KindCluster | null = null;
  private createdCluster = false;
  private kubeOrNull: Kube | null = null;
  /** Whether the namespace is the demo's to clear and delete (Kube.claimNamespace), and this run's (holdNamespace). */
  private ownsNamespace = false;
  /** Why the clean-up leaves the namespace alone when it does not own it. */
  private notOurs = "it is not the demo's";
  /** Lets go of the namespace's Lease (run-lease.ts), once taken. */
  private releaseNamespace: (() => Promise<void>) | null = null;
  /** Read in step 4, from the base Pod. */
  private budget: QueueBudget | null = null;

  constructor(
    private readonly options: KubeSetupOptions,
    /** Where the setup's facts, lines and the Pod's measured namespaces go. */
    private readonly report: RunNotes,
  ) {}

  /** Set by step 2, which is required: the run stops before anything reads it unset. */
  private get kube(): Kube {
    if (!this.kubeOrNull) throw new Error('internal error: no cluster');
    return this.kubeOrNull;
  }

  /** Finds Docker, kind, a node image and kubectl, and sets up what is missing (unless --no-setup). */
  async preflight(progress: Progress): Promise<string> {
    const host = new HostSetup(this.options.setUp, progress);
    const docker = await host.docker();
    if (!this.options.context) await host.forKind(this.options.image, this.options.buildAirgap);
    const kubectl = (
      await run(['kubectl', 'version', '--client', '-o', 'json']).catch(() => {
        throw new Error('kubectl is not installed: https://kubernetes.io/docs/tasks/tools/ (or your package manager)');
      })
    ).stdout;
    const client = (JSON.parse(kubectl) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
    this.report.fact('set up', host.done.length ? host.done : 'nothing: all was there');
    if (this.options.context) return `Docker ${docker}, kubectl ${client}, context ${this.options.context}${host.said}`;
    this.plan = await planCluster(this.options.image);
    const kind = await new KindCluster(this.plan, this.options.name).version();
    this.report.fact('node image', `${this.plan.image ?? "kind's default"} (${this.plan.origin})`);
    return `Docker ${docker}, kubectl ${client}, ${kind}${host.said}`;
  }

  async createCluster(progress: Progress): Promise<string> {
    let how = '';
    if (this.options.context) {
      this.kubeOrNull = new Kube(this.options.context);
      this.cluster = await kindBehind(this.options.context);
      if (this.cluster)
        this.report.fact('kind cluster', `${this.cluster.name}, behind --context: its nodes are reached for 5h and 5o; it is not deleted`);
    } else {
      this.cluster = new KindCluster(this.plan!, this.options.name);
      if (await this.cluster.exists()) {
        progress(`reusing kind cluster ${this.cluster.name}`);
        how = ` (reused: ${await this.cluster.reuse(progress)})`;
      } else {
        progress(`creating kind cluster ${this.cluster.name}`);
        await this.cluster.create(progress);
        this.createdCluster = true;
        how = ' (created)';
      }
      this.kubeOrNull = this.cluster.kube();
      await this.enforceNetworkPolicies(progress);
    }
    const version = await this.kube.serverVersion();
    this.report.fact('Kubernetes', version);
    return `${this.kube.context}, Kubernetes ${version}${how}`;
  }

  /**
   * On the demo's own air-gapped kind cluster, the NetworkPolicy enforcer
   * baked into its node image (manifests/cluster/network-policies.yaml):
   * the node's network plugin enforces none. Other clusters keep what they
   * have; 5w says whether it enforces.
   */
  private async enforceNetworkPolicies(progress: Progress): Promise<void> {
    if (!this.plan?.enforcerInImage) {
      this.report.fact('NetworkPolicy', "the cluster's own enforcer, if it has one (5w shows whether it enforces)");
      return;
    }
    progress('starting the NetworkPolicy enforcer (kube-network-policies)');
    await this.kube.kubectl(['apply', '-f', manifestPath('cluster/network-policies.yaml')]);
    await this.kube.kubectl(['-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-network-policies', '--timeout=120s'], {
      timeoutMs: 130_000,
    });
    this.report.fact('NetworkPolicy', 'enforced by kube-network-policies (patched, from scripts/airgap), on every node');
  }

  /** Builds the images, then, once `cluster` (step 2) has settled, loads them into it. */
  async loadImages(progress: Progress, cluster: Promise<unknown>): Promise<string> {
    const bases = await baseImages(progress);
    const sizes = await buildImages(bases, progress);
    const images = [imageName('app'), imageName('sidecar')];
    progress('waiting for the cluster');
    await cluster;
    if (!this.kubeOrNull) throw new Error('no cluster to load the images into (step 2 failed)');
    // Deployed by content tag, so that no node runs an older build of 0.1.0.
    const tagged = await Promise.all(images.map((image) => tagByContent(image)));
    let deployed = tagged;
    let how: string;
    if (this.options.registry) {
      deployed = [];
      for (const image of tagged) {
        const pushed = `${this.options.registry}/${image}`;
        progress(`docker push ${pushed}`);
        await run(['docker', 'tag', image, pushed]);
        // Deployed by the digest the push reports, not by its tag.
        deployed.push(pushedByDigest(pushed, (await run(['docker', 'push', pushed], { timeoutMs: 300_000 })).stdout));
      }
      how = `pushed to ${this.options.registry}, deployed by digest: ${deployed.join(', ')}`;
    } else if (this.cluster) {
      progress('kind load docker-image');
      // Under the fixed tag too: the manifests name it, so that applying
      // them by hand (docs/by-hand.md) runs this build, not an older one.
      await this.cluster.load([...tagged, ...images]);
      how = `loaded into kind cluster ${this.cluster.name}`;
    } else {
      // A cluster that runs this machine's images (e.g. Docker Desktop's).
      how = 'left in this Docker engine for the cluster to use';
    }
    this.kube.deployImages(Object.fromEntries(images.map((image, i) => [image, deployed[i]!])));
    return `${tagged.join(', ')} (app ${sizes.app} MB, sidecar ${sizes.sidecar} MB, bases: ${bases.origin}), ${how}`;
  }

  async deployBase(progress: Progress): Promise<string> {
    // A node kind has just made turns Ready while the images load. Someone
    // else's cluster (--context) is left alone: its nodes are not the demo's
    // to wait for, and reading them needs cluster-wide rights.
    if (!this.options.context) {
      progress('waiting for the nodes to be Ready');
      await this.kube.nodesReady();
    }
    // What an earlier run kept (--keep) runs the images of that run, and its
    // steps' Deployments count against the queue budget: start from nothing.
    await this.kube.namespaceGone(progress);
    const namespace = await this.kube.claimNamespace('npm-run-demo');
    this.releaseNamespace = await holdNamespace(this.kube, 'npm run demo', progress).catch((error: unknown) => {
      this.notOurs = 'another run holds it';
      throw error;
    });
    this.ownsNamespace = true;
    if (namespace !== 'created') {
      progress('deleting what an earlier run left in the namespace');
      await this.kube.clearNamespace();
    }
    await this.kube.apply(this.options.base);
    progress('waiting for the rollout, and for the probe Pod that most steps use');
    // The probe Pod after the app's has a node: it prefers another one.
    await Promise.all([this.kube.rollout('podmates', 180), this.kube.scheduled(SELECTOR).then(() => startProbePod(this.kube))]);
    const ready = await this.kube.podByLabel(SELECTOR);
    this.budget = await readQueueBudget(this.kube, ready.name, this.options.base);
    this.report.fact(
      'queue budget',
      `${this.budget.pods} Pods of UID 10001 per kernel (RLIMIT_MSGQUEUE ${this.budget.limit} bytes / ${this.budget.perPod} per Pod)`,
    );
    return `Pod ${ready.name} at ${ready.ip}, containers ${ready.containers.map((container) => container.name).join(' + ')}`;
  }

  private pageCommand(kube: Kube): string {
    return `${kube.command.join(' ')} -n ${NAMESPACE} port-forward deploy/podmates 8080:8080`;
  }

  /** --open: a port-forward to the kept base Pod's app, for its live page. */
  async openPage(): Promise<Forwarded> {
    return kubeTarget(this.kube, await this.kube.podByLabel(SELECTOR)).appFromHere();
  }

  /** What each step sees: the base Pod as a target, and the cluster, with a Deployment of its own for a step that changes its Pods. */
  contextFor(messages: number): (step: Step) => DemoContext {
    const kube = this.kube;
    const basePod = () => kube.podByLabel(SELECTOR);
    const budget = this.budget!;
    return (step) => ({
      messages,
      expectedNamespaces: POD_NAMESPACES,
      target: async () => kubeTarget(kube, await basePod(), this.cluster),
      fact: (name, value) => this.report.fact(name, value),
      measured: (seen) => this.report.measured(seen),
      lifecycle: (label, lines, until) => this.report.lifecycle(label, lines, until),
      k8s: {
        kube,
        cluster: this.cluster,
        base: this.options.base,
        userNamespaces: this.options.userNamespaces,
        overlay: () => {
          const directory = step.overlay === undefined ? undefined : this.options.overlays.get(step.overlay);
          if (directory === undefined) throw new Error(`internal error: step ${step.id} declares no overlay`);
          return directory;
        },
        basePod,
        queueBudget: budget,
        own: ownDeployment(kube, step.id, this.options.folder),
      },
    });
  }

  /** Artifacts when something failed; then the namespace goes, or the cluster if this run created it (--keep keeps both). */
  async cleanUp(passed: boolean): Promise<void> {
    // Only what is the demo's: someone else's namespace is not read either.
    if (this.kubeOrNull && !passed && this.ownsNamespace) {
      const folder = await saveKubeArtifacts(this.kubeOrNull, join(this.options.folder, 'logs'));
      this.report.say(`\nEvents, descriptions and logs saved in ${folder}`);
    }
    await this.releaseNamespace?.();
    if (this.options.keep) {
      this.report.say(
        `\nKept: namespace ${NAMESPACE}${this.createdCluster && this.cluster ? ` and kind cluster ${this.cluster.name}` : ''} (--keep)`,
      );
      if (this.kubeOrNull?.kubeconfig)
        this.report.say(
          `kubectl for it: export KUBECONFIG=${this.kubeOrNull.kubeconfig} (kind's kubeconfig of its own; yours is unchanged)`,
        );
      if (this.kubeOrNull)
        this.report.say(
          `The Pod's live page: ${this.pageCommand(this.kubeOrNull)}, then open http://127.0.0.1:8080/ (or run the demo with --open)`,
        );
      return;
    }
    this.report.say('\ncleaning up');
    if (this.createdCluster && this.cluster) await this.cluster.delete();
    else if (this.kubeOrNull && !this.ownsNamespace) {
      this.report.say(`namespace ${NAMESPACE} left as it was: ${this.notOurs}`);
    } else if (this.kubeOrNull) {
      await this.kubeOrNull.deleteNamespace();
      this.report.say(`namespace ${NAMESPACE} deleted; Kubernetes removes what is in it in the background`);
    }
  }
}

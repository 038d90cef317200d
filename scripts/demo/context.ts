// What every demo step gets: the Pod under test as a target that both demos
// implement (kind or any cluster: scripts/demo.ts; docker-compose:
// scripts/demo-compose.ts), and, on Kubernetes, the cluster and the few
// actions that change what is deployed. The claims are in scripts/demo/claims/.
import type { ProbeClient } from '../../apps/probe/client.js';
import type { ProbeOptions } from '../../apps/probe/contract.js';
import type { LifecycleLine } from '../../apps/shared/lifecycle.js';
import type { KindCluster } from '../lib/kind.js';
import type { Kube, PodStatus } from '../lib/kube.js';
import { manifestPath, type ContainerEnv } from '../lib/manifests.js';
import type { Progress } from '../lib/report.js';
import type { MeasuredNamespaces } from '../lib/report-picture.js';
import type { ByHandClaim } from './by-hand.js';
import type { NamespaceExpectation } from './judges/namespaces.js';

export const APP = 'http://127.0.0.1:8080';
export const SIDECAR = 'http://127.0.0.1:9090';

/** The Pod under test, wherever it runs. */
export interface PodTarget {
  /** The probe CLI inside a container of the Pod, or outside it: in another Pod, or another container on the same network. */
  probe(where: 'app' | 'sidecar' | 'outside', options?: ProbeOptions): ProbeClient;
  /** The Pod's address as others see it: the Pod IP, or the infra container's. */
  address: string;
  /** How the report names "outside": "the probe Pod", "another container". */
  outside: string;
  /** What gave the Pod its network: the CNI plugin on the node, or Docker's bridge. */
  networkPlugin(): Promise<string>;
  /** On Kubernetes, the nodes of the Pod and of the probe Pod ("outside"); absent under compose. */
  nodes?(): Promise<{ pod: string; outside: string }>;
  /** The app's port 8080 as this machine reaches it: kubectl port-forward, or the port compose published. */
  appFromHere(): Promise<Forwarded>;
}

export interface Forwarded {
  url: string;
  /** How it got there, for the report. */
  how: string;
  close: () => void;
}

export interface DemoContext {
  /** Messages through the queues (--messages). */
  messages: number;
  /** Which namespaces the containers must share: Docker cannot join a UTS namespace. */
  expectedNamespaces: NamespaceExpectation;
  /** The Pod under test, ready (on Kubernetes the base Pod). */
  target(progress: Progress): Promise<PodTarget>;
  /** A line for the report's summary. */
  fact(name: string, value: unknown): void;
  /** Both containers' namespaces as 5a measured them: the HTML report draws the Pod from them. */
  measured(seen: MeasuredNamespaces): void;
  /**
   * A Pod's lifecycle record as the step read it, with whose it is: the HTML
   * report draws it as a timeline, to `until` (when the step last looked) if
   * later than its last line.
   */
  lifecycle(label: string, lines: LifecycleLine[], until?: string): void;
  /** Kubernetes only; null under docker-compose. */
  k8s: KubeContext | null;
}

export interface KubeContext {
  kube: Kube;
  /** The kind cluster when the demo runs on one (steps that need its node use it), else null. */
  cluster: KindCluster | null;
  /** The kustomization of the base Pod (--base). */
  base: string;
  /** --userns (npm run demo:userns): the base Pod is meant to have a user namespace of its own. */
  userNamespaces: boolean;
  /** The kustomization of the step's overlay: its directory under manifests/, or what --overlay NAME=DIR says. */
  overlay: () => string;
  /** The base Pod, deployed by step 4; no step changes it. */
  basePod: () => Promise<PodStatus>;
  /** The UID's queue budget on the node's kernel (on kind, one kernel for all nodes): how many of these Pods may run at once. */
  queueBudget: QueueBudget;
  /** The step's own Deployment, for a step with `ownDeployment`. */
  own: OwnDeployment;
  /**
   * Given by the runner to a step that takes the whole queue budget: it calls
   * this once its Pods have started, and the steps that only look at the base
   * Pod start then (scripts/demo/runner.ts).
   */
  podsStarted?: () => void;
}

export interface QueueBudget {
  /** RLIMIT_MSGQUEUE of the containers, in bytes: the UID's, across the node. */
  limit: number;
  /** What one Pod's two queues are charged, with the ConfigMap's sizes. */
  perPod: number;
  /** How many Pods fit: limit / perPod. */
  pods: number;
}

/** A step's own Deployment and Service beside the base ones, made from the base or an overlay and deleted after the step. */
export interface OwnDeployment {
  /** podmates-<step id>: the Deployment's and the Service's name, and the label that selects its Pods. */
  name: string;
  selector: string;
  /** Deploys this kustomization under `name` (with `env` added to its containers) and waits for its one Pod. */
  deploy(directory: string, progress: Progress, env?: ContainerEnv): Promise<PodStatus>;
  /** The same without waiting (a Pod that must fail never rolls out); returns the API server's warnings. */
  deployNoWait(directory: string): Promise<string[]>;
  /**
   * Deletes it, and waits until its Pods have gone when another step waits
   * for their share of the queue budget; when the step failed, saves their
   * logs and events first.
   */
  remove(failed: boolean, wait: boolean): Promise<void>;
}

/** Where a step's kustomization lives: manifests/overlays/NAME, or manifests/NAME for a name with a folder (jobs/native-sidecar). */
export const overlayDirectory = (name: string) => manifestPath(name.includes('/') ? name : `overlays/${name}`);

/** Each overlay's kustomization: its own directory unless a NAME=DIR of --overlay says otherwise. */
export function chooseOverlays(overlays: ReadonlyMap<string, string>, options: string[], usage: string): Map<string, string> {
  const chosen = new Map([...overlays.keys()].map((name) => [name, overlayDirectory(name)]));
  for (const option of options) {
    const [name = '', directory] = option.split('=', 2);
    if (!chosen.has(name) || !directory)
      throw new Error(
        `--overlay takes NAME=DIR with NAME one of ${[...chosen.keys()].join(', ')}, got ${JSON.stringify(option)}\n${usage}`,
      );
    chosen.set(name, directory);
  }
  return chosen;
}

export interface Step {
  /** Its name in the report and for --only: 5a, 5b, …, given by scripts/demo/claims/index.ts. */
  id: string;
  /** Its folder under scripts/demo/claims/, given by the index too. */
  folder: string;
  /** How to see the same thing by hand (its folder's by-hand.ts). */
  byHand: ByHandClaim;
  title(context: DemoContext): string;
  /** The kustomization it deploys beside the base Pod (manifests/overlays/NAME, or manifests/jobs/…), which --overlay NAME=DIR may replace. */
  overlay?: string;
  /**
   * On Kubernetes, a step that changes the Pod it runs on (restarts or kills a
   * container, rolls out, scales, deploys an overlay) gets a Deployment of its
   * own (`k8s.own`) and runs beside the other steps. `pods`: the most Pods it
   * runs at once, counted against the UID's queue budget; `seconds`: about how
   * long it takes, so that the biggest start first and the run ends sooner.
   */
  ownDeployment?: { pods: number; seconds: number };
  /** Why the step cannot run here (the report says so), or null. */
  unavailable?(context: DemoContext): string | null;
  /** Returns the detail line; throws CheckFailed naming what broke. */
  run(context: DemoContext, progress: Progress): Promise<string>;
}

/** A claim's step as its folder writes it: the index gives it its id and folder. */
export type Claim = Omit<Step, 'id' | 'folder'>;

/** For steps that need Kubernetes, their `unavailable`: the compose report says so, and what Docker has instead. */
export const needsKubernetesFor =
  (instead: string) =>
  (context: DemoContext): string | null =>
    context.k8s ? null : `it needs Kubernetes: ${instead}; run \`npm run demo\``;

/** The same for steps that need the kubelet, overlays or Deployments as a whole. */
export const needsKubernetes = needsKubernetesFor('the kubelet, overlays, Deployments');

/** The Kubernetes part of the context, for steps whose `unavailable` is needsKubernetes. */
export function k8sOf(context: DemoContext): KubeContext {
  if (!context.k8s) throw new Error(needsKubernetes(context)!);
  return context.k8s;
}

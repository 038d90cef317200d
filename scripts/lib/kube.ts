// kubectl, pinned to one context and the demo's namespace (inNamespace), with
// what the demo reads parsed from its JSON, and the probe run in its Pods.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnswerLost, probeClient, type ProbeClient } from '../../apps/probe/client.js';
import { PROBE_COMMAND, type ProbeOptions } from '../../apps/probe/contract.js';
import { execa } from 'execa';
import { CommandFailed, run, type Output } from './commands.js';
import { imageName } from './docker.js';
import type { Progress } from './report.js';
import { pollUntil } from './wait.js';
import { ApiReader } from './api-reader.js';
import { NAME_LABEL, outsideNamespace, renamed, renderDirectory, toYaml, withEnv, withImages, type ContainerEnv } from './manifests.js';

export const NAMESPACE = 'podmates';

interface KubectlOptions {
  allowFailure?: boolean;
  timeoutMs?: number;
  input?: string;
}

export interface ContainerStatus {
  name: string;
  /** runtime://id, e.g. containerd://0af3…; absent until the container was created. */
  containerID?: string;
  ready: boolean;
  restartCount: number;
  started?: boolean;
  state: {
    running?: { startedAt: string };
    waiting?: { reason: string };
    terminated?: { exitCode: number; reason?: string; finishedAt?: string };
  };
  lastState: { terminated?: { exitCode: number; reason?: string; finishedAt?: string } };
}

export interface PodStatus {
  name: string;
  ip: string | undefined;
  node: string | undefined;
  /** Set once the Pod is being deleted (it may still run, finishing its work). */
  terminating: boolean;
  phase: string;
  ready: boolean;
  containers: ContainerStatus[];
  initContainers: ContainerStatus[];
  /** Those added by `kubectl debug`. */
  ephemeralContainers: ContainerStatus[];
}

/** The parts of `kubectl get pod -o json` the demo reads. Pure, so it is unit-tested. */
export function parsePod(json: unknown): PodStatus {
  const pod = json as {
    metadata: { name: string; deletionTimestamp?: string };
    spec?: { nodeName?: string };
    status?: {
      phase?: string;
      podIP?: string;
      conditions?: Array<{ type: string; status: string }>;
      containerStatuses?: ContainerStatus[];
      initContainerStatuses?: ContainerStatus[];
      ephemeralContainerStatuses?: ContainerStatus[];
    };
  };
  const status = pod.status ?? {};
  return {
    name: pod.metadata.name,
    ip: status.podIP,
    node: pod.spec?.nodeName,
    terminating: pod.metadata.deletionTimestamp !== undefined,
    phase: status.phase ?? 'Unknown',
    ready: (status.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True'),
    containers: status.containerStatuses ?? [],
    initContainers: status.initContainerStatuses ?? [],
    ephemeralContainers: status.ephemeralContainerStatuses ?? [],
  };
}

/** The waiting reasons that mean the image will not come by waiting. */
const IMAGE_FAILURES = ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName'];
const IMAGE_HINT =
  'The images are built on this machine: on kind the demo loads them, elsewhere give --registry HOST:PORT, a registry this machine can push to and the cluster pulls from';

/** The annotation that marks a namespace as this project's own, and which of its commands made it. */
const CREATED_BY = 'podmates.dev/created-by';
/** The demo and the bench's kind Pod share the namespace: what one left, the other may clear. */
export type NamespaceMaker = 'npm-run-demo' | 'npm-run-bench';
const MAKERS: readonly string[] = ['npm-run-demo', 'npm-run-bench'] satisfies NamespaceMaker[];

export class Kube {
  /** What each image of the manifests is deployed as (see `deployImages`); as written until then. */
  private images: Record<string, string> = {};

  /** Reads that polls repeat (Pods, Jobs), through one kubectl proxy that dies with this process. */
  private readonly reader: ApiReader;

  /** `kubeconfig`: a file of its own (a kind cluster's); else kubectl's own choice ($KUBECONFIG, ~/.kube/config). */
  constructor(
    readonly context: string,
    readonly kubeconfig?: string,
  ) {
    this.reader = new ApiReader(this.command);
  }

  /** The kubectl command line for this cluster, for the few callers that run it themselves. */
  get command(): string[] {
    return ['kubectl', ...(this.kubeconfig ? ['--kubeconfig', this.kubeconfig] : []), '--context', this.context];
  }

  /**
   * From now on deploy `from` (an image the manifests name, e.g.
   * podmates/app:0.1.0) as `to` (its content tag, in the registry the
   * cluster pulls from, when there is one).
   */
  deployImages(images: Record<string, string>): void {
    this.images = images;
  }

  /** The reference the cluster runs for an image the manifests name. */
  imageRef(image: string): string {
    return this.images[image] ?? image;
  }

  /** kubectl in the demo's namespace: `-n podmates` before the arguments. */
  inNamespace(args: string[], options: KubectlOptions = {}): Promise<Output> {
    return this.kubectl(['-n', NAMESPACE, ...args], options);
  }

  kubectl(args: string[], options: KubectlOptions = {}): Promise<Output> {
    const [command, ...prefix] = this.command;
    return run([command!, ...prefix, ...args], {
      timeoutMs: options.timeoutMs ?? 120_000,
      ...(options.allowFailure ? { allowFailure: true } : {}),
      ...(options.input === undefined ? {} : { input: options.input }),
    });
  }

  /**
   * Applies a kustomization directory (as `kubectl apply -k` would), its
   * Deployment and Service renamed to `as` when given; returns the API
   * server's warnings.
   */
  async apply(directory: string, as?: string, env: ContainerEnv = {}): Promise<string[]> {
    const objects = await renderDirectory(directory);
    const refused = outsideNamespace(objects, NAMESPACE);
    if (refused.length > 0) {
      throw new CommandFailed(
        `${directory} holds objects the demo does not apply on your cluster, only what lives in namespace ${NAMESPACE}: ${refused.join('; ')}`,
      );
    }
    const rendered = toYaml(withImages(withEnv(as ? renamed(objects, as) : objects, env), this.images));
    // A step's own objects (renamed, deleted after the step) are applied on
    // the server: kubectl then skips downloading and reading the OpenAPI
    // documents (0.1 CPU-seconds an apply here instead of 0.5) and the API
    // server still refuses an unknown field. The base stays a client-side apply: it
    // is kept, and a reader's `kubectl apply -k` of an overlay over it needs
    // the last-applied annotation (without it kubectl cannot tell that the
    // native-sidecar overlay moved the sidecar out of `containers`).
    const how = as ? ['--server-side', '--force-conflicts', '--validate=false'] : [];
    const output = await this.kubectl(['apply', ...how, '-f', '-'], { input: rendered });
    return output.stderr.split('\n').filter((line) => line.startsWith('Warning:'));
  }

  /**
   * Deletes the namespace; Kubernetes finishes it in the background (10-30 s
   * here). Its Pods get one second: the run is over, and each would
   * otherwise take its preStop and drain.
   */
  async deleteNamespace(): Promise<void> {
    await this.inNamespace(['delete', 'pods', '--all', '--grace-period=1', '--wait=false', '--ignore-not-found']);
    await this.kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  }

  /** Waits until a namespace being deleted (by an earlier run's clean-up) has gone; returns at once otherwise. */
  async namespaceGone(progress: Progress): Promise<void> {
    const phase = (await this.kubectl(['get', 'namespace', NAMESPACE, '-o', 'jsonpath={.status.phase}'], { allowFailure: true })).stdout;
    if (phase !== 'Terminating') return;
    progress(`waiting for the namespace ${NAMESPACE}, which an earlier run deleted, to go`);
    await this.kubectl(['wait', '--for=delete', `namespace/${NAMESPACE}`, '--timeout=120s'], { timeoutMs: 130_000 });
  }

  /**
   * Makes the namespace this project's (marked with who made it), or finds
   * it is from an earlier run of the demo or the bench (its annotation says
   * so); refuses one that is someone else's, which neither ever clears,
   * relabels or deletes. Call after namespaceGone.
   */
  async claimNamespace(by: NamespaceMaker): Promise<'created' | 'from an earlier run'> {
    const found = await this.kubectl(
      ['get', 'namespace', NAMESPACE, '-o', `jsonpath={.metadata.annotations.${CREATED_BY.replaceAll('.', '\\.')}}`],
      { allowFailure: true },
    );
    if (found.exitCode === 0) {
      if (MAKERS.includes(found.stdout)) return 'from an earlier run';
      throw new CommandFailed(
        `namespace ${NAMESPACE} exists in ${this.context} and was not made by this project's demo or bench (no annotation ${CREATED_BY}=${MAKERS.join(' or ')}): they touch only a namespace they made. Delete it yourself (kubectl delete namespace ${NAMESPACE}) or choose another cluster`,
      );
    }
    if (!/NotFound/.test(found.stderr)) throw new CommandFailed(`kubectl get namespace ${NAMESPACE}: ${found.stderr.trim()}`);
    await this.kubectl(['create', 'namespace', NAMESPACE]);
    // Not in the manifests' applied configuration, so `kubectl apply` leaves it.
    await this.kubectl(['annotate', 'namespace', NAMESPACE, `${CREATED_BY}=${by}`]);
    return 'created';
  }

  async serverVersion(): Promise<string> {
    const output = await this.kubectl(['version', '-o', 'json'], { timeoutMs: 20_000 });
    return (JSON.parse(output.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion;
  }

  /**
   * How many nodes can take the demo's Pods: not cordoned, no NoSchedule or
   * NoExecute taint (a control plane's). Null when the nodes cannot be read
   * (on a cluster where the demo has no cluster-wide rights).
   */
  async schedulableNodes(): Promise<number | null> {
    const output = await this.kubectl(['get', 'nodes', '-o', 'json'], { allowFailure: true });
    if (output.exitCode !== 0) return null;
    type Node = { spec?: { unschedulable?: boolean; taints?: Array<{ effect?: string }> } };
    const nodes = (JSON.parse(output.stdout) as { items: Node[] }).items;
    return nodes.filter(
      ({ spec }) =>
        !spec?.unschedulable && !(spec?.taints ?? []).some((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute'),
    ).length;
  }

  /** Waits until every node is Ready (a kind node just made turns Ready while images load). */
  async nodesReady(): Promise<void> {
    await this.kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s'], { timeoutMs: 190_000 });
  }

  /**
   * Waits for the Deployment's rollout; fails at once, saying which image,
   * when one of its Pods cannot get an image (the cluster cannot see the
   * images: they would never come, and the rollout would wait it out).
   */
  async rollout(deployment: string, timeoutSeconds: number): Promise<void> {
    const status = this.inNamespace(['rollout', 'status', `deployment/${deployment}`, `--timeout=${timeoutSeconds}s`], {
      timeoutMs: (timeoutSeconds + 10) * 1000,
    });
    let settled = false;
    const finished = status.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      const failure = await this.imageFailure(`${NAME_LABEL}=${deployment}`);
      if (failure) throw new CommandFailed(`deployment/${deployment} cannot start: ${failure}`);
      await Promise.race([finished, sleep(2000)]);
    }
    await status;
  }

  /** Why a Pod with this label cannot get one of its images, or null. */
  async imageFailure(selector: string): Promise<string | null> {
    const list = await this.reader.get(this.podsPath(selector)).catch(() => null);
    if (list === null) return null;
    type Status = { image: string; state?: { waiting?: { reason?: string; message?: string } } };
    const pods = (
      list as {
        items: Array<{ metadata: { name: string }; status: { containerStatuses?: Status[]; initContainerStatuses?: Status[] } }>;
      }
    ).items;
    for (const pod of pods) {
      for (const container of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) {
        const waiting = container.state?.waiting;
        if (waiting?.reason && IMAGE_FAILURES.includes(waiting.reason)) {
          return `${pod.metadata.name} cannot get image ${container.image}: ${waiting.reason}${waiting.message ? ` (${waiting.message.slice(0, 300)})` : ''}. ${IMAGE_HINT}`;
        }
      }
    }
    return null;
  }

  /**
   * Deletes the Deployment, the Service and the NetworkPolicy named `name` (see apply's `as`) and
   * waits until its Pods have gone. They get one second, not their grace
   * period: what they had to show is shown, and until they have gone their
   * queues count against the UID's budget. `wait: false` returns once the
   * deletion is under way.
   */
  async deleteApp(name: string, wait = true): Promise<void> {
    const pods = `${NAME_LABEL}=${name}`;
    // The Deployment and its ReplicaSets leave their Pods behind: deleted by
    // the garbage collector, the Pods would get their full grace period (the
    // preStop's 5 s, then the drain), and a ReplicaSet would make new ones.
    await this.inNamespace([
      'delete',
      `deployment/${name}`,
      `service/${name}`,
      `networkpolicy/${name}`,
      '--ignore-not-found',
      '--cascade=orphan',
    ]);
    await this.inNamespace(['delete', 'replicaset', '-l', pods, '--cascade=orphan']);
    await this.inNamespace(['delete', 'pod', '-l', pods, '--grace-period=1', '--wait=false']);
    if (wait) await this.inNamespace(['wait', '--for=delete', 'pod', '-l', pods, '--timeout=60s'], { allowFailure: true });
  }

  /**
   * Deletes every Deployment, Service, Pod and NetworkPolicy in the namespace
   * (what an earlier run kept) and waits until they have gone. Its Pods get
   * one second, as at the end of a run: that run is over, and each would
   * otherwise take its preStop and drain. The Deployments and their
   * ReplicaSets go first, leaving their Pods (--cascade=orphan): deleted by
   * the garbage collector they would get their full grace period, 6 s of a
   * warm run's start (measured), and a ReplicaSet would make new ones.
   */
  async clearNamespace(): Promise<void> {
    await this.inNamespace(['delete', 'deployment,replicaset', '--all', '--cascade=orphan']);
    await this.inNamespace(['delete', 'pod,service,networkpolicy', '--all', '--grace-period=1', '--wait=true', '--timeout=90s'], {
      timeoutMs: 100_000,
    });
  }

  /**
   * `kubectl port-forward` to a port of the Pod, on a free local port, as
   * `as` (impersonation) when given. Resolves once it forwards; rejects with
   * kubectl's own words when it cannot.
   */
  async portForward(pod: string, port: number, as?: string): Promise<{ localPort: number; close: () => void }> {
    const [command, ...prefix] = this.command;
    const child = execa(command!, [...prefix, '-n', NAMESPACE, 'port-forward', `pod/${pod}`, `:${port}`, ...(as ? ['--as', as] : [])], {
      reject: false,
    });
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => fail('no "Forwarding from" line within 20 s'), 20_000);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill();
        reject(new CommandFailed(`kubectl port-forward pod/${pod} :${port}${as ? ` --as ${as}` : ''}: ${why}`));
      };
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const forwarding = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
        if (!forwarding) return;
        clearTimeout(timer);
        resolve({ localPort: Number(forwarding[1]), close: () => child.kill() });
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      void child.then(() => fail(output.trim().split('\n').at(-1) ?? 'exited'));
    });
  }

  /** Returns once a Pod with this label has been given a node. */
  async scheduled(selector: string): Promise<void> {
    await pollUntil(async () => (await this.podsByLabel(selector)).some((pod) => pod.node), {
      timeoutMs: 60_000,
      what: `a Pod with ${selector} on a node`,
      intervalMs: 100,
    });
  }

  /** The Pods with this label that have not finished (or also those that have: a Job's), terminating ones included. */
  async podsByLabel(selector: string, finished: 'without finished' | 'with finished' = 'without finished'): Promise<PodStatus[]> {
    const list = await this.reader.get(this.podsPath(selector));
    return (list as { items: unknown[] }).items
      .map(parsePod)
      .filter((pod) => finished === 'with finished' || (pod.phase !== 'Succeeded' && pod.phase !== 'Failed'));
  }

  private podsPath(selector: string): string {
    return `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=${encodeURIComponent(selector)}`;
  }

  /** An object of the demo's namespace as the API server has it, e.g. namespaced('batch/v1', 'jobs', name). */
  async namespaced(group: string, resource: string, name: string): Promise<unknown> {
    const root = group === 'v1' ? '/api/v1' : `/apis/${group}`;
    return this.reader.get(`${root}/namespaces/${NAMESPACE}/${resource}/${encodeURIComponent(name)}`);
  }

  /** The one Pod with this label (one replica, and no rollout under way). */
  async podByLabel(selector: string): Promise<PodStatus> {
    const items = await this.podsByLabel(selector);
    if (items.length !== 1)
      throw new Error(`expected one Pod with ${selector}, found ${items.length}: ${items.map((pod) => pod.name).join(', ')}`);
    return items[0]!;
  }

  async serviceIP(name: string): Promise<string> {
    return (await this.inNamespace(['get', 'service', name, '-o', 'jsonpath={.spec.clusterIP}'])).stdout.trim();
  }

  async pod(name: string): Promise<PodStatus> {
    return parsePod(await this.namespaced('v1', 'pods', name));
  }

  async exec(pod: string, container: string, command: string[], timeoutMs = 120_000): Promise<Output> {
    return this.inNamespace(['exec', pod, '-c', container, '--', ...command], { timeoutMs });
  }

  /** The probe CLI inside a container of a Pod, through kubectl exec, each call given `timeoutMs`. */
  probe(pod: string, container: string, options: ProbeOptions = {}, timeoutMs = 120_000): ProbeClient {
    return probeClient(async (words) => {
      const { stdout } = await this.exec(pod, container, [...PROBE_COMMAND, ...words], timeoutMs);
      // The probe always prints its answer; kubectl exits 0 without it when its stream is cut (kubernetes/kubernetes#137404).
      if (stdout.trim() === '')
        throw new AnswerLost(
          `kubectl exec ${pod} -c ${container} -- probe ${words.join(' ')}: exit 0 without the probe's answer (the stream was cut)`,
        );
      return JSON.parse(stdout) as unknown;
    }, options);
  }

  /**
   * Adds an ephemeral container running the app's image to a running Pod
   * (`kubectl debug`, profile "restricted" as the namespace's Pod Security
   * demands), in `target`'s pid namespace when given, waits for it to exit and
   * returns its output. Ephemeral containers cannot be removed: it stays in
   * the Pod's spec, exited, until the Pod goes.
   */
  async runEphemeral(pod: string, name: string, command: string[], target?: string): Promise<string> {
    const image = this.imageRef(imageName('app'));
    await this.kubectl([
      '-n',
      NAMESPACE,
      'debug',
      `pod/${pod}`,
      '--profile=restricted',
      `--container=${name}`,
      `--image=${image}`,
      '--image-pull-policy=IfNotPresent',
      ...(target ? [`--target=${target}`] : []),
      '--',
      ...command,
    ]);
    await pollUntil(
      async () => (await this.pod(pod)).ephemeralContainers.some((status) => status.name === name && status.state.terminated !== undefined),
      {
        timeoutMs: 60_000,
        what: `the ephemeral container ${name} to run and exit`,
      },
    );
    return this.logs(pod, name);
  }

  /** The container's log from now until it exits (kubectl logs --follow), or until `timeoutMs`. */
  async logsUntilExit(pod: string, container: string, timeoutMs: number): Promise<string> {
    return (await this.inNamespace(['logs', '--follow', pod, '-c', container], { allowFailure: true, timeoutMs })).stdout;
  }

  /**
   * A container's log (`kubectl logs POD -c CONTAINER [--previous]`), read
   * through the API reader's proxy: the steps read about 60 logs a run. Empty
   * when there is none (no previous run, the Pod gone).
   */
  async logs(pod: string, container: string, previous = false): Promise<string> {
    const query = `container=${encodeURIComponent(container)}${previous ? '&previous=true' : ''}`;
    return this.reader.text(`/api/v1/namespaces/${NAMESPACE}/pods/${encodeURIComponent(pod)}/log?${query}`).catch(() => '');
  }
}

/**
 * Events, descriptions and every container's current and previous logs, for a
 * person to read after a failure, in `folder` (under the run's); returns it.
 */
export async function saveKubeArtifacts(kube: Kube, folder: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const save = async (file: string, args: string[]) =>
    writeFileSync(join(folder, file), (await kube.inNamespace(args, { allowFailure: true })).stdout);
  await save('events.txt', ['get', 'events', '--sort-by=.lastTimestamp']);
  await save('describe-pods.txt', ['describe', 'pods']);
  await save('pods.json', ['get', 'pods', '-o', 'json']);
  const pods = JSON.parse((await kube.inNamespace(['get', 'pods', '-o', 'json'], { allowFailure: true })).stdout || '{"items":[]}') as {
    items: Array<{ metadata: { name: string }; spec: { containers: Array<{ name: string }>; initContainers?: Array<{ name: string }> } }>;
  };
  for (const pod of pods.items) {
    for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
      writeFileSync(join(folder, `${pod.metadata.name}.${container.name}.log`), await kube.logs(pod.metadata.name, container.name));
      writeFileSync(
        join(folder, `${pod.metadata.name}.${container.name}.previous.log`),
        await kube.logs(pod.metadata.name, container.name, true),
      );
    }
  }
  return folder;
}

// Which kind and which node image the demo uses, and the kind cluster's
// lifecycle. On a machine that reaches no registry, the kind CLI and node
// image built by scripts/airgap/build.sh are used when they exist.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CommandFailed, run, stream } from './commands.js';
import { imageExists } from './docker.js';
import { Kube } from './kube.js';
import { PROJECT_ROOT, readShellPin } from './project.js';
import { seconds, type Progress } from './report.js';
import { apiServerReady } from './api-server-ready.js';

const AIRGAP = join(PROJECT_ROOT, 'scripts/airgap');

export interface ClusterPlan {
  kind: string;
  image: string | undefined; // undefined: kind's own default node image
  config: string | undefined;
  origin: string;
  /** The node image is the air-gapped build's, which holds the NetworkPolicy enforcer's image (manifests/cluster/network-policies.yaml). */
  enforcerInImage: boolean;
}

/** What the air-gapped build (scripts/airgap/build.sh) makes, from its pins. */
export function airgapPins(): {
  cache: string;
  kind: string;
  kubectl: string;
  nodeImage: string;
  usernsNodeImage: string;
  officialNodeImage: string;
} {
  const pin = (name: string) => readShellPin('scripts/airgap/versions.sh', name);
  const cache = process.env.AIRGAP_CACHE ?? pin('AIRGAP_CACHE');
  return {
    cache,
    kind: join(cache, 'bin', `kind-${pin('KIND_VERSION')}`, 'kind'),
    kubectl: join(cache, 'bin', `kubernetes-${pin('KUBE_VERSION')}`, 'kubectl'),
    nodeImage: pin('NODE_IMAGE'),
    usernsNodeImage: pin('USERNS_NODE_IMAGE'),
    officialNodeImage: pin('OFFICIAL_NODE_IMAGE'),
  };
}

export async function onPath(command: string): Promise<boolean> {
  return (await run(['sh', '-c', `command -v ${command}`], { allowFailure: true })).exitCode === 0;
}

export const BUILD_AIRGAP = 'sudo bash scripts/airgap/build.sh';

/**
 * Which kind, node image and config the demo uses: the air-gapped build's when
 * it exists (scripts/setup/host-setup.ts makes it when no registry answers),
 * else kind's own node image, which kind pulls.
 */
export async function planCluster(image: string | undefined): Promise<ClusterPlan> {
  const pins = airgapPins();
  const airgapConfig = join(AIRGAP, 'kind-config.yaml');
  const airgapReady = existsSync(pins.kind) && (await imageExists(pins.nodeImage));
  const kind = (await onPath('kind')) ? 'kind' : existsSync(pins.kind) ? pins.kind : null;
  if (!kind) {
    throw new CommandFailed(
      `kind is not installed: \`go install sigs.k8s.io/kind@v0.30.0\` (with internet), or \`${BUILD_AIRGAP}\` (no registry needed) builds kind and a node image`,
    );
  }
  if (image) {
    const airgapped = image === pins.nodeImage || image === pins.usernsNodeImage;
    // The user-namespace node runs its kubelet with cgroupfs (kind-config.userns.yaml says why).
    const config = image === pins.usernsNodeImage ? join(AIRGAP, 'kind-config.userns.yaml') : airgapped ? airgapConfig : undefined;
    return { kind, image, config, origin: 'given with --image', enforcerInImage: airgapped };
  }
  if (airgapReady) {
    return {
      kind: pins.kind,
      image: pins.nodeImage,
      config: airgapConfig,
      origin: 'air-gapped build (scripts/airgap)',
      enforcerInImage: true,
    };
  }
  return { kind, image: undefined, config: undefined, origin: "kind's default node image (pulled)", enforcerInImage: false };
}

export function kindKubeconfig(name: string): string {
  return join(homedir(), '.kube', `kind-${name}.yaml`);
}

/** kubectl for the kind cluster `name`, through its own kubeconfig. */
export function kindKube(name: string): Kube {
  return new Kube(`kind-${name}`, kindKubeconfig(name));
}

/**
 * The kind cluster behind a kubectl context named kind-NAME, when this
 * machine's kind knows it: the demo then reaches its nodes (steps 5h, 5o)
 * without having made it, and never deletes it.
 */
export async function kindBehind(context: string): Promise<KindCluster | null> {
  const name = /^kind-(.+)$/.exec(context)?.[1];
  const pins = airgapPins();
  const kind = (await onPath('kind')) ? 'kind' : existsSync(pins.kind) ? pins.kind : null;
  if (!name || !kind) return null;
  const cluster = new KindCluster({ kind, image: undefined, config: undefined, origin: 'made elsewhere', enforcerInImage: false }, name);
  return (await cluster.exists()) ? cluster : null;
}

export class KindCluster {
  constructor(
    readonly plan: ClusterPlan,
    readonly name: string,
  ) {}

  get context(): string {
    return `kind-${this.name}`;
  }

  /**
   * The cluster's kubeconfig, a file of its own (~/.kube/kind-NAME.yaml): kind
   * would otherwise add it to ~/.kube/config and make it the current context.
   */
  get kubeconfig(): string {
    return kindKubeconfig(this.name);
  }

  kube(): Kube {
    return kindKube(this.name);
  }

  /** Writes the kubeconfig of a cluster made elsewhere (or before it had a file of its own). */
  private async writeKubeconfig(): Promise<void> {
    const { stdout } = await run([this.plan.kind, 'get', 'kubeconfig', '--name', this.name]);
    mkdirSync(dirname(this.kubeconfig), { recursive: true });
    writeFileSync(this.kubeconfig, stdout, { mode: 0o600 });
    chmodSync(this.kubeconfig, 0o600);
  }

  async version(): Promise<string> {
    return (await run([this.plan.kind, 'version'])).stdout.trim();
  }

  async exists(): Promise<boolean> {
    const clusters = (await run([this.plan.kind, 'get', 'clusters'])).stdout.split('\n');
    return clusters.includes(this.name);
  }

  /**
   * Makes a cluster kept from before usable: it may have stopped with the
   * machine (kind has no command to start it: its node containers are
   * started), or be coming back up with Docker (its API server is waited
   * for, api-server-ready.ts). Writes its kubeconfig. Says what it did.
   */
  async reuse(progress: Progress): Promise<string> {
    const nodes = (await run([this.plan.kind, 'get', 'nodes', '--name', this.name])).stdout.split('\n').filter(Boolean);
    const states = await Promise.all(nodes.map((node) => run(['docker', 'inspect', '-f', '{{.State.Running}}', node])));
    const stopped = nodes.filter((_, i) => states[i]!.stdout.trim() !== 'true');
    if (stopped.length) {
      progress(`starting its stopped node container${stopped.length > 1 ? 's' : ''}: ${stopped.join(', ')}`);
      await run(['docker', 'start', ...stopped]);
    }
    const moved = await this.giveBackAddresses(nodes, progress);
    // kind reads the kubeconfig from a running control-plane node.
    await this.writeKubeconfig();
    const waited = await apiServerReady(this.kube(), progress).catch((error: unknown) => {
      throw new CommandFailed(
        `kind cluster ${this.name} exists, but its API server is not ready: ${(error as Error).message}. ` +
          `Delete it (kind delete cluster --name ${this.name}) and run again: a new one is made`,
      );
    });
    return [
      ...(stopped.length ? [`started ${stopped.join(', ')}`] : []),
      ...(moved.length ? [`gave ${moved.join(', ')} back the addresses they were made at`] : []),
      `API server ready after ${seconds(waited)}`,
    ].join(', ');
  }

  /**
   * Docker hands a started container any free address of its network, and
   * the nodes of a cluster started again in another order swap theirs. The
   * control plane was set up with the address its node was made at
   * (kubeadm's node-ip and advertiseAddress, in the node's
   * /kind/kubeadm.conf) and does not come up at another (the test of this
   * with the repair switched off waited 180 s in vain): a node that came
   * back elsewhere is stopped, reconnected at its own address, and started.
   * Returns the nodes it moved.
   */
  private async giveBackAddresses(nodes: string[], progress: Progress): Promise<string[]> {
    // kind's network, unless its experimental variable names another.
    const network = process.env.KIND_EXPERIMENTAL_DOCKER_NETWORK || 'kind';
    const found = await Promise.all(
      nodes.map(async (node) => {
        const made = (await run(['docker', 'exec', node, 'sed', '-n', 's/^ *node-ip: *//p', '/kind/kubeadm.conf'])).stdout.split('\n')[0];
        const now = (
          await run(['docker', 'inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, node])
        ).stdout.trim();
        return { node, made, now };
      }),
    );
    const moved = found.filter(({ made, now }) => made && now && made !== now);
    if (!moved.length) return [];
    progress(`${moved.map(({ node, made, now }) => `${node} came back at ${now}, not ${made}`).join('; ')}: giving the addresses back`);
    const names = moved.map(({ node }) => node);
    await run(['docker', 'stop', ...names]);
    for (const node of names) await run(['docker', 'network', 'disconnect', network, node]);
    for (const { node, made } of moved) await run(['docker', 'network', 'connect', '--ip', made!, network, node]);
    await run(['docker', 'start', ...names]);
    return names;
  }

  /** Returns once the control plane runs, before the node is Ready (its network plugin still starting): images can be loaded meanwhile. */
  async create(progress: Progress): Promise<void> {
    mkdirSync(dirname(this.kubeconfig), { recursive: true });
    const args = [this.plan.kind, 'create', 'cluster', '--name', this.name, '--kubeconfig', this.kubeconfig];
    if (this.plan.image) args.push('--image', this.plan.image);
    if (this.plan.config) args.push('--config', this.plan.config);
    try {
      await stream(args, (line) => progress(line.trim()));
    } catch (error) {
      const hint = this.plan.image
        ? ''
        : `; without registry access, build an offline node image: ${BUILD_AIRGAP} (or pass --build-airgap)`;
      throw new CommandFailed(`${(error as Error).message}${hint}`);
    }
  }

  async load(images: string[]): Promise<void> {
    await run([this.plan.kind, 'load', 'docker-image', '--name', this.name, ...images], { timeoutMs: 300_000 });
  }

  /**
   * SIGKILLs a container's main process from its node, as the OOM killer does.
   * From inside the container it cannot be done: the kernel ignores SIGKILL
   * sent to a pid namespace's init (PID 1) by a process in that namespace.
   * A kind node is a Docker container named after the node; crictl in it
   * knows each container's pid in the node's pid namespace.
   */
  async killContainerProcess(node: string, containerID: string): Promise<number> {
    const pid = await this.containerPid(node, containerID);
    await run(['docker', 'exec', node, 'kill', '-KILL', String(pid)]);
    return pid;
  }

  /** A container's main process in the node's pid namespace: crictl in the node knows it. */
  async containerPid(node: string, containerID: string): Promise<number> {
    const id = containerID.replace(/^[a-z]+:\/\//, '');
    const pid = (
      await run(['docker', 'exec', node, 'crictl', 'inspect', '--output', 'go-template', '--template', '{{.info.pid}}', id])
    ).stdout.trim();
    if (!/^\d+$/.test(pid)) throw new CommandFailed(`crictl on ${node} gave no pid for container ${id}: ${pid}`);
    return Number(pid);
  }

  /**
   * The UID a process runs as on its node: the owner of its /proc entry.
   * (The node's ps prints UIDs from 2^31 up, which user-namespaced Pods get, as negative numbers.)
   */
  async processUid(node: string, pid: number): Promise<number> {
    const uid = (await run(['docker', 'exec', node, 'stat', '-c', '%u', `/proc/${pid}`])).stdout.trim();
    if (!/^\d+$/.test(uid)) throw new CommandFailed(`stat on ${node} gave no UID for process ${pid}: ${uid}`);
    return Number(uid);
  }

  /** The main process of a Pod's sandbox (on containerd, its pause) in the node's pid namespace. */
  async sandboxPid(node: string, namespace: string, pod: string): Promise<number> {
    const ids = (
      await run(['docker', 'exec', node, 'crictl', 'pods', '--namespace', namespace, '--name', `^${pod}$`, '--state', 'ready', '-q'])
    ).stdout;
    const [id] = ids.trim().split('\n');
    if (!id) throw new CommandFailed(`crictl on ${node} knows no ready sandbox of Pod ${namespace}/${pod}`);
    const pid = (
      await run(['docker', 'exec', node, 'crictl', 'inspectp', '--output', 'go-template', '--template', '{{.info.pid}}', id])
    ).stdout.trim();
    if (!/^\d+$/.test(pid)) throw new CommandFailed(`crictl on ${node} gave no pid for sandbox ${id}: ${pid}`);
    return Number(pid);
  }

  /** What a process on the node is (its command name) and its user, net and IPC namespaces; PID 1's are the node's own. */
  async processNamespaces(node: string, pid: number): Promise<{ command: string; user: string; net: string; ipc: string }> {
    const at = `/proc/${pid}`;
    const { stdout } = await run(['docker', 'exec', node, 'sh', '-c', `cat ${at}/comm; readlink ${at}/ns/user ${at}/ns/net ${at}/ns/ipc`]);
    const [command = '', user = '', net = '', ipc = ''] = stdout.trim().split('\n');
    return { command, user, net, ipc };
  }

  /** The CNI configuration the kubelet's runtime uses on this node: its name and plugin types. */
  async cniConfig(node: string): Promise<string> {
    // containerd uses the first file in name order.
    const { stdout } = await run(['docker', 'exec', node, 'sh', '-c', 'cd /etc/cni/net.d && f=$(ls | head -n 1) && echo "$f" && cat "$f"']);
    const [file = '', ...json] = stdout.trim().split('\n');
    const config = JSON.parse(json.join('\n')) as { name?: string; plugins?: Array<{ type?: string }> };
    return `${config.name ?? 'unnamed'} (plugins ${(config.plugins ?? []).map((plugin) => plugin.type).join(', ')}; /etc/cni/net.d/${file} on ${node})`;
  }

  async delete(): Promise<void> {
    await run([this.plan.kind, 'delete', 'cluster', '--name', this.name, '--kubeconfig', this.kubeconfig], { timeoutMs: 120_000 });
    rmSync(this.kubeconfig, { force: true });
  }
}

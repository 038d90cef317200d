// Verdicts on what a probe saw inside a Pod. Each judge is pure: it takes the
// probe's JSON and returns the problems found, worded to say what broke. The
// namespace tests, the compose demo and the kind demo all use these same judges.
import { NAMESPACE_KINDS, type NamespaceKind } from '../../apps/shared/namespaces.js';

export class CheckFailed extends Error {
  constructor(
    readonly check: string,
    readonly problems: string[],
  ) {
    super(`${check}: ${problems.join('; ')}`);
  }
}

export function assertCheck(check: string, problems: string[]): void {
  if (problems.length > 0) throw new CheckFailed(check, problems);
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface NamespaceExpectation {
  shared: NamespaceKind[];
  separate: NamespaceKind[];
}

/** In a Pod: net, ipc and uts are the pause container's; pid and mnt are each container's own. */
export const POD_NAMESPACES: NamespaceExpectation = { shared: ['net', 'ipc', 'uts'], separate: ['pid', 'mnt'] };

/** Judges the app's GET /pod answer. */
export function judgeNamespaces(report: unknown, expected: NamespaceExpectation): string[] {
  const app = isObject(report) && isObject(report.app) ? report.app.namespaces : undefined;
  const sidecar = isObject(report) && isObject(report.sidecar) ? report.sidecar.namespaces : undefined;
  if (!isObject(app) || !isObject(sidecar)) return [`GET /pod did not report both containers' namespaces: ${JSON.stringify(report)}`];
  const problems: string[] = [];
  for (const kind of NAMESPACE_KINDS) {
    const same = app[kind] === sidecar[kind];
    if (expected.shared.includes(kind) && !same) {
      problems.push(`${kind} namespace is not shared: app is in ${String(app[kind])}, sidecar in ${String(sidecar[kind])}`);
    }
    if (expected.separate.includes(kind) && same) {
      problems.push(`${kind} namespace is shared (${String(app[kind])}) but each container should have its own`);
    }
  }
  return problems;
}

/** Judges the probe's `roundtrip` result: every message accepted, processed once, none lost. */
export function judgeRoundTrip(result: unknown, count: number): string[] {
  if (!isObject(result)) return [`round trip produced no result: ${JSON.stringify(result)}`];
  const problems: string[] = [];
  const lost = Array.isArray(result.lost) ? result.lost : [];
  const duplicated = Array.isArray(result.duplicated) ? result.duplicated : [];
  const refused = Array.isArray(result.refused) ? result.refused : [];
  if (result.accepted !== count) problems.push(`only ${String(result.accepted)} of ${count} messages were accepted`);
  if (refused.length > 0) problems.push(`${refused.length} messages were refused, first: ${JSON.stringify(refused[0])}`);
  if (lost.length > 0) {
    problems.push(
      `${lost.length} of ${String(result.accepted)} accepted messages never came back through the reply queue (first: ${String(lost[0])}); ` +
        'is the sidecar reading the same queue, in the same IPC namespace?',
    );
  }
  if (duplicated.length > 0)
    problems.push(
      `${duplicated.length} messages were taken by the sidecar more often than the app pushed them (first: ${String(duplicated[0])}): a copy came from elsewhere, and the work may have been done twice`,
    );
  return problems;
}

export interface IsolationObservation {
  /** The probe's `mq-open` result for the Pod's request queue, seen from outside the Pod. */
  queue: unknown;
  /** The probe's `connect` result for the sidecar's port, seen from outside the Pod. */
  sidecarPort: unknown;
  sidecarAddress: string;
}

/** From outside the Pod, its queue must not exist and its sidecar must not answer. */
export function judgeIsolation(seen: IsolationObservation): string[] {
  const problems: string[] = [];
  if (!isObject(seen.queue) || seen.queue.ok !== false) {
    problems.push(
      `the Pod's message queue can be opened from outside the Pod (${JSON.stringify(seen.queue)}): the IPC namespace is shared with it`,
    );
  } else if (!String(seen.queue.error).includes('No such file or directory')) {
    problems.push(`opening the Pod's queue from outside failed, but not because it does not exist there: ${String(seen.queue.error)}`);
  }
  if (!isObject(seen.sidecarPort) || seen.sidecarPort.ok !== false) {
    problems.push(
      `the sidecar at ${seen.sidecarAddress} accepted a connection from outside the Pod: it should only be reachable on the Pod's loopback`,
    );
  } else if (seen.sidecarPort.code !== 'ECONNREFUSED') {
    problems.push(
      `connecting to the sidecar at ${seen.sidecarAddress} from outside failed with ${String(seen.sidecarPort.code)}, expected ECONNREFUSED`,
    );
  }
  return problems;
}

export interface ClashObservation {
  exitCode: number | null;
  output: string;
  port: number;
}

/** A second listener on a port of the same network namespace must fail loudly with the documented code. */
export function judgeClash(seen: ClashObservation, expectedExitCode: number): string[] {
  const problems: string[] = [];
  if (seen.exitCode === 0 || seen.exitCode === null) {
    problems.push(
      `the clashing container did not fail (exit code ${String(seen.exitCode)}): port ${seen.port} is not held by another process of the same network namespace`,
    );
  } else if (seen.exitCode !== expectedExitCode) {
    problems.push(`the clashing container exited with ${seen.exitCode}, expected ${expectedExitCode} (port in use)`);
  }
  if (!seen.output.includes('address already in use')) {
    const last = seen.output.trim().split('\n').at(-1) ?? '';
    problems.push(
      `the clashing container's log does not say "address already in use" for port ${seen.port} (last line: ${last === '' ? 'none' : last})`,
    );
  }
  return problems;
}

/**
 * Judges the probe's `load` result: every message answered 202 was processed,
 * once in effect, with the right result, whatever happened to the containers.
 */
export function judgeDelivery(result: unknown, count: number): string[] {
  if (!isObject(result)) return [`the load produced no result: ${JSON.stringify(result)}`];
  const list = (field: string) => (Array.isArray(result[field]) ? (result[field] as unknown[]) : []);
  const first = (items: unknown[]) => `first: ${String(items[0])}`;
  const problems: string[] = [];
  if (result.accepted !== count) problems.push(`only ${String(result.accepted)} of ${count} messages were accepted before the deadline`);
  const refused = list('refused');
  if (refused.length > 0) problems.push(`${refused.length} messages were refused for good, first: ${JSON.stringify(refused[0])}`);
  const notFound = list('notFound');
  if (notFound.length > 0) {
    problems.push(
      `${notFound.length} accepted messages are unknown to the app (404): its record of what it accepted did not survive (${first(notFound)})`,
    );
  }
  const lost = list('lost');
  if (lost.length > 0) {
    problems.push(
      `${lost.length} accepted messages were never processed (${first(lost)}): ` +
        'a request taken by a sidecar that died, or a reply read by an app that died, was not delivered again',
    );
  }
  const failed = list('failed');
  if (failed.length > 0) problems.push(`${failed.length} accepted messages were given up after their last redelivery (${first(failed)})`);
  const wrong = list('wrong');
  if (wrong.length > 0) problems.push(`${wrong.length} messages were processed with a wrong result (${first(wrong)})`);
  return problems;
}

export interface StartOrder {
  /** When the sidecar first answered /healthz (ms), if it ever did. */
  sidecarFirstAnswered: number | undefined;
  /** When the app's process was exec'd (ms). */
  appProcessStarted: number | undefined;
}

/**
 * A native sidecar's promise: the kubelet starts the app only once the
 * sidecar's startup probe has passed. The probe's GET /healthz is then the
 * first the sidecar answers, before the app's process exists; in any other
 * layout the app is already running when the sidecar is first checked.
 */
export function judgeStartOrder(seen: StartOrder): string[] {
  const at = (ms: number) => new Date(ms).toISOString();
  if (seen.appProcessStarted === undefined) return ['the app\'s log has no start (a "starting" line with processStartedAt)'];
  if (seen.sidecarFirstAnswered === undefined) return ['the sidecar never answered a health check: nothing waited for it to be serving'];
  if (seen.sidecarFirstAnswered < seen.appProcessStarted) return [];
  return [
    `the app's process started at ${at(seen.appProcessStarted)}, before the sidecar first answered a health check (${at(seen.sidecarFirstAnswered)}): the kubelet did not wait for a startup probe of the sidecar`,
  ];
}

interface SysvSeen {
  kind: string;
  key: string;
  id: number;
}

/** SysV objects made in one container: listed with the same key and id in the other, and nowhere outside the Pod. */
export function judgeSysv(seen: {
  made: SysvSeen[];
  maker: string;
  other: string;
  inOther: SysvSeen[];
  outsideName: string;
  outside: SysvSeen[];
}): string[] {
  const same = (a: SysvSeen) => (b: SysvSeen) => a.kind === b.kind && a.key === b.key && a.id === b.id;
  const problems: string[] = [];
  if (seen.made.length === 0) problems.push(`no SysV object was made in the ${seen.maker}`);
  for (const object of seen.made) {
    const name = `the SysV ${object.kind} ${object.key} (id ${object.id}) made in the ${seen.maker}`;
    if (!seen.inOther.some(same(object)))
      problems.push(`${name} is not in the ${seen.other}'s IPC namespace: IPC is not shared between the containers`);
    if (seen.outside.some(same(object)))
      problems.push(`${name} is visible from ${seen.outsideName}: the IPC namespace reaches beyond the Pod`);
  }
  return problems;
}

interface ShmSeen {
  ok?: boolean;
  text?: string;
  error?: string;
  device: string;
}

/** A file under /dev/shm written in one container: read back in the other (the same tmpfs), absent outside the Pod. */
export function judgeShm(seen: {
  path: string;
  text: string;
  writer: string;
  written: { device: string };
  reader: string;
  read: ShmSeen;
  outsideName: string;
  outside: ShmSeen;
}): string[] {
  const problems: string[] = [];
  if (!seen.read.ok || seen.read.text !== seen.text) {
    problems.push(
      `${seen.path} written in the ${seen.writer} cannot be read in the ${seen.reader} (${seen.read.error ?? `read ${JSON.stringify(seen.read.text)}`}): ` +
        `they do not share the Pod's /dev/shm (${seen.writer} on device ${seen.written.device}, ${seen.reader} on ${seen.read.device})`,
    );
  }
  if (seen.outside.ok)
    problems.push(`${seen.path} can be read from ${seen.outsideName}: its /dev/shm (device ${seen.outside.device}) is the Pod's`);
  return problems;
}

interface HeldSeen {
  ok: boolean;
  code?: string;
  boundAt?: number;
  releasedAt?: number;
  accepted?: number;
}

/**
 * The port rule in one network namespace: a listener is per address and port
 * (the Pod IP's port beside 127.0.0.1's is free, 127.0.0.1's own is taken),
 * and two listeners with SO_REUSEPORT, one per container, hold the very same
 * address and port at once and share the connections.
 */
export function judgePortRule(seen: {
  podIpBeside: HeldSeen;
  loopbackAgain: HeldSeen;
  first: HeldSeen;
  second: HeldSeen;
  connections: { connected: number };
  count: number;
  address: string;
  loopback: string;
}): string[] {
  const problems: string[] = [];
  if (!seen.podIpBeside.ok)
    problems.push(
      `${seen.address} could not be bound beside the sidecar's ${seen.loopback} (${seen.podIpBeside.code}): a port should be taken per address, not per number`,
    );
  if (seen.loopbackAgain.ok)
    problems.push(
      `${seen.loopback} could be bound again in the app while the sidecar listens on it: the containers do not share one network namespace`,
    );
  else if (seen.loopbackAgain.code !== 'EADDRINUSE')
    problems.push(`binding ${seen.loopback} again failed with ${seen.loopbackAgain.code}, not EADDRINUSE`);
  if (!seen.first.ok || !seen.second.ok) {
    problems.push(
      `with SO_REUSEPORT, app ${seen.first.ok ? 'bound' : `failed (${seen.first.code})`}, sidecar ${seen.second.ok ? 'bound' : `failed (${seen.second.code})`}: both should hold the same address and port`,
    );
    return problems;
  }
  if (!(seen.second.boundAt! < seen.first.releasedAt! && seen.first.boundAt! < seen.second.releasedAt!))
    problems.push('the two SO_REUSEPORT listeners never held the port at the same time: nothing was shown');
  const accepted = [seen.first.accepted ?? 0, seen.second.accepted ?? 0];
  if (seen.connections.connected !== seen.count)
    problems.push(`${seen.count - seen.connections.connected} of ${seen.count} connections were refused while both listened`);
  if (accepted.includes(0)) problems.push(`the kernel did not spread the connections: app accepted ${accepted[0]}, sidecar ${accepted[1]}`);
  return problems;
}

interface Connected {
  ok: boolean;
  code?: string;
}

/**
 * Unix sockets: an abstract one is a name in the network namespace, reached
 * from the other container with no file at all and refused outside the Pod; one
 * on a path is a file, reached only through a mount both containers have.
 */
export function judgeUnixSockets(seen: {
  abstract: string;
  sharedPath: string;
  privatePath: string;
  server: string;
  client: string;
  fromClient: { abstract: Connected; sharedPath: Connected; privatePath: Connected };
  outsideName: string;
  fromOutside: Connected;
}): string[] {
  const { fromClient: c } = seen;
  const problems: string[] = [];
  if (!c.abstract.ok)
    problems.push(
      `the abstract socket ${seen.abstract} of the ${seen.server} is not reachable from the ${seen.client} (${c.abstract.code}): they do not share a network namespace`,
    );
  if (seen.fromOutside.ok)
    problems.push(
      `the abstract socket ${seen.abstract} is reachable from ${seen.outsideName}: the network namespace reaches beyond the Pod`,
    );
  if (!c.sharedPath.ok)
    problems.push(`${seen.sharedPath}, in a mount both containers have, is not reachable from the ${seen.client} (${c.sharedPath.code})`);
  if (c.privatePath.ok)
    problems.push(
      `${seen.privatePath}, in a volume only the ${seen.server} mounts, is reachable from the ${seen.client}: their mounts are not separate`,
    );
  else if (c.privatePath.code !== 'ENOENT')
    problems.push(`${seen.privatePath} failed from the ${seen.client} with ${c.privatePath.code}, not ENOENT (no such file in its mounts)`);
  return problems;
}

interface InterfaceSeen {
  name: string;
  state: string;
  addresses: string[];
}

/** "eth0 10.244.0.5/24; lo 127.0.0.1/8": a list of interfaces in a line. */
export const showInterfaces = (list: InterfaceSeen[]): string => list.map((i) => `${i.name} ${i.addresses.join(',') || '-'}`).join('; ');

/** The interfaces of the Pod's network namespace: the same list in both containers, lo up with 127.0.0.1, the Pod IP on one of them and on none outside. */
export function judgeInterfaces(seen: {
  app: InterfaceSeen[];
  sidecar: InterfaceSeen[];
  outsideName: string;
  outside: InterfaceSeen[];
  address: string;
}): string[] {
  const has = (list: InterfaceSeen[], ip: string) => list.some((i) => i.addresses.some((address) => address.split('/')[0] === ip));
  const problems: string[] = [];
  if (showInterfaces(seen.app) !== showInterfaces(seen.sidecar))
    problems.push(`the app sees ${showInterfaces(seen.app)}, the sidecar ${showInterfaces(seen.sidecar)}: not one network namespace`);
  const lo = seen.app.find((i) => i.name === 'lo');
  if (!lo || lo.state === 'down' || !lo.addresses.includes('127.0.0.1/8'))
    problems.push(`lo is not up with 127.0.0.1/8 in the Pod: ${JSON.stringify(lo ?? null)}`);
  if (!has(seen.app, seen.address)) problems.push(`no interface of the Pod has its address ${seen.address}: ${showInterfaces(seen.app)}`);
  if (has(seen.outside, seen.address))
    problems.push(`${seen.outsideName} has the Pod's address ${seen.address} too: it is in the Pod's network namespace`);
  return problems;
}

interface ProcessSeen {
  pid: number;
  command: string;
}

/** shareProcessNamespace: one pid namespace, the sandbox's pause as PID 1, and each container's processes visible to the other. */
export function judgeSharedPid(seen: { pod: unknown; app: ProcessSeen[]; sidecar: ProcessSeen[] }): string[] {
  const problems = judgeNamespaces(seen.pod, { shared: ['net', 'ipc', 'uts', 'pid'], separate: ['mnt'] });
  const first = seen.app.find((process) => process.pid === 1);
  if (!first || !/(^|\/)pause( |$)/.test(first.command))
    problems.push(`PID 1 in the app's container is ${first ? JSON.stringify(first.command) : 'missing'}, not the sandbox's pause`);
  const runs = (list: ProcessSeen[], service: string) => list.some((process) => process.command.includes(`dist/apps/${service}/main.js`));
  if (!runs(seen.app, 'sidecar')) problems.push("the app's container does not see the sidecar's process");
  if (!runs(seen.sidecar, 'app')) problems.push("the sidecar's container does not see the app's process");
  return problems;
}

/**
 * Loopback is a network boundary, not an access control: port-forward (the
 * runtime dialing 127.0.0.1 inside the Pod's network namespace) reaches the
 * sidecar that no other Pod can; RBAC on pods/portforward is what guards it.
 */
export function judgePortForward(seen: {
  forwarded: { status: number } | { error: string };
  outside: { ok: boolean; code?: string };
  address: string;
  denied: string | null;
  who: string;
}): string[] {
  const problems: string[] = [];
  if ('error' in seen.forwarded) problems.push(`kubectl port-forward did not reach the sidecar's 127.0.0.1:9090: ${seen.forwarded.error}`);
  else if (seen.forwarded.status !== 200)
    problems.push(`through kubectl port-forward the sidecar answered ${seen.forwarded.status}, not 200`);
  if (seen.outside.ok)
    problems.push(
      `${seen.address} accepted a connection from the probe Pod: the sidecar is not on loopback only, so port-forward shows nothing`,
    );
  if (seen.denied === null)
    problems.push(`${seen.who} could port-forward too: nothing but RBAC guards a loopback port, and it allowed this`);
  else if (!/forbidden/i.test(seen.denied)) problems.push(`port-forward as ${seen.who} failed, but not for RBAC: ${seen.denied}`);
  return problems;
}

interface Survey {
  namespaces: Record<string, string>;
  queue: { ok: boolean; error?: string };
  loopback: { ok: boolean; code?: string };
  processes: ProcessSeen[];
}

/**
 * An ephemeral container joins the Pod's net and IPC namespaces (it reaches
 * the sidecar's loopback port and opens the queue); with --target it joins
 * that container's pid namespace and sees its process, without it has its own.
 */
export function judgeEphemeral(seen: { app: Record<string, string>; targeted: Survey; alone: Survey }): string[] {
  const problems: string[] = [];
  for (const [label, survey] of [
    ['with --target app', seen.targeted],
    ['without --target', seen.alone],
  ] as const) {
    for (const kind of ['net', 'ipc'] as const) {
      if (survey.namespaces[kind] !== seen.app[kind])
        problems.push(`the debug container ${label} is in ${survey.namespaces[kind]}, not the Pod's ${seen.app[kind]}`);
    }
    if (!survey.loopback.ok)
      problems.push(`the debug container ${label} cannot reach the sidecar on 127.0.0.1:9090 (${survey.loopback.code})`);
    if (!survey.queue.ok) problems.push(`the debug container ${label} cannot open the Pod's queue: ${survey.queue.error}`);
  }
  const seesApp = (survey: Survey) => survey.processes.some((process) => process.command.includes('dist/apps/app/main.js'));
  if (seen.targeted.namespaces.pid !== seen.app.pid || !seesApp(seen.targeted))
    problems.push(
      `the debug container with --target app is not in the app's pid namespace (${seen.targeted.namespaces.pid}, the app's ${seen.app.pid}) or does not see its process`,
    );
  if (seen.alone.namespaces.pid === seen.app.pid || seesApp(seen.alone))
    problems.push("the debug container without --target shares the app's pid namespace: it should have its own");
  return problems;
}

/**
 * A classic init container ran to completion before the app started, and what
 * it left in the Pod's IPC namespace (a request in the queue it created) was
 * processed by the sidecar started after it.
 */
export function judgeInitContainer(seen: {
  name: string;
  exited: { exitCode: number; finishedAt?: string } | undefined;
  /** What it printed last: `at` is when, in milliseconds (finishedAt has whole seconds only). */
  left: { id?: string; pushed?: boolean; at?: string } | null;
  appStartedAt: number | undefined;
  status: { status: number; body: Record<string, unknown> };
  sha256: string;
}): string[] {
  const problems: string[] = [];
  if (!seen.exited) return [`no init container ${seen.name} ran to completion in this Pod`];
  if (seen.exited.exitCode !== 0) problems.push(`the init container ${seen.name} exited ${seen.exited.exitCode}`);
  if (!seen.left?.pushed)
    problems.push(`the init container ${seen.name} did not leave a request in the queue: ${JSON.stringify(seen.left)}`);
  // The init container's own last act, in milliseconds: the kubelet's
  // finishedAt has whole seconds, which would let a start within the same
  // second pass. Both clocks are the node's.
  const last = seen.left?.at === undefined ? NaN : Date.parse(seen.left.at);
  if (seen.appStartedAt === undefined || !(last <= seen.appStartedAt))
    problems.push(
      `the app started (${seen.appStartedAt === undefined ? 'unknown' : new Date(seen.appStartedAt).toISOString()}) before the init container's last act (${seen.left?.at ?? 'unknown'})`,
    );
  if (seen.status.status !== 200)
    problems.push(
      `the sidecar has no status for the init container's request ${seen.left?.id} (${seen.status.status}): it never found it in the queue`,
    );
  else if (seen.status.body.sha256 !== seen.sha256)
    problems.push(
      `the sidecar processed ${seen.left?.id} into ${String(seen.status.body.sha256)}, not the sha256 of the init container's text`,
    );
  return problems;
}

export interface LivePageSeen {
  page: { status: number; type: string; policy: string | null };
  script: { status: number; type: string };
  expectedPolicy: string;
  /** GET /api/state's verdicts and sidecar, and GET /pod's verdict. */
  state: { verdict: unknown; sidecarUp: unknown };
  pod: { verdict: unknown };
  /** The first Server-Sent Event, or why none came. */
  event: { ok: true } | { ok: false; error: string };
  /** The message sent as the page's form does: its state, and whether its round trip is in the state the page draws. */
  sent: { state: string; charted: boolean };
}

/**
 * The app's live page, reached from this machine: served with the strict
 * policy, its script loads, what it draws (GET /api/state) is what GET /pod
 * measures, its event stream flows, and a message sent as its form does comes
 * back processed and charted.
 */
export function judgeLivePage(seen: LivePageSeen): string[] {
  const problems: string[] = [];
  if (seen.page.status !== 200 || !seen.page.type.startsWith('text/html'))
    problems.push(`GET / answered ${seen.page.status} ${seen.page.type}, not 200 text/html`);
  if (seen.page.policy !== seen.expectedPolicy)
    problems.push(
      `GET / came with Content-Security-Policy ${JSON.stringify(seen.page.policy)}, not ${JSON.stringify(seen.expectedPolicy)}`,
    );
  if (seen.script.status !== 200 || !seen.script.type.includes('javascript'))
    problems.push(`GET /page.js answered ${seen.script.status} ${seen.script.type}, not 200 JavaScript`);
  if (JSON.stringify(seen.state.verdict) !== JSON.stringify(seen.pod.verdict))
    problems.push(`the page would draw ${JSON.stringify(seen.state.verdict)}; GET /pod says ${JSON.stringify(seen.pod.verdict)}`);
  if (seen.state.sidecarUp !== true) problems.push('the page would say the sidecar does not answer');
  if (!seen.event.ok) problems.push(`no Server-Sent Event from GET /api/events: ${seen.event.error}`);
  if (seen.sent.state !== 'processed') problems.push(`a message sent as the page's form does ended ${seen.sent.state}, not processed`);
  else if (!seen.sent.charted) problems.push("a processed message's round trip is not in the chart's data (GET /api/state roundTrips)");
  return problems;
}

export interface ReplicaSeen {
  pod: string;
  node: string;
  /** GET /pod on this replica: its app's verdicts against its own sidecar, reached over 127.0.0.1. */
  verdict: Record<string, string> | null;
  net: string | null;
  /** The message sent to this replica's app: how it ended there. */
  sent: { id: string | null; state: string };
  /** The same id asked of every other replica's app (which asks its own sidecar): the HTTP status. */
  elsewhere: Array<{ pod: string; status: number }>;
}

/**
 * Replicas spread over nodes: each Pod whole (its app and sidecar in one
 * network and IPC namespace, the loopback reaching its own sidecar), no two
 * replicas in one network namespace, and each message processed by the
 * replica that took it and unknown to every other.
 */
/**
 * `schedulable`: how many nodes can take these Pods (no NoSchedule taint),
 * or null when the nodes cannot be read: with two or more, the replicas must
 * be on at least two of them, or the spread did not spread.
 */
export function judgeSpread(replicas: ReplicaSeen[], expected: number, schedulable: number | null): string[] {
  const problems: string[] = [];
  if (replicas.length !== expected) problems.push(`${replicas.length} replicas running, expected ${expected}`);
  const nodes = new Set(replicas.map((replica) => replica.node));
  if (schedulable !== null && schedulable >= 2 && nodes.size < 2) {
    problems.push(
      `all ${replicas.length} replicas are on ${[...nodes].join(', ')} although ${schedulable} nodes can take Pods: the spread did not spread`,
    );
  }
  for (const replica of replicas) {
    for (const kind of ['net', 'ipc']) {
      if (replica.verdict?.[kind] !== 'shared')
        problems.push(
          `${replica.pod}: its app and sidecar are not in one ${kind} namespace (GET /pod: ${replica.verdict?.[kind] ?? 'no answer'})`,
        );
    }
    if (replica.sent.state !== 'processed')
      problems.push(`${replica.pod}: the message sent to its app ended ${replica.sent.state}, not processed`);
    for (const other of replica.elsewhere) {
      if (other.status !== 404)
        problems.push(`${other.pod} answered ${other.status} for ${replica.pod}'s message ${replica.sent.id}: it should not know it (404)`);
    }
  }
  const byNet = new Map<string, string>();
  for (const replica of replicas) {
    if (!replica.net) continue;
    const first = byNet.get(replica.net);
    if (first) problems.push(`${first} and ${replica.pod} share ${replica.net}: each replica must have its own loopback`);
    else byNet.set(replica.net, replica.pod);
  }
  return problems;
}

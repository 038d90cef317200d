// The judges on synthetic probe output: each one passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { compareNamespaces } from '../../apps/shared/namespaces.js';
import {
  judgeClash,
  judgeDelivery,
  judgeEphemeral,
  judgeInitContainer,
  judgeInterfaces,
  judgeIsolation,
  judgeLivePage,
  judgeSpread,
  judgeNamespaces,
  judgePortForward,
  judgePortRule,
  judgeRoundTrip,
  judgeSharedPid,
  judgeShm,
  judgeStartOrder,
  judgeSysv,
  judgeUnixSockets,
  POD_NAMESPACES,
} from '../../scripts/lib/checks.js';

const ns = (net: number, ipc: number, uts: number, pid: number, mnt: number) => ({
  net: `net:[${net}]`,
  ipc: `ipc:[${ipc}]`,
  uts: `uts:[${uts}]`,
  pid: `pid:[${pid}]`,
  mnt: `mnt:[${mnt}]`,
  // The node's, as on this project's cgroup-v1 kind node.
  cgroup: 'cgroup:[4026531835]',
  user: 'user:[4026531837]',
  time: 'time:[4026531834]',
});
const pod = (app: ReturnType<typeof ns>, sidecar: ReturnType<typeof ns>) => ({
  app: { namespaces: app },
  sidecar: { namespaces: sidecar },
});

test('namespaces: a real Pod shares net, ipc, uts and keeps pid, mnt apart', () => {
  expect(judgeNamespaces(pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 6, 7)), POD_NAMESPACES)).toEqual([]);
  expect(compareNamespaces(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 6, 7))).toEqual({
    net: 'shared',
    ipc: 'shared',
    uts: 'shared',
    pid: 'separate',
    mnt: 'separate',
    cgroup: 'shared',
    user: 'shared',
    time: 'shared',
  });
});

test('namespaces: each missing or extra sharing is named', () => {
  expect(judgeNamespaces(pod(ns(1, 2, 3, 4, 5), ns(9, 8, 3, 6, 7)), POD_NAMESPACES)).toEqual([
    'net namespace is not shared: app is in net:[1], sidecar in net:[9]',
    'ipc namespace is not shared: app is in ipc:[2], sidecar in ipc:[8]',
  ]);
  expect(judgeNamespaces(pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 4, 7)), POD_NAMESPACES)).toEqual([
    'pid namespace is shared (pid:[4]) but each container should have its own',
  ]);
  expect(judgeNamespaces({ error: 'sidecar unreachable' }, POD_NAMESPACES)[0]).toMatch(/did not report both containers' namespaces/);
});

const roundTrip = (overrides: object) => ({
  requested: 3,
  accepted: 3,
  retried: 0,
  processed: 3,
  lost: [],
  duplicated: [],
  refused: [],
  ...overrides,
});

test('round trip: passes only when every message came back exactly once', () => {
  expect(judgeRoundTrip(roundTrip({}), 3)).toEqual([]);
  expect(judgeRoundTrip(roundTrip({ retried: 7 }), 3)).toEqual([]); // 503s retried are backpressure, not loss
  expect(judgeRoundTrip(roundTrip({ processed: 1, lost: ['a', 'b'] }), 3)).toEqual([
    expect.stringMatching(
      /^2 of 3 accepted messages never came back through the reply queue \(first: a\); is the sidecar reading the same queue/,
    ),
  ]);
  expect(judgeRoundTrip(roundTrip({ duplicated: ['a'] }), 3)).toEqual([
    '1 messages were taken by the sidecar more often than the app pushed them (first: a): a copy came from elsewhere, and the work may have been done twice',
  ]);
  expect(judgeRoundTrip(roundTrip({ accepted: 2, refused: [{ status: 500, body: {} }] }), 3)).toEqual([
    'only 2 of 3 messages were accepted',
    '1 messages were refused, first: {"status":500,"body":{}}',
  ]);
  expect(judgeRoundTrip(null, 3)).toEqual(['round trip produced no result: null']);
});

const isolated = {
  queue: { ok: false, error: 'cannot open message queue /q: No such file or directory (hint)' },
  sidecarPort: { ok: false, code: 'ECONNREFUSED' },
  sidecarAddress: 'http://10.0.0.5:9090',
};

test('isolation: passes when the queue is absent and the port refused from outside', () => {
  expect(judgeIsolation(isolated)).toEqual([]);
});

test('isolation: a reachable queue or sidecar is named, and so is a failure for another reason', () => {
  expect(judgeIsolation({ ...isolated, queue: { ok: true, depth: 0 } })).toEqual([expect.stringContaining('the IPC namespace is shared')]);
  expect(judgeIsolation({ ...isolated, sidecarPort: { ok: true } })).toEqual([
    "the sidecar at http://10.0.0.5:9090 accepted a connection from outside the Pod: it should only be reachable on the Pod's loopback",
  ]);
  expect(judgeIsolation({ ...isolated, queue: { ok: false, error: 'Permission denied' } })).toEqual([
    expect.stringContaining('not because it does not exist there'),
  ]);
  expect(judgeIsolation({ ...isolated, sidecarPort: { ok: false, code: 'ETIMEDOUT' } })).toEqual([
    expect.stringContaining('ETIMEDOUT, expected ECONNREFUSED'),
  ]);
});

test('clash: passes only on the documented exit code with the log line', () => {
  const line = 'cannot listen on 0.0.0.0:8080: address already in use; another container in the same Pod';
  expect(judgeClash({ exitCode: 98, output: line, port: 8080 }, 98)).toEqual([]);
  expect(judgeClash({ exitCode: 0, output: '', port: 8080 }, 98)).toEqual([
    'the clashing container did not fail (exit code 0): port 8080 is not held by another process of the same network namespace',
    'the clashing container\'s log does not say "address already in use" for port 8080 (last line: none)',
  ]);
  expect(judgeClash({ exitCode: 1, output: line, port: 8080 }, 98)).toEqual([
    'the clashing container exited with 1, expected 98 (port in use)',
  ]);
});

test('delivery: every accepted message processed with its result passes; each way of losing one is named', () => {
  const clean = { accepted: 3, refused: [], notFound: [], lost: [], failed: [], wrong: [] };
  expect(judgeDelivery(clean, 3)).toEqual([]);
  expect(judgeDelivery({ ...clean, accepted: 2 }, 3)).toEqual(['only 2 of 3 messages were accepted before the deadline']);
  expect(judgeDelivery({ ...clean, lost: ['id-1'] }, 3)).toEqual([
    '1 accepted messages were never processed (first: id-1): a request taken by a sidecar that died, or a reply read by an app that died, was not delivered again',
  ]);
  expect(judgeDelivery({ ...clean, notFound: ['id-2', 'id-3'] }, 3)).toEqual([
    '2 accepted messages are unknown to the app (404): its record of what it accepted did not survive (first: id-2)',
  ]);
  expect(judgeDelivery({ ...clean, failed: ['id-4'] }, 3)[0]).toMatch(/given up after their last redelivery/);
  expect(judgeDelivery({ ...clean, wrong: ['id-5'] }, 3)[0]).toMatch(/processed with a wrong result \(first: id-5\)/);
  expect(judgeDelivery({ ...clean, refused: [{ status: 400 }] }, 3)[0]).toMatch(/refused for good/);
  expect(judgeDelivery(null, 3)[0]).toMatch(/the load produced no result/);
});

test('start order: the app must start after the sidecar first answered a health check', () => {
  const t = Date.parse('2026-11-29T12:00:00.000Z');
  expect(judgeStartOrder({ sidecarFirstAnswered: t, appProcessStarted: t + 900 })).toEqual([]);
  expect(judgeStartOrder({ sidecarFirstAnswered: t + 1900, appProcessStarted: t })).toEqual([
    "the app's process started at 2026-11-29T12:00:00.000Z, before the sidecar first answered a health check (2026-11-29T12:00:01.900Z): the kubelet did not wait for a startup probe of the sidecar",
  ]);
  expect(judgeStartOrder({ sidecarFirstAnswered: undefined, appProcessStarted: t })).toEqual([
    'the sidecar never answered a health check: nothing waited for it to be serving',
  ]);
  expect(judgeStartOrder({ sidecarFirstAnswered: t, appProcessStarted: undefined })[0]).toMatch(/the app's log has no start/);
});

test('shared memory: read back in the other container, absent outside; each failure names the /dev/shm devices', () => {
  const seen = {
    path: '/dev/shm/podmates-x',
    text: 'hello',
    writer: 'app',
    written: { device: '0:187' },
    reader: 'sidecar',
    read: { ok: true, text: 'hello', device: '0:187' },
    outsideName: 'the probe Pod',
    outside: { ok: false, error: 'ENOENT', device: '0:200' },
  };
  expect(judgeShm(seen)).toEqual([]);
  expect(judgeShm({ ...seen, read: { ok: false, error: 'ENOENT', device: '0:190' } })).toEqual([
    "/dev/shm/podmates-x written in the app cannot be read in the sidecar (ENOENT): they do not share the Pod's /dev/shm (app on device 0:187, sidecar on 0:190)",
  ]);
  expect(judgeShm({ ...seen, outside: { ok: true, text: 'hello', device: '0:187' } })).toEqual([
    "/dev/shm/podmates-x can be read from the probe Pod: its /dev/shm (device 0:187) is the Pod's",
  ]);
});

test('System V IPC: nothing made is a failure too', () => {
  expect(judgeSysv({ made: [], maker: 'sidecar', other: 'app', inOther: [], outsideName: 'the probe Pod', outside: [] })).toEqual([
    'no SysV object was made in the sidecar',
  ]);
});

test('port rule: per address and port, and SO_REUSEPORT listeners share one; each failure says what the kernel allowed', () => {
  const healthy = {
    podIpBeside: { ok: true },
    loopbackAgain: { ok: false, code: 'EADDRINUSE' },
    first: { ok: true, boundAt: 1000, releasedAt: 10_000, accepted: 16 },
    second: { ok: true, boundAt: 3000, releasedAt: 8000, accepted: 24 },
    connections: { connected: 40 },
    count: 40,
    address: '10.244.0.4:9090',
    loopback: '127.0.0.1:9090',
  };
  expect(judgePortRule(healthy)).toEqual([]);
  expect(judgePortRule({ ...healthy, podIpBeside: { ok: false, code: 'EADDRINUSE' }, loopbackAgain: { ok: true } })).toEqual([
    "10.244.0.4:9090 could not be bound beside the sidecar's 127.0.0.1:9090 (EADDRINUSE): a port should be taken per address, not per number",
    '127.0.0.1:9090 could be bound again in the app while the sidecar listens on it: the containers do not share one network namespace',
  ]);
  // Without SO_REUSEPORT (or a Node that ignores it) the second listener is refused, as in 5g.
  expect(judgePortRule({ ...healthy, second: { ok: false, code: 'EADDRINUSE' } })).toEqual([
    'with SO_REUSEPORT, app bound, sidecar failed (EADDRINUSE): both should hold the same address and port',
  ]);
  expect(judgePortRule({ ...healthy, second: { ...healthy.second, boundAt: 11_000, releasedAt: 12_000 } })).toEqual([
    'the two SO_REUSEPORT listeners never held the port at the same time: nothing was shown',
  ]);
  expect(judgePortRule({ ...healthy, first: { ...healthy.first, accepted: 40 }, second: { ...healthy.second, accepted: 0 } })).toEqual([
    'the kernel did not spread the connections: app accepted 40, sidecar 0',
  ]);
});

test('Unix sockets: abstract by network namespace, on a path by mount; each failure names which', () => {
  const seen = {
    abstract: '@podmates-x',
    sharedPath: '/shared/podmates-x.sock',
    privatePath: '/state/podmates-x.sock',
    server: 'app',
    client: 'sidecar',
    fromClient: { abstract: { ok: true }, sharedPath: { ok: true }, privatePath: { ok: false, code: 'ENOENT' } },
    outsideName: 'the probe Pod',
    fromOutside: { ok: false, code: 'ECONNREFUSED' },
  };
  expect(judgeUnixSockets(seen)).toEqual([]);
  expect(
    judgeUnixSockets({
      ...seen,
      fromClient: { abstract: { ok: false, code: 'ECONNREFUSED' }, sharedPath: { ok: false, code: 'ENOENT' }, privatePath: { ok: true } },
      fromOutside: { ok: true },
    }),
  ).toEqual([
    'the abstract socket @podmates-x of the app is not reachable from the sidecar (ECONNREFUSED): they do not share a network namespace',
    'the abstract socket @podmates-x is reachable from the probe Pod: the network namespace reaches beyond the Pod',
    '/shared/podmates-x.sock, in a mount both containers have, is not reachable from the sidecar (ENOENT)',
    '/state/podmates-x.sock, in a volume only the app mounts, is reachable from the sidecar: their mounts are not separate',
  ]);
});

test('interfaces: one list for both containers, lo up, the Pod IP inside only; each failure says which', () => {
  const pod = [
    { name: 'eth0', state: 'up', addresses: ['10.244.0.5/24'] },
    { name: 'lo', state: 'unknown', addresses: ['127.0.0.1/8'] },
  ];
  const outside = [
    { name: 'eth0', state: 'up', addresses: ['10.244.0.9/24'] },
    { name: 'lo', state: 'unknown', addresses: ['127.0.0.1/8'] },
  ];
  const seen = { app: pod, sidecar: pod, outsideName: 'the probe Pod', outside, address: '10.244.0.5' };
  expect(judgeInterfaces(seen)).toEqual([]);
  expect(judgeInterfaces({ ...seen, sidecar: outside, outside: pod })).toEqual([
    'the app sees eth0 10.244.0.5/24; lo 127.0.0.1/8, the sidecar eth0 10.244.0.9/24; lo 127.0.0.1/8: not one network namespace',
    "the probe Pod has the Pod's address 10.244.0.5 too: it is in the Pod's network namespace",
  ]);
  // A fresh network namespace that nobody set up: lo down, no eth0.
  expect(
    judgeInterfaces({
      ...seen,
      app: [{ name: 'lo', state: 'down', addresses: [] }],
      sidecar: [{ name: 'lo', state: 'down', addresses: [] }],
    }),
  ).toEqual([
    'lo is not up with 127.0.0.1/8 in the Pod: {"name":"lo","state":"down","addresses":[]}',
    'no interface of the Pod has its address 10.244.0.5: lo -',
  ]);
});

test('shared pid namespace: pid shared, pause as PID 1, each sees the other; the plain Pod fails each', () => {
  const shared = pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 4, 7));
  const processes = [
    { pid: 1, command: '/pause' },
    { pid: 7, command: 'node dist/apps/sidecar/main.js' },
    { pid: 19, command: 'node dist/apps/app/main.js' },
  ];
  expect(judgeSharedPid({ pod: shared, app: processes, sidecar: processes })).toEqual([]);
  expect(
    judgeSharedPid({
      pod: pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 6, 7)),
      app: [{ pid: 1, command: 'node dist/apps/app/main.js' }],
      sidecar: [{ pid: 1, command: 'node dist/apps/sidecar/main.js' }],
    }),
  ).toEqual([
    'pid namespace is not shared: app is in pid:[4], sidecar in pid:[6]',
    'PID 1 in the app\'s container is "node dist/apps/app/main.js", not the sandbox\'s pause',
    "the app's container does not see the sidecar's process",
    "the sidecar's container does not see the app's process",
  ]);
});

test('port-forward: reaches the loopback-only sidecar, which no Pod can, and RBAC refuses whom it should', () => {
  const seen = {
    forwarded: { status: 200 },
    outside: { ok: false, code: 'ECONNREFUSED' },
    address: '10.244.0.5:9090',
    denied: 'Error from server (Forbidden): pods "podmates-x" is forbidden',
    who: 'system:serviceaccount:podmates:default',
  };
  expect(judgePortForward(seen)).toEqual([]);
  expect(judgePortForward({ ...seen, forwarded: { error: 'error: unable to forward port' }, outside: { ok: true }, denied: null })).toEqual(
    [
      "kubectl port-forward did not reach the sidecar's 127.0.0.1:9090: error: unable to forward port",
      '10.244.0.5:9090 accepted a connection from the probe Pod: the sidecar is not on loopback only, so port-forward shows nothing',
      'system:serviceaccount:podmates:default could port-forward too: nothing but RBAC guards a loopback port, and it allowed this',
    ],
  );
  expect(judgePortForward({ ...seen, denied: 'no "Forwarding from" line within 20 s' })).toEqual([
    'port-forward as system:serviceaccount:podmates:default failed, but not for RBAC: no "Forwarding from" line within 20 s',
  ]);
});

test('ephemeral containers: the Pod net and IPC for both, the app pid only with --target; each failure says which', () => {
  const app = { net: 'net:[1]', ipc: 'ipc:[2]', pid: 'pid:[4]' };
  const survey = (pid: string, commands: string[]) => ({
    namespaces: { net: 'net:[1]', ipc: 'ipc:[2]', pid },
    queue: { ok: true },
    loopback: { ok: true },
    processes: commands.map((command, index) => ({ pid: index + 1, command })),
  });
  const targeted = survey('pid:[4]', ['node dist/apps/app/main.js', 'node dist/apps/probe/main.js survey']);
  const alone = survey('pid:[9]', ['node dist/apps/probe/main.js survey']);
  expect(judgeEphemeral({ app, targeted, alone })).toEqual([]);
  expect(judgeEphemeral({ app, targeted: alone, alone: targeted })).toEqual([
    "the debug container with --target app is not in the app's pid namespace (pid:[9], the app's pid:[4]) or does not see its process",
    "the debug container without --target shares the app's pid namespace: it should have its own",
  ]);
  const outsider = {
    ...alone,
    namespaces: { net: 'net:[7]', ipc: 'ipc:[8]', pid: 'pid:[9]' },
    queue: { ok: false, error: 'ENOENT' },
    loopback: { ok: false, code: 'ECONNREFUSED' },
  };
  expect(judgeEphemeral({ app, targeted, alone: outsider })).toEqual([
    "the debug container without --target is in net:[7], not the Pod's net:[1]",
    "the debug container without --target is in ipc:[8], not the Pod's ipc:[2]",
    'the debug container without --target cannot reach the sidecar on 127.0.0.1:9090 (ECONNREFUSED)',
    "the debug container without --target cannot open the Pod's queue: ENOENT",
  ]);
});

test('init container: ran first, exited 0, and the sidecar processed what it left; each failure says which', () => {
  const seen = {
    name: 'make-queue',
    exited: { exitCode: 0, finishedAt: '2026-11-29T12:00:01Z' },
    left: { id: '00000000-0000-4000-8000-0000000000a1', pushed: true, at: '2026-11-29T12:00:01.250Z' },
    appStartedAt: Date.parse('2026-11-29T12:00:01.400Z'),
    status: { status: 200, body: { sha256: 'abc' } },
    sha256: 'abc',
  };
  expect(judgeInitContainer(seen)).toEqual([]);
  // Within the same second: finishedAt (12:00:01Z) would have let it pass.
  expect(judgeInitContainer({ ...seen, left: { ...seen.left, at: '2026-11-29T12:00:01.600Z' } })).toEqual([
    "the app started (2026-11-29T12:00:01.400Z) before the init container's last act (2026-11-29T12:00:01.600Z)",
  ]);
  expect(judgeInitContainer({ ...seen, exited: undefined })).toEqual(['no init container make-queue ran to completion in this Pod']);
  expect(
    judgeInitContainer({
      ...seen,
      exited: { exitCode: 1, finishedAt: '2026-11-29T12:00:03Z' },
      left: { id: seen.left.id, pushed: false, at: '2026-11-29T12:00:03.100Z' },
      status: { status: 404, body: {} },
    }),
  ).toEqual([
    'the init container make-queue exited 1',
    'the init container make-queue did not leave a request in the queue: {"id":"00000000-0000-4000-8000-0000000000a1","pushed":false,"at":"2026-11-29T12:00:03.100Z"}',
    "the app started (2026-11-29T12:00:01.400Z) before the init container's last act (2026-11-29T12:00:03.100Z)",
    "the sidecar has no status for the init container's request 00000000-0000-4000-8000-0000000000a1 (404): it never found it in the queue",
  ]);
});

test('live page: the strict policy, its script, the verdicts of GET /pod, the event stream and a processed message', () => {
  const verdict = { net: 'shared', pid: 'separate' };
  const seen = {
    page: { status: 200, type: 'text/html; charset=UTF-8', policy: "default-src 'none'" },
    script: { status: 200, type: 'application/javascript; charset=UTF-8' },
    expectedPolicy: "default-src 'none'",
    state: { verdict, sidecarUp: true },
    pod: { verdict },
    event: { ok: true as const },
    sent: { state: 'processed', charted: true },
  };
  expect(judgeLivePage(seen)).toEqual([]);
  expect(
    judgeLivePage({
      ...seen,
      page: { status: 200, type: 'text/html', policy: "default-src 'self' 'unsafe-inline'" },
      script: { status: 404, type: 'application/json' },
      state: { verdict: { net: 'separate', pid: 'separate' }, sidecarUp: false },
      event: { ok: false, error: 'none within 5 s' },
      sent: { state: 'queued', charted: false },
    }),
  ).toEqual([
    `GET / came with Content-Security-Policy "default-src 'self' 'unsafe-inline'", not "default-src 'none'"`,
    'GET /page.js answered 404 application/json, not 200 JavaScript',
    'the page would draw {"net":"separate","pid":"separate"}; GET /pod says {"net":"shared","pid":"separate"}',
    'the page would say the sidecar does not answer',
    'no Server-Sent Event from GET /api/events: none within 5 s',
    "a message sent as the page's form does ended queued, not processed",
  ]);
  expect(judgeLivePage({ ...seen, page: { ...seen.page, status: 404 }, sent: { state: 'processed', charted: false } })).toEqual([
    'GET / answered 404 text/html; charset=UTF-8, not 200 text/html',
    "a processed message's round trip is not in the chart's data (GET /api/state roundTrips)",
  ]);
});

test('spread: each replica whole, its own loopback, its messages its own', () => {
  const replica = (pod: string, net: string, elsewhere: Array<{ pod: string; status: number }>) => ({
    pod,
    node: 'worker',
    verdict: { net: 'shared', ipc: 'shared' },
    net,
    sent: { id: `id-${pod}`, state: 'processed' },
    elsewhere,
  });
  const good = [replica('a', 'net:[1]', [{ pod: 'b', status: 404 }]), replica('b', 'net:[2]', [{ pod: 'a', status: 404 }])];
  expect(judgeSpread(good, 2, 1)).toEqual([]);
  expect(judgeSpread(good, 2, null)).toEqual([]);
  expect(judgeSpread(good, 2, 2)).toEqual(['all 2 replicas are on worker although 2 nodes can take Pods: the spread did not spread']);
  expect(judgeSpread([good[0]!, { ...good[1]!, node: 'worker2' }], 2, 2)).toEqual([]);
  expect(
    judgeSpread(
      [
        {
          ...replica('a', 'net:[1]', [{ pod: 'b', status: 200 }]),
          verdict: { net: 'separate', ipc: 'shared' },
          sent: { id: 'id-a', state: 'queued' },
        },
        replica('b', 'net:[1]', [{ pod: 'a', status: 404 }]),
      ],
      3,
      1,
    ),
  ).toEqual([
    '2 replicas running, expected 3',
    'a: its app and sidecar are not in one net namespace (GET /pod: separate)',
    'a: the message sent to its app ended queued, not processed',
    "b answered 200 for a's message id-a: it should not know it (404)",
    'a and b share net:[1]: each replica must have its own loopback',
  ]);
});

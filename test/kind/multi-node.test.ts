// The demo on a cluster that looks like a user's: three air-gapped kind nodes
// with Pod traffic routed between them and a real local registry
// (scripts/airgap/multi-node.sh), reached only through --context and
// --registry: images pushed, never `kind load`ed; the user's kubectl context
// untouched; every step passing, the probe Pod on another node than the app's,
// the replicas spread. And out of a neighbour container's reach: the
// nodes' loopback-only ports (route_localnet is on) and the registry's
// pushing side.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { kindKubeconfig } from '../../scripts/lib/kind.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { describeIf } from '../support/describe-pod.js';
import { airgapReady, demo, type DemoRun } from '../support/kind-demo.js';
import { neighbourAsks } from '../support/neighbour.js';
import { containerAddress, localnetDrops, withoutLocalnetRules } from '../support/node-loopback.js';

const CLUSTER = 'podmates-multi-test';
const AIRGAP = join(PROJECT_ROOT, 'scripts/airgap');
const blocker = airgapReady
  ? null
  : 'needs the air-gapped kind and node image: `bash scripts/airgap/build.sh` (npm run demo builds them where no registry answers)';

const currentContext = async () => (await execa('kubectl', ['config', 'current-context'], { reject: false })).stdout;
const registryRunning = async () =>
  (await execa('docker', ['inspect', '-f', '{{.State.Running}}', 'podmates-registry'], { reject: false })).stdout === 'true';

describeIf('the demo on three air-gapped nodes, through --context and a local registry', blocker, () => {
  let run: DemoRun;
  let contextBefore: string;
  let registryBefore: boolean;

  beforeAll(async () => {
    contextBefore = await currentContext();
    registryBefore = await registryRunning();
    await execa('bash', [join(AIRGAP, 'multi-node.sh'), '--name', CLUSTER]);
    run = await demo(['--context', `kind-${CLUSTER}`, '--registry', 'localhost:5001'], { KUBECONFIG: kindKubeconfig(CLUSTER) });
  }, 600_000);
  afterAll(async () => {
    await execa('bash', [join(AIRGAP, 'multi-node.sh'), '--name', CLUSTER, '--delete'], { reject: false });
    if (!registryBefore) await execa('bash', [join(AIRGAP, 'registry.sh'), 'stop'], { reject: false });
  });

  const step = (prefix: string) => run.steps.find((candidate) => candidate.name.startsWith(prefix));

  test('every step passes, none skipped for want of a kind node', () => {
    expect(run.steps.filter((s) => s.status !== 'passed').map((s) => [s.name, s.problems])).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.steps.map((s) => s.name.split('.')[0])).toEqual(expect.arrayContaining(['5h', '5o', '5u']));
  });

  test('the images went through the registry, by content tag, and the Pods ran them by the digest of the push', () => {
    expect(step('3.')?.detail).toMatch(
      /^podmates\/app:0\.1\.0-[0-9a-f]{12}, podmates\/sidecar:0\.1\.0-[0-9a-f]{12} .*pushed to localhost:5001, deployed by digest: localhost:5001\/podmates\/app@sha256:[0-9a-f]{64}, localhost:5001\/podmates\/sidecar@sha256:[0-9a-f]{64}$/,
    );
  });

  test("the probe Pod looks at the app's Pod from another node; the replicas are spread", () => {
    expect(step('5d')?.detail).toMatch(
      /the Pod on podmates-multi-test-worker2?, the probe Pod on another node, podmates-multi-test-worker2?\)$/,
    );
    expect(step('5u')?.detail).toMatch(
      /^3 replicas on [23] node\(s\), spread over 2 nodes that can take Pods: .*each message processed by its own replica, unknown \(404\) to the 2 others; 3 distinct net namespaces$/,
    );
    expect(step('5u')?.detail).not.toMatch(/^3 replicas on 1 node/);
  });

  test("a container on the kind network cannot reach a node's 127.0.0.1-only ports, though the node routes 127/8", async () => {
    const node = `${CLUSTER}-worker`;
    const address = await containerAddress(node);
    const tryKubelet = () => neighbourAsks('kind', '127.0.0.1', 10248, 'GET /healthz', { loopbackVia: address });
    expect((await execa('docker', ['exec', node, 'sysctl', '-n', 'net.ipv4.conf.all.route_localnet'])).stdout).toBe('1');
    // The entrypoint's rule, there before the kubelet adds its own.
    expect((await execa('docker', ['exec', node, 'iptables-save', '-t', 'filter'])).stdout).toContain(
      'podmates: block incoming localnet connections',
    );
    const dropsBefore = await localnetDrops(node);
    expect(await tryKubelet(), "the kubelet's healthz on the node's 127.0.0.1:10248 answered a neighbour").toBe('');
    // The rule is what stopped it: its counter moved; without it the same try gets in.
    expect(await localnetDrops(node)).toBeGreaterThan(dropsBefore);
    expect(await withoutLocalnetRules(node, tryKubelet)).toMatch(/^HTTP\/1\.[01] 200 OK[\s\S]*\nok$/);
  });

  test('a container on the kind network pulls from the registry the nodes use, and cannot push to it or to its other side', async () => {
    const ask = (host: string, port: number, request: string, asking = {}) => neighbourAsks('kind', host, port, request, asking);
    expect(await ask('podmates-registry', 5000, 'GET /v2/podmates/app/tags/list')).toMatch(/^HTTP\/1\.[01] 200 .*"name":"podmates\/app"/s);
    for (const write of [
      'POST /v2/podmates/app/blobs/uploads/',
      'PUT /v2/podmates/app/manifests/evil',
      'DELETE /v2/podmates/app/manifests/evil',
    ])
      expect(await ask('podmates-registry', 5000, write), `${write} on the nodes' registry`).toMatch(/^HTTP\/1\.[01] 405 /);
    // The side that takes pushes: on a network of its own, by name or by address, and on this machine's 127.0.0.1.
    const pushSide = await containerAddress('podmates-registry-push');
    const gateway = (await execa('docker', ['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Gateway}}{{end}}', 'kind'])).stdout;
    expect(await ask('podmates-registry-push', 5000, 'GET /v2/')).toBe('');
    expect(await ask(pushSide, 5000, 'GET /v2/')).toBe('');
    expect(await ask('127.0.0.1', 5001, 'GET /v2/', { loopbackVia: gateway })).toBe('');
    // This machine pushes there (the demo did, step 3).
    expect((await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:5001/v2/'])).stdout).toBe('200');
  });

  test("the user's current kubectl context is as it was", async () => {
    expect(await currentContext()).toBe(contextBefore);
  });
});

// A NetworkPolicy, enforced for real (on the demo's kind cluster by
// kube-network-policies, manifests/cluster/network-policies.yaml): the Pod
// (manifests/overlays/network-policy) takes connections on 8080 only, from
// the probe Pod only. The step holds a second port in the app on every
// address (9091) and asks from the probe Pod before the policy and with it;
// the app keeps reaching its sidecar over 127.0.0.1 throughout.
import { handshakeFiles } from '../../../../apps/probe/client.js';
import type { Connected } from '../../../../apps/probe/contract.js';
import { judgeNetworkPolicy, type PolicySeen } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Kube, PodStatus } from '../../../lib/kube.js';
import type { Progress } from '../../../lib/report.js';
import { inBackground, pollUntil } from '../../../lib/wait.js';
import { k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { PROBE_POD } from '../../probe-pod.js';
import { byHand } from './by-hand.js';

const OTHER_PORT = 9091;
const ROUND_TRIP = 5;

/** What the probe Pod reaches of the Pod, while the app holds OTHER_PORT on every address, and what the app reaches over loopback. */
async function look(kube: Kube, pod: PodStatus): Promise<PolicySeen> {
  // The holder says it is bound, and is told to stop, through files in the
  // volume both containers mount: it holds for as long as the asking takes,
  // however slow the execs, so a refused 9091 is never the holder's absence.
  const files = handshakeFiles('/shared', ['bound', 'done']);
  const held = inBackground(kube.probe(pod.name, 'app', { ready: files.bound, until: files.done }).hold('0.0.0.0', OTHER_PORT, 60_000));
  const outside = kube.probe(PROBE_POD, 'probe');
  try {
    const loopback = await kube.probe(pod.name, 'app', { when: [files.bound] }).connect('127.0.0.1', 9090);
    return { allowed: await outside.connect(pod.ip!, 8080), other: await outside.connect(pod.ip!, OTHER_PORT), loopback };
  } finally {
    await kube.probe(pod.name, 'app').signal(files.done);
    await held;
  }
}

const said = (answer: Connected) => (answer.ok ? 'connected' : (answer.code ?? 'failed'));

export const step: Claim = {
  byHand,
  overlay: 'network-policy',
  title: () => 'network policy: the Pod takes 8080 from the probe Pod only; under deny-all its containers still talk over 127.0.0.1',
  ownDeployment: { pods: 1, seconds: 25 },
  unavailable: needsKubernetes,
  run: async (context, progress: Progress) => {
    const { kube, own, base, overlay } = k8sOf(context);
    const pod = await own.deploy(base, progress);
    progress('before the policy: 8080 and 9091 from the probe Pod');
    const before = await look(kube, pod);
    progress('with the policy (kubectl apply of the overlay: the same Deployment, and its NetworkPolicy)');
    await kube.apply(overlay(), own.name);
    // The enforcer syncs its rules a moment after the policy is stored.
    let after = before;
    await pollUntil(async () => !(after = await look(kube, pod)).other.ok, { timeoutMs: 20_000, what: 'the policy to be enforced' }).catch(
      () => undefined,
    );
    progress('deny-all: the same policy with no ingress and no egress rule');
    const denyAllPatch = [
      { op: 'replace', path: '/spec/policyTypes', value: ['Ingress', 'Egress'] },
      { op: 'replace', path: '/spec/ingress', value: [] },
    ];
    await kube.inNamespace(['patch', `networkpolicy/${own.name}`, '--type=json', '-p', JSON.stringify(denyAllPatch)]);
    const outside = kube.probe(PROBE_POD, 'probe');
    let allowed = after.allowed;
    await pollUntil(async () => !(allowed = await outside.connect(pod.ip!, 8080)).ok, {
      timeoutMs: 20_000,
      what: 'deny-all to be enforced',
    }).catch(() => undefined);
    const roundTrip = await kube.probe(pod.name, 'app').roundtrip('http://127.0.0.1:8080', ROUND_TRIP, 30_000);
    const denyAll = { allowed, processed: roundTrip.processed, sent: ROUND_TRIP };
    assertCheck('network policy', judgeNetworkPolicy({ before, after, denyAll }));
    return (
      `before the policy: 8080 ${said(before.allowed)}, 9091 ${said(before.other)}; with it: 8080 ${said(after.allowed)} from the probe Pod, ` +
      `9091 ${said(after.other)} (dropped), the app to its sidecar on 127.0.0.1:9090 ${said(after.loopback)}; ` +
      `under deny-all: 8080 ${said(allowed)}, and ${denyAll.processed} of ${ROUND_TRIP} messages through the app, the queue and the sidecar inside the Pod`
    );
  },
};

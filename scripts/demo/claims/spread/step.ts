// Three replicas spread over the nodes (manifests/overlays/spread). The
// scheduler places a Pod whole: wherever a replica lands, its app and sidecar
// are there together, in one sandbox. Each replica has its own loopback and
// its own queues: a message sent to one replica's app is processed by that
// replica's sidecar and unknown to every other. Every replica starts: the
// queue budget of UID 10001 is per node, and the report counts it per node.
import { judgeSpread, type ReplicaSeen } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { PodStatus } from '../../../lib/kube.js';
import { NAME_LABEL } from '../../../lib/manifests.js';
import { messageIdOf, untilSettled } from '../../../lib/message-answers.js';
import { k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { readPodNamespaces } from '../../judges/namespaces.js';
import { PROBE_POD } from '../../probe-pod.js';
import { byHand } from './by-hand.js';

const REPLICAS = 3;

export const step: Claim = {
  byHand,
  overlay: 'spread',
  title: () => 'spread: three replicas over the nodes, each Pod whole on its node, with its own loopback and queues',
  ownDeployment: { pods: REPLICAS, seconds: 25 },
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, own, overlay, queueBudget } = k8sOf(context);
    await own.deployNoWait(overlay());
    progress(`waiting for the rollout of deployment/${own.name}`);
    await kube.rollout(own.name, 180);
    const pods = (await kube.podsByLabel(own.selector)).filter((pod) => !pod.terminating);
    // Seen from the probe Pod, as any client of the Service would.
    const { http } = kube.probe(PROBE_POD, 'probe');
    const app = (pod: PodStatus) => `http://${pod.ip}:8080`;

    progress('a message to each replica, then its id asked of the others');
    const replicas: ReplicaSeen[] = [];
    for (const pod of pods) {
      const seen = readPodNamespaces((await http('GET', `${app(pod)}/pod`)).body);
      const posted = await http('POST', `${app(pod)}/messages`, JSON.stringify({ text: `for ${pod.name} only` }));
      const id = messageIdOf(posted.body);
      const ask = (asked: string) => http('GET', `${app(pod)}/messages/${asked}`);
      const state = id ? (await untilSettled(ask, id, 10_000)).state : `refused (${posted.status})`;
      const elsewhere = id
        ? await Promise.all(
            pods
              .filter((other) => other !== pod)
              .map(async (other) => ({ pod: other.name, status: (await http('GET', `${app(other)}/messages/${id}`)).status })),
          )
        : [];
      replicas.push({
        pod: pod.name,
        node: pod.node ?? '?',
        verdict: seen?.verdict ?? null,
        net: seen?.app.net ?? null,
        sent: { id, state },
        elsewhere,
      });
    }
    const schedulable = await kube.schedulableNodes();
    assertCheck('spread', judgeSpread(replicas, REPLICAS, schedulable));

    // The budget is the node's: count every queue-making Pod of the demo on each node.
    const demoPods = (await kube.podsByLabel(NAME_LABEL)).filter((pod) => !pod.terminating);
    const nodes = [...new Set(pods.map((pod) => pod.node ?? '?'))].sort();
    const perNode = nodes.map((node) => {
      const here = pods.filter((pod) => pod.node === node).length;
      const all = demoPods.filter((pod) => pod.node === node).length;
      return `${node}: ${here} (the demo's Pods there: ${all} x ${queueBudget.perPod} = ${all * queueBudget.perPod} of ${queueBudget.limit} bytes)`;
    });
    context.fact('spread', perNode.join('; '));
    const spread =
      schedulable === null
        ? 'the nodes could not be read, so the spread was not checked'
        : schedulable < 2
          ? `only ${schedulable} node can take Pods here, so they could not spread`
          : `spread over ${schedulable} nodes that can take Pods`;
    return `${pods.length} replicas on ${nodes.length} node(s), ${spread}: ${perNode.join('; ')}; each message processed by its own replica, unknown (404) to the ${REPLICAS - 1} others; ${REPLICAS} distinct net namespaces`;
  },
};

// One pid namespace for the whole Pod (manifests/overlays/shared-pid,
// `shareProcessNamespace: true`): the pid verdict of 5a flips to shared, the
// pause process is PID 1 of every container, and each container sees the
// other's processes, and, under the same UID, reads their environment and
// root filesystem through /proc. That is the cost the report names.
import { judgeSharedPid } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { APP, k8sOf, needsKubernetesFor, type Claim } from '../../context.js';
import { byHand } from './by-hand.js';

const said = (seen: string[] | { error: string }, what: string) =>
  Array.isArray(seen) ? `${what} (${seen.length} entries)` : `not ${what} (${seen.error})`;

export const step: Claim = {
  byHand,
  overlay: 'shared-pid',
  title: () => 'shared process namespace: pause is PID 1, each container sees and can reach into the other',
  ownDeployment: { pods: 1, seconds: 8 },
  unavailable: needsKubernetesFor(
    'shareProcessNamespace is a Pod setting (with Docker, `docker run --pid container:…` does the same by hand)',
  ),
  run: async (context, progress) => {
    const { kube, own, overlay } = k8sOf(context);
    const pod = await own.deploy(overlay(), progress);
    const [inApp, inSidecar] = [kube.probe(pod.name, 'app'), kube.probe(pod.name, 'sidecar')];
    const app = await inApp.ps();
    const sidecar = await inSidecar.ps();
    const answer = await inApp.http('GET', `${APP}/pod`);
    assertCheck('shared process namespace', judgeSharedPid({ pod: answer.body, app, sidecar }));
    const sidecarPid = app.find((process) => process.command.includes('dist/apps/sidecar/main.js'))!.pid;
    const peeked = await inApp.peek(sidecarPid);
    return (
      `PID 1 is ${app.find((process) => process.pid === 1)!.command}; the app sees ${app.length} processes, the sidecar's as PID ${sidecarPid}, and ` +
      `${said(peeked.environ, 'reads its environment')}, ${said(peeked.root, 'lists its root filesystem')}; it could signal it too`
    );
  },
};

// 5p. One pid namespace for the whole Pod (manifests/overlays/shared-pid,
// `shareProcessNamespace: true`): the pid verdict of 5a flips to shared, the
// pause process is PID 1 of every container, and each container sees the
// other's processes, and, under the same UID, reads their environment and
// root filesystem through /proc. That is the cost the report names.
import type { ProcessSeen } from '../../../apps/probe/processes.js';
import { assertCheck, judgeSharedPid } from '../../lib/checks.js';
import { APP, k8sOf, needsKubernetesFor, type Http, type Step } from '../context.js';

type Peeked = { environ: string[] | { error: string }; root: string[] | { error: string } };
const said = (seen: string[] | { error: string }, what: string) =>
  Array.isArray(seen) ? `${what} (${seen.length} entries)` : `not ${what} (${seen.error})`;

export const step: Step = {
  id: '5p',
  title: () => 'shared process namespace: pause is PID 1, each container sees and can reach into the other',
  ownDeployment: { pods: 1, seconds: 8 },
  unavailable: needsKubernetesFor(
    'shareProcessNamespace is a Pod setting (with Docker, `docker run --pid container:…` does the same by hand)',
  ),
  run: async (context, progress) => {
    const { kube, own, overlay } = k8sOf(context);
    const pod = await own.deploy(overlay('shared-pid'), progress);
    const probe = (container: 'app' | 'sidecar', ...args: string[]) => kube.probe(pod.name, container, ...args);
    const app = (await probe('app', 'ps')) as ProcessSeen[];
    const sidecar = (await probe('sidecar', 'ps')) as ProcessSeen[];
    const answer = (await probe('app', 'http', 'GET', `${APP}/pod`)) as Http;
    assertCheck('shared process namespace', judgeSharedPid({ pod: answer.body, app, sidecar }));
    const sidecarPid = app.find((process) => process.command.includes('dist/apps/sidecar/main.js'))!.pid;
    const peeked = (await probe('app', 'peek', String(sidecarPid))) as Peeked;
    return (
      `PID 1 is ${app.find((process) => process.pid === 1)!.command}; the app sees ${app.length} processes, the sidecar's as PID ${sidecarPid}, and ` +
      `${said(peeked.environ, 'reads its environment')}, ${said(peeked.root, 'lists its root filesystem')}; it could signal it too`
    );
  },
};

// 5d. What a Pod shares stays in it: from a second Pod the queue does not
// exist and the sidecar's loopback port is refused on the first Pod's IP.
import { assertCheck, judgeIsolation } from '../../lib/checks.js';
import type { Step } from '../context.js';
import { ensureProbePod, PROBE_POD } from '../probe-pod.js';

export const isolation: Step = {
  id: '5d',
  title: () => "isolation: from another Pod, the queue does not exist and the sidecar's port is refused",
  run: async (context, progress) => {
    const { ip } = await context.basePod(progress);
    await ensureProbePod(context.kube, progress);
    const outside = (...args: string[]) => context.kube.probe(PROBE_POD, 'probe', ...args);
    assertCheck(
      'isolation',
      judgeIsolation({ queue: await outside('mq-open', '/podmates.requests', '10', '4096'), sidecarPort: await outside('connect', ip!, '9090'), sidecarAddress: `${ip}:9090` }),
    );
    const app = (await outside('connect', ip!, '8080')) as { ok: boolean };
    return `the app's ${ip}:8080 ${app.ok ? 'answers' : 'does not answer'} from the probe Pod`;
  },
};

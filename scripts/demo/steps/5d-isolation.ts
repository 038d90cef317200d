// 5d. What a Pod shares stays in it: from outside the queue does not exist and
// the sidecar's loopback port is refused on the Pod's address.
import { assertCheck, judgeIsolation } from '../../lib/checks.js';
import type { Step } from '../context.js';

export const step: Step = {
  id: '5d',
  title: () => "isolation: from outside the Pod, the queue does not exist and the sidecar's port is refused",
  run: async (context, progress) => {
    const target = await context.target(progress);
    const ip = target.address;
    const outside = (...args: string[]) => target.probeOutside(...args);
    assertCheck(
      'isolation',
      judgeIsolation({
        queue: await outside('mq-open', '/podmates.requests', '10', '4096'),
        sidecarPort: await outside('connect', ip, '9090'),
        sidecarAddress: `${ip}:9090`,
      }),
    );
    const app = (await outside('connect', ip, '8080')) as { ok: boolean };
    const nodes = await target.nodes?.();
    const where = nodes
      ? ` (the Pod on ${nodes.pod}, ${target.outside} on ${nodes.outside === nodes.pod ? 'the same node' : `another node, ${nodes.outside}`})`
      : '';
    return `the app's ${ip}:8080 ${app.ok ? 'answers' : 'does not answer'} from ${target.outside}${where}`;
  },
};

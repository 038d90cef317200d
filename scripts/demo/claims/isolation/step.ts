// What a Pod shares stays in it: from outside the queue does not exist and
// the sidecar's loopback port is refused on the Pod's address.
import { REQUEST_QUEUE } from '../../../../apps/probe/contract.js';
import { judgeIsolation } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => "isolation: from outside the Pod, the queue does not exist and the sidecar's port is refused",
  run: async (context, progress) => {
    const target = await context.target(progress);
    const ip = target.address;
    const outside = target.probe('outside');
    assertCheck(
      'isolation',
      judgeIsolation({
        queue: await outside.mqOpen(...REQUEST_QUEUE),
        sidecarPort: await outside.connect(ip, 9090),
        sidecarAddress: `${ip}:9090`,
      }),
    );
    const app = await outside.connect(ip, 8080);
    const nodes = await target.nodes?.();
    const where = nodes
      ? ` (the Pod on ${nodes.pod}, ${target.outside} on ${nodes.outside === nodes.pod ? 'the same node' : `another node, ${nodes.outside}`})`
      : '';
    return `the app's ${ip}:8080 ${app.ok ? 'answers' : 'does not answer'} from ${target.outside}${where}`;
  },
};

// One network namespace: each container reaches the other on 127.0.0.1,
// and the sidecar, bound to 127.0.0.1 only, is not on the Pod's address.
import { assertCheck } from '../../../lib/check-failed.js';
import { APP, SIDECAR, type Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => "HTTP over 127.0.0.1 both ways, and via the Pod's address from inside the Pod",
  run: async (context, progress) => {
    const target = await context.target(progress);
    const ip = target.address;
    const problems: string[] = [];
    const expectStatus = async (container: 'app' | 'sidecar', url: string) => {
      const answer = await target.probe(container).http('GET', url);
      if (answer.status !== 200) problems.push(`GET ${url} from the ${container} container answered ${answer.status}`);
    };
    await expectStatus('app', `${SIDECAR}/healthz`);
    await expectStatus('sidecar', `${APP}/healthz`);
    await expectStatus('sidecar', `http://${ip}:8080/healthz`);
    const sidecarOnPodIp = await target.probe('app').connect(ip, 9090);
    if (sidecarOnPodIp.ok) problems.push(`the sidecar answers on the Pod IP ${ip}:9090: it should listen on 127.0.0.1 only`);
    assertCheck('loopback', problems);
    return `app → sidecar and sidecar → app on 127.0.0.1; app on ${ip}:8080; sidecar not on ${ip}:9090 (${sidecarOnPodIp.code})`;
  },
};

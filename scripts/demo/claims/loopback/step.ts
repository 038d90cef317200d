// One network namespace: each container reaches the other on 127.0.0.1 (the
// answer names who answered), and the sidecar, bound to 127.0.0.1 only, is
// not on the Pod's address.
import { judgeLoopback, type LoopbackAsk } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { APP, SIDECAR, type Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => "HTTP over 127.0.0.1 both ways, and via the Pod's address from inside the Pod",
  run: async (context, progress) => {
    const target = await context.target(progress);
    const ip = target.address;
    const ask = async (from: 'app' | 'sidecar', to: 'app' | 'sidecar', url: string): Promise<LoopbackAsk> => ({
      from,
      to,
      url,
      answer: await target.probe(from).http('GET', url),
    });
    const asks = [
      await ask('app', 'sidecar', `${SIDECAR}/healthz`),
      await ask('sidecar', 'app', `${APP}/healthz`),
      await ask('sidecar', 'app', `http://${ip}:8080/healthz`),
    ];
    const sidecarOnPodIp = await target.probe('app').connect(ip, 9090);
    assertCheck('loopback', judgeLoopback(asks, { ...sidecarOnPodIp, address: `${ip}:9090` }));
    return `app → sidecar and sidecar → app on 127.0.0.1, each answer from the service asked for; app on ${ip}:8080; sidecar not on ${ip}:9090 (${sidecarOnPodIp.code})`;
  },
};

// What 5b requires of the answers: each GET /healthz answered 200 by the
// service it was meant for (the body names it: any container of the Pod could
// hold a port on 127.0.0.1), and the sidecar's port not open on the Pod IP.
import type { Connected, HttpResult } from '../../../../apps/probe/contract.js';

export interface LoopbackAsk {
  /** The container that asked. */
  from: 'app' | 'sidecar';
  /** The service that should have answered. */
  to: 'app' | 'sidecar';
  url: string;
  answer: HttpResult;
}

export function judgeLoopback(asks: LoopbackAsk[], sidecarOnPodIp: Connected & { address: string }): string[] {
  const problems: string[] = [];
  for (const { from, to, url, answer } of asks) {
    const service = (answer.body as { service?: unknown } | null)?.service;
    if (answer.status !== 200) problems.push(`GET ${url} from the ${from} container answered ${answer.status}`);
    else if (service !== to)
      problems.push(
        `GET ${url} from the ${from} container was answered by ${typeof service === 'string' ? `the ${service}` : 'a server that did not say which it is'}, not the ${to}`,
      );
  }
  if (sidecarOnPodIp.ok) problems.push(`the sidecar answers on the Pod IP ${sidecarOnPodIp.address}: it should listen on 127.0.0.1 only`);
  return problems;
}

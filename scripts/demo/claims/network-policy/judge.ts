// 5w's judge: a NetworkPolicy enforced for real, and what it cannot touch.
// Before the policy, the probe Pod reaches both the app's 8080 and another
// port the app holds on every address (9091); with it, only 8080, and the
// sidecar is still reached over 127.0.0.1: loopback never leaves the Pod, so
// no policy, which filters at the Pod's interface, ever sees it.
import type { Connected } from '../../../../apps/probe/contract.js';

export interface PolicySeen {
  /** From the probe Pod, to the Pod's address. */
  allowed: Connected;
  other: Connected;
  /** From the app, to the sidecar on 127.0.0.1. */
  loopback: Connected;
}

const said = (answer: Connected) => (answer.ok ? 'connected' : (answer.code ?? 'failed'));

/** Under a deny-all policy (ingress and egress): the probe Pod's 8080, and a message round trip inside the Pod. */
export interface DenyAllSeen {
  allowed: Connected;
  /** Messages posted to the app on 127.0.0.1 and processed by the sidecar, of `sent`. */
  processed: number;
  sent: number;
}

export function judgeNetworkPolicy({ before, after, denyAll }: { before: PolicySeen; after: PolicySeen; denyAll: DenyAllSeen }): string[] {
  const problems: string[] = [];
  if (!before.allowed.ok || !before.other.ok)
    problems.push(
      `before the policy the probe Pod did not reach both ports (8080: ${said(before.allowed)}, 9091: ${said(before.other)}): ` +
        'what the policy then blocks would prove nothing',
    );
  if (!after.allowed.ok)
    problems.push(`with the policy the allowed client did not reach 8080 (${said(after.allowed)}): the policy's from: or ports: is wrong`);
  if (after.other.ok)
    problems.push('with the policy 9091 still answered the probe Pod: nothing enforces NetworkPolicy here, or the policy names no ports');
  else if (after.other.code !== 'ETIMEDOUT')
    problems.push(`with the policy 9091 was ${said(after.other)}, not dropped (a timeout): something else refused it`);
  if (!after.loopback.ok)
    problems.push(`with the policy the app no longer reached its sidecar on 127.0.0.1:9090 (${said(after.loopback)})`);
  if (denyAll.allowed.ok) problems.push('under deny-all the probe Pod still reached 8080: the deny-all policy was not enforced');
  if (denyAll.processed !== denyAll.sent)
    problems.push(
      `under deny-all ${denyAll.processed} of ${denyAll.sent} messages went from the app to its sidecar and back: the policy reached inside the Pod`,
    );
  return problems;
}

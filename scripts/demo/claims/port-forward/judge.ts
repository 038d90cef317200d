// 5q's judge: loopback is a network boundary, not access control.
/**
 * Loopback is a network boundary, not an access control: port-forward (the
 * runtime dialing 127.0.0.1 inside the Pod's network namespace) reaches the
 * sidecar that no other Pod can; RBAC on pods/portforward is what guards it.
 */
export function judgePortForward(seen: {
  forwarded: { status: number } | { error: string };
  outside: { ok: boolean; code?: string };
  address: string;
  denied: string | null;
  who: string;
}): string[] {
  const problems: string[] = [];
  if ('error' in seen.forwarded) problems.push(`kubectl port-forward did not reach the sidecar's 127.0.0.1:9090: ${seen.forwarded.error}`);
  else if (seen.forwarded.status !== 200)
    problems.push(`through kubectl port-forward the sidecar answered ${seen.forwarded.status}, not 200`);
  if (seen.outside.ok)
    problems.push(
      `${seen.address} accepted a connection from the probe Pod: the sidecar is not on loopback only, so port-forward shows nothing`,
    );
  if (seen.denied === null)
    problems.push(`${seen.who} could port-forward too: nothing but RBAC guards a loopback port, and it allowed this`);
  else if (!/forbidden/i.test(seen.denied)) problems.push(`port-forward as ${seen.who} failed, but not for RBAC: ${seen.denied}`);
  return problems;
}

// What each claim looks like by hand: the commands a reader types on the
// cluster `npm run demo -- --keep` leaves, and what their output shows. Each
// claim's folder has its own (by-hand.ts); docs/by-hand.md is generated from
// them (`npm run docs`), `npm run demo -- --explain` prints them after each
// step, and test/kind/by-hand.test.ts runs every one, in order, on a kept
// cluster and checks its output.

/** A claim as the by-hand page states it, and the commands that show it. */
export interface ByHandClaim {
  /** The claim, in a line: "they talk over 127.0.0.1". */
  claim: string;
  commands: ByHand[];
  /** The kind cluster they are typed on when not the demo's: podmates-userns, which `npm run demo:userns -- --keep` leaves. */
  cluster?: string;
  /** What to type afterwards to leave the cluster as the demo left it (an overlay applied by hand, replicas scaled). */
  restore?: string;
}

/** One command, and what its output must show. */
export interface ByHand {
  /** What the reader sees, in a sentence. */
  see: string;
  /** bash, from the project's root, after PREAMBLE; printed as it is. */
  run: string;
  /** What the output must match: the by-hand test checks it, and says which command and output broke it. */
  shows: RegExp;
}

/**
 * Typed once at the start (the page says so): the demo's namespace, its Pod
 * (one not being deleted: after a rollout the old one lingers, and
 * `deploy/podmates` may pick it), the probe CLI in a container of that Pod or
 * in the probe Pod, the Pod's IP. Every command of every claim uses these.
 */
export const PREAMBLE = `k() { kubectl -n podmates "$@"; }
pod() { k get pod -l app.kubernetes.io/name=podmates -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}}{{"\\n"}}{{end}}{{end}}' | head -1; }
probe() { k exec "$(pod)" -c "$1" -- node dist/apps/probe/main.js "\${@:2}"; }
outside() { k exec podmates-probe -- node dist/apps/probe/main.js "$@"; }
pod_ip() { k get pod "$(pod)" -o jsonpath='{.status.podIP}'; }`;

/** Applies an overlay by hand, as the steps that deploy one do beside the base Pod, and waits for its rollout. */
export function applyOverlay(name: string, see: string): ByHand {
  return {
    see,
    run: `kubectl apply -k manifests/overlays/${name} && k rollout status deploy/podmates --timeout=180s`,
    shows: /successfully rolled out/,
  };
}

/** What puts the demo's Pod back after an overlay: the base, applied by hand. */
export const BACK_TO_BASE = 'kubectl apply -k manifests/base && k rollout status deploy/podmates --timeout=180s';

/**
 * A port of the Pod reached from this machine through kubectl port-forward
 * (in the background while `script`, Node's, runs; stopped after it).
 */
export function throughPortForward(local: number, port: number, script: string): string {
  return `kubectl -n podmates port-forward "pod/$(pod)" ${local}:${port} > /dev/null & sleep 3
node -e "${script}"
kill $!`;
}

/** Why a command's output does not show what the page says (naming the step, the command and the output), or null. */
export function judgeByHand(id: string, { run, shows }: ByHand, output: string): string | null {
  return shows.test(output) ? null : `${id}: \`${run}\` printed:\n${output}\nwhich does not match ${String(shows)}`;
}

/** The commands as the page and --explain print them: what each shows, then the command; then how to restore. */
export function explainByHand({ commands, restore }: ByHandClaim): string {
  const lines = commands.map(({ see, run }) => `# ${see}\n${run}`);
  return [...lines, ...(restore ? [`# and back to the demo's Pod\n${restore}`] : [])].join('\n');
}

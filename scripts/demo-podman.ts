// `npm run demo:podman`: the base manifests played as a Podman Pod with
// `podman kube play`, proven with the demo's own steps (scripts/demo/claims/)
// where Podman can run them and with its own (scripts/demo/podman/), then
// taken down.
import { runContainerDemo, type CommonValues } from './demo/container-demo.js';
import { BREAKAGES, PodmanSetup, type Breakage } from './demo/podman/setup.js';

const USAGE = `usage: npm run demo:podman -- [--keep] [--no-setup] [--json] [--html FILE] [--messages N] [--broken ${BREAKAGES.join('|')}]
  --keep          leave the Podman Pod running afterwards (then its stop is not measured)
  --no-setup      fail with what to run when Docker or Podman is missing (by default, as root on Debian/Ubuntu, it installs them)
  --json          the report as JSON on stdout, alone (the run's progress goes to stderr)
  --html FILE     also write the report's HTML page here (it is always in artifacts/podman-<time>/report.html)
  --messages N    messages sent through the queues (default 200)
  --broken NAME   break the Pod on purpose: sidecar-own-ipc runs the sidecar in an IPC namespace of its own`;

runContainerDemo<CommonValues & { broken?: string }>({
  name: 'demo:podman',
  usage: USAGE,
  title: "podmates: the Pod's manifests played by Podman",
  label: 'podman',
  extra: { broken: { type: 'string' } },
  check: ({ broken }) => {
    if (broken !== undefined && !(BREAKAGES as readonly string[]).includes(broken))
      throw new Error(`--broken takes ${BREAKAGES.join(', ')}, got ${JSON.stringify(broken)}\n${USAGE}`);
  },
  pod: (values, report, folder) =>
    new PodmanSetup({ keep: values.keep, setUp: !values['no-setup'], folder, broken: values.broken as Breakage | undefined }, report),
});

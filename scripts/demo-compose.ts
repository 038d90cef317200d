// `npm run demo:compose`: the Pod reproduced with docker-compose, proven with
// the demo's own steps (scripts/demo/claims/) where Docker can run them and
// with compose's start and stop order, then taken down.
import { ComposeSetup } from './demo/compose-setup.js';
import { runContainerDemo, type CommonValues } from './demo/container-demo.js';

const USAGE = `usage: npm run demo:compose -- [--keep] [--no-setup] [--json] [--html FILE] [--messages N] [--project NAME] [--override FILE]
  --keep          leave the compose Pod running afterwards (then its stop order is not measured)
  --no-setup      fail with what to run when no Docker Engine answers (by default, as root on Debian/Ubuntu, it starts one)
  --json          the report as JSON on stdout, alone (the run's progress goes to stderr)
  --html FILE     also write the report's HTML page here (it is always in artifacts/compose-<time>/report.html)
  --messages N    messages sent through the queues (default 200)
  --project NAME  compose project name (default podmates-demo)
  --override FILE an extra compose file on top of docker-compose.yml (e.g. to break the Pod on purpose)`;

runContainerDemo<CommonValues & { project: string; override: string[] }>({
  name: 'demo:compose',
  usage: USAGE,
  title: 'podmates: a Pod reproduced with docker-compose',
  label: 'compose',
  extra: {
    project: { type: 'string', default: 'podmates-demo' },
    override: { type: 'string', multiple: true, default: [] },
  },
  pod: (values, report, folder) =>
    new ComposeSetup(
      { project: values.project, overrides: values.override, keep: values.keep, setUp: !values['no-setup'], folder },
      report,
    ),
});

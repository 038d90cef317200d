// The air-gapped scripts run as root on people's machines: smoke.sh deletes
// only a cluster it made itself. A "cluster" kind lists (a container with
// kind's cluster label) that smoke.sh did not make is refused by name and
// left as it was.
import { execaSync } from 'execa';
import { afterAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { describeIf } from '../support/describe-pod.js';
import { airgapReady } from '../support/kind-demo.js';

const NAME = 'podmates-not-smokes';
const CONTAINER = `${NAME}-control-plane`;

describeIf(
  'the air-gapped scripts on a cluster they did not make',
  airgapReady ? null : 'needs the air-gapped kind and node image (scripts/airgap/build.sh)',
  () => {
    afterAll(() => execaSync('docker', ['rm', '-f', CONTAINER], { reject: false }));

    test('smoke.sh refuses a cluster of its name it did not make, and leaves it', () => {
      execaSync('docker', [
        'run',
        '-d',
        '--name',
        CONTAINER,
        '--label',
        `io.x-k8s.kind.cluster=${NAME}`,
        'podmates-local/busybox:1.35.0-4_deb12u1_b1',
        'sleep',
        '600',
      ]);
      const smoke = execaSync('bash', ['scripts/airgap/smoke.sh', '--name', NAME], { cwd: PROJECT_ROOT, reject: false });
      expect(smoke.exitCode).not.toBe(0);
      expect(smoke.stderr).toContain(
        `a kind cluster ${NAME} exists that smoke.sh did not make: delete it yourself, or give --name another name`,
      );
      expect(execaSync('docker', ['inspect', '-f', '{{.State.Running}}', CONTAINER]).stdout).toBe('true');
    });
  },
);

// Every shell script of the project, checked by ShellCheck (Debian's package)
// at warning level: the scripts run as root, on CI and on people's machines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { describeIf } from '../support/describe-pod.js';

/** Tracked files that are shell scripts: *.sh, and any file whose first line names bash or sh. */
function shellScripts(): string[] {
  const files = execaSync('git', ['ls-files'], { cwd: PROJECT_ROOT }).stdout.split('\n');
  return files.filter((file) => {
    if (file.endsWith('.sh')) return true;
    if (file.includes('.') && !file.startsWith('.ci/')) return false;
    try {
      return /^#!\s*\/(usr\/)?bin\/(env )?(ba)?sh\b/.test(readFileSync(join(PROJECT_ROOT, file), 'utf8').split('\n', 1)[0] ?? '');
    } catch {
      return false;
    }
  });
}

const blocker =
  execaSync('sh', ['-c', 'command -v shellcheck'], { reject: false }).exitCode === 0
    ? null
    : 'needs shellcheck (apt-get install shellcheck)';

describeIf('shell scripts', blocker, () => {
  test('every shell script passes ShellCheck at warning level', () => {
    const scripts = shellScripts();
    expect(scripts).toEqual(
      expect.arrayContaining(['.ci/run', 'scripts/host/ensure-docker.sh', 'scripts/airgap/node/rootfs/usr/local/bin/entrypoint']),
    );
    const result = execaSync('shellcheck', ['--severity=warning', '--format=gcc', ...scripts], { cwd: PROJECT_ROOT, reject: false });
    expect(result.stdout, `ShellCheck findings in ${scripts.length} scripts`).toBe('');
    expect(result.exitCode).toBe(0);
  });

  test('the check can fail: an unquoted expansion is a finding', () => {
    const result = execaSync('shellcheck', ['--severity=warning', '--format=gcc', '-'], {
      input: '#!/bin/bash\nrm $(ls)\n',
      reject: false,
    });
    expect(result.stdout).toMatch(/SC2046/);
  });
});

// What `npm run demo` decides when it sets the machine up: which Go is recent
// enough, what it tells a user whose Docker it cannot start, and how long the
// air-gapped build has left.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { AIRGAP_PHASES, minutes, secondsLeft } from '../../scripts/setup/airgap-build.js';
import { dockerHint } from '../../scripts/setup/docker-engine.js';
import { goIsRecentEnough, parseGoVersion } from '../../scripts/setup/go-toolchain.js';

test('Go 1.25 and newer build kind and Kubernetes 1.34; older ones and other answers do not', () => {
  expect(parseGoVersion('go version go1.25.3 linux/amd64')).toEqual([1, 25]);
  expect(parseGoVersion('go version go1.26rc1 linux/amd64')).toEqual([1, 26]);
  expect(parseGoVersion('bash: go: command not found')).toBeNull();
  expect(goIsRecentEnough([1, 25])).toBe(true);
  expect(goIsRecentEnough([2, 0])).toBe(true);
  expect(goIsRecentEnough([1, 24])).toBe(false);
  expect(goIsRecentEnough([1, 19])).toBe(false);
});

test('a user whose Docker the demo does not start is told the command for that system', () => {
  expect(dockerHint({ platform: 'darwin', root: false, apt: false })).toMatch(/Docker Desktop.*colima start/);
  const debian = dockerHint({ platform: 'linux', root: false, apt: true });
  expect(debian).toMatch(/sudo systemctl start docker/);
  expect(debian).toMatch(/sudo bash scripts\/host\/ensure-docker\.sh/);
  expect(debian).toMatch(/rootless/);
  expect(dockerHint({ platform: 'linux', root: true, apt: false })).toMatch(/docs\.docker\.com\/engine\/install/);
});

test("the progress knows build.sh's phases, in build.sh's order", () => {
  const script = readFileSync(`${PROJECT_ROOT}/scripts/airgap/build.sh`, 'utf8');
  const phases = /^ALL_PHASES=\(([^)]*)\)$/m.exec(script)?.[1]?.split(' ');
  expect(AIRGAP_PHASES.map((phase) => phase.name)).toEqual(phases);
});

test('the time left is the rest of the running phase and every later one', () => {
  const phases = [
    { name: 'a', what: 'a', coldSeconds: 100 },
    { name: 'b', what: 'b', coldSeconds: 300 },
    { name: 'c', what: 'c', coldSeconds: 60 },
  ];
  expect(secondsLeft(phases, 'a', 0)).toBe(460);
  expect(secondsLeft(phases, 'b', 100)).toBe(260);
  // A phase slower than measured still has a little left, never a negative time.
  expect(secondsLeft(phases, 'b', 1000)).toBe(90);
  expect(secondsLeft(phases, 'c', 10)).toBe(50);
  expect(secondsLeft(phases, 'unknown', 10)).toBe(0);
  expect(minutes(45)).toBe('45 s');
  expect(minutes(600)).toBe('10 min');
});

// The containers.conf of `npm run demo:podman`: limits Podman can set, and
// the project's pause image as the infra image.
import { expect, test } from 'vitest';
import { containersConf } from '../../scripts/lib/podman-pod.js';

// /proc/self/limits as CI's sandbox has it (2026-12-07).
const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             96367                96367                processes
Max open files            20000                20000                files
Max msgqueue size         819200               819200               bytes
`;

test("the containers get this process's hard limit of open files and at most 32,768 processes", () => {
  expect(containersConf(LIMITS)).toContain('default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]');
  expect(containersConf(LIMITS.replace(/96367/g, '4096'))).toContain('"nproc=4096:4096"');
});

test('the infra image is the pause image the demo builds, as podman load names it', () => {
  expect(containersConf(LIMITS)).toMatch(/^infra_image = "localhost\/podmates\/pause:\d+\.\d+\.\d+"$/m);
});

test('limits without the line it needs are an error that names it', () => {
  expect(() => containersConf('Limit Soft Hard Units\n')).toThrow('no "Max open files" in /proc/self/limits');
});

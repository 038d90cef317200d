// Namespace tests need root on Linux. Elsewhere they are skipped with the reason
// printed; under CI they must run, so there a missing prerequisite is a failure.
import { describe, test } from 'vitest';
import { namespaceBlocker } from './pod-box.js';

export function describePod(name: string, body: () => void): void {
  const blocker = namespaceBlocker();
  if (blocker === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    test(`${name}: prerequisites`, () => {
      throw new Error(`namespace tests cannot run under CI: ${blocker}`);
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${blocker}\n`);
  // Skipped on purpose outside CI: these tests need root and Linux namespaces.
  describe.skip(`${name} (needs root on Linux: ${blocker})`, body);
}

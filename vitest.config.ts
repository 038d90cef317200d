import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A claim's judge is tested beside it, in its folder under scripts/demo/.
    include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The namespace tests start real processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each "Pod in a box" holds two POSIX queues charged to one UID's RLIMIT_MSGQUEUE
    // (819200 bytes): running the files one at a time keeps the total well under it.
    fileParallelism: false,
    // The JSON file lets .ci/run print a plain "N passed, N failed" line and refuse skips;
    // the JUnit file is for CI systems that show test results (the workflow uploads it).
    reporters: [
      'default',
      ['json', { outputFile: 'artifacts/test-results.json' }],
      ['junit', { outputFile: 'artifacts/vitest-junit.xml' }],
    ],
  },
});

// How much the bench measures: the counts of a full run and of --smoke.
import type { BenchArgs } from './args.js';
import type { RunPlan } from './protocol.js';
import type { LoadPlan } from './service-load.js';

export interface Settings {
  plan: RunPlan;
  rounds: number;
  load: LoadPlan;
}

export function settingsFor(args: Pick<BenchArgs, 'smoke' | 'rounds'>): Settings {
  // Counts are fixed; the budgets only bound a run on a machine far slower than expected.
  const window = 8; // below the queues' 10 messages, so a producer never waits for room
  if (args.smoke) {
    return {
      plan: { payloads: [64, 4096], warmup: 100, latencyCount: 300, throughputCount: 1000, window, budgetMs: 8_000 },
      rounds: args.rounds ?? 1,
      load: { count: 500, window, payload: 64, budgetMs: 10_000 },
    };
  }
  return {
    plan: { payloads: [64, 4096], warmup: 1000, latencyCount: 3000, throughputCount: 10_000, window, budgetMs: 30_000 },
    // Five rounds: how far the limit moves from round to round is part of the report.
    rounds: args.rounds ?? 5,
    load: { count: 10_000, window, payload: 64, budgetMs: 30_000 },
  };
}

// The two C references, as the report and the chart show them. Their code is
// scripts/bench/mq-limit.c, which runs.ts starts in every round whatever
// --channels says: every other row is a multiple of the limit.
import type { ChannelInfo } from './transport.js';

/** Blocking mq_receive: a wake-up per message on each side, as any event loop pays (the practical floor). */
export const cLimit: ChannelInfo<'c-limit'> = { name: 'c-limit', label: 'C limit: blocking mq_receive', colour: '#000000' };

/** Busy-polling mq_receive: no sleep, no wake-up, a whole CPU a side (the physical floor). */
export const cBusy: ChannelInfo<'c-busy'> = { name: 'c-busy', label: 'C floor: busy-polling', colour: '#777777' };

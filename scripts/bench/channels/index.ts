import type { ChannelName, CReference } from '../protocol.js';
import { httpChannel } from './http.js';
import { mqRawChannel } from './mq-raw.js';
import { mqChannel } from './mq.js';
import { redisChannel } from './redis.js';
import { tcpChannel, udsChannel, udsPathChannel } from './stream.js';
import type { Channel } from './transport.js';

/** The channels run by Node processes; the C references are their own program (mq-limit.c). */
export const NODE_CHANNELS: Record<Exclude<ChannelName, CReference>, Channel> = {
  mq: mqChannel,
  'mq-raw': mqRawChannel,
  http: httpChannel,
  tcp: tcpChannel,
  uds: udsChannel,
  'uds-path': udsPathChannel,
  redis: redisChannel,
};

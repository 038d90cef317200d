// Redis on 127.0.0.1 as a queue between the two processes: the client RPUSHes
// requests and BLPOPs replies; the peer BLPOPs requests and RPUSHes them back.
// Each side keeps one connection for pushes and one for blocking pops.
import { ENDPOINTS } from '../protocol.js';
import { encodeCommand, RespConnection, RespError, type RespValue } from '../resp.js';
import { noReply, type Channel, type Transport } from './transport.js';

const REQUESTS = 'podmates:bench:requests';
const REPLIES = 'podmates:bench:replies';
const POP_REQUEST = encodeCommand(['BLPOP', REQUESTS, '0']);
const POP_REPLY = encodeCommand(['BLPOP', REPLIES, '0']);

function popped(value: RespValue): Buffer {
  if (!Array.isArray(value) || !Buffer.isBuffer(value[1])) {
    throw new RespError(`BLPOP answered ${value instanceof Error ? value.message : JSON.stringify(value)}`);
  }
  return value[1];
}

const checkPush = (value: RespValue) => {
  if (typeof value !== 'number') throw new RespError(`RPUSH answered ${String(value)}`);
};

export const redisChannel: Channel = {
  async connect(): Promise<Transport> {
    const pusher = await RespConnection.open(ENDPOINTS.redisPort);
    const popper = await RespConnection.open(ENDPOINTS.redisPort);
    await pusher.call('DEL', REQUESTS, REPLIES);
    let lastPayload: Buffer | null = null;
    let push: Buffer = Buffer.alloc(0);
    const onPop = (value: RespValue) => {
      if (popped(value).length !== lastPayload?.length) throw new RespError('echo of another size');
      transport.onReply();
    };
    const transport: Transport = {
      onReply: noReply,
      send(payload) {
        if (payload !== lastPayload) {
          lastPayload = payload;
          push = encodeCommand(['RPUSH', REQUESTS, payload]);
        }
        pusher.send(push, checkPush);
        // One blocking pop per message in flight: Redis serves them in order.
        popper.send(POP_REPLY, onPop);
      },
    };
    return transport;
  },

  async serve(window: number): Promise<void> {
    const pusher = await RespConnection.open(ENDPOINTS.redisPort);
    const popper = await RespConnection.open(ENDPOINTS.redisPort);
    const onPop = (value: RespValue) => {
      pusher.send(encodeCommand(['RPUSH', REPLIES, popped(value)]), checkPush);
      popper.send(POP_REQUEST, onPop);
    };
    for (let i = 0; i < window; i++) popper.send(POP_REQUEST, onPop);
  },
};

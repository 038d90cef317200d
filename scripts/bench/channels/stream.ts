// Raw byte streams: TCP on 127.0.0.1 and Unix domain sockets (abstract, and on
// a path), each message a 4-byte big-endian length and the payload, echoed
// frame by frame.
import { rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENDPOINTS } from '../protocol.js';
import { noReply, perPayload, type Channel, type ChannelInfo, type Transport } from './transport.js';

/** Splits a byte stream into length-prefixed frames; `onFrame` gets each whole frame, header included. */
export class FrameReader {
  private pending: Buffer | null = null;

  constructor(private readonly onFrame: (frame: Buffer) => void) {}

  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let offset = 0;
    while (data.length - offset >= 4) {
      const end = offset + 4 + data.readUInt32BE(offset);
      if (end > data.length) break;
      this.onFrame(data.subarray(offset, end));
      offset = end;
    }
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
  }
}

export function frame(payload: Buffer): Buffer {
  const framed = Buffer.alloc(4 + payload.length);
  framed.writeUInt32BE(payload.length, 0);
  payload.copy(framed, 4);
  return framed;
}

type Address = { port: number; host: string } | { path: string };

function streamChannel<Name extends string>(info: ChannelInfo<Name>, address: Address): Channel<Name> {
  const tune = (socket: Socket) => {
    if ('port' in address) socket.setNoDelay(true);
  };
  return {
    ...info,
    async connect(): Promise<Transport> {
      const socket = connect(address);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      tune(socket);
      const framedOf = perPayload(frame);
      let framed: Buffer = Buffer.alloc(0);
      const transport: Transport = {
        onReply: noReply,
        send(payload) {
          framed = framedOf(payload);
          socket.write(framed);
        },
      };
      const reader = new FrameReader((reply) => {
        if (reply.length !== framed.length) throw new Error(`echo of ${reply.length} bytes, expected ${framed.length}`);
        transport.onReply();
      });
      socket.on('data', (chunk: Buffer) => reader.push(chunk));
      return transport;
    },

    async serve(): Promise<void> {
      const server = createServer((socket) => {
        tune(socket);
        // Frames that arrived together leave together.
        const reader = new FrameReader((request) => socket.write(request));
        socket.on('data', (chunk: Buffer) => {
          socket.cork();
          reader.push(chunk);
          socket.uncork();
        });
        socket.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
        if ('port' in address) server.listen(address.port, address.host);
        else {
          // A socket file a killed peer left behind (the compose Pod's /shared outlives a round).
          if (!address.path.startsWith('\0')) rmSync(address.path, { force: true });
          server.listen(address.path);
        }
      });
    },
  };
}

export const tcpChannel = streamChannel(
  { name: 'tcp', label: 'TCP 127.0.0.1', colour: '#2ca02c' },
  { port: ENDPOINTS.tcpPort, host: '127.0.0.1' },
);
export const udsChannel = streamChannel({ name: 'uds', label: 'Unix socket, abstract', colour: '#9467bd' }, { path: ENDPOINTS.unixPath });
export const udsPathChannel = streamChannel(
  { name: 'uds-path', label: 'Unix socket, path', colour: '#c5b0d5' },
  // Read when the peer or client starts: the harness sets it for this channel only.
  { path: process.env[ENDPOINTS.unixFile] ?? join(tmpdir(), 'podmates-bench.sock') },
);

// The project's loopback HTTP path: node-fetch with a keep-alive http.Agent (as
// apps/app/sidecar-client.ts) to an express server with JSON bodies (as the
// sidecar), carrying the same envelope as the queue path.
import { Agent } from 'node:http';
import express from 'express';
import fetch from 'node-fetch';
import { decodeRequest } from '../../../apps/shared/envelope.js';
import { ENDPOINTS } from '../protocol.js';
import { newRequest, noReply, perPayload, type Channel, type Transport } from './transport.js';

const URL_ECHO = `http://127.0.0.1:${ENDPOINTS.httpPort}/echo`;

export const httpChannel: Channel<'http'> = {
  name: 'http',
  label: 'HTTP, project path',
  colour: '#1f77b4',

  async connect(): Promise<Transport> {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const headers = { 'content-type': 'application/json' };
    const textOf = perPayload((payload) => payload.toString('utf8'));
    // Replies can complete out of order over several connections; the harness counts them.
    const call = async (id: string, body: Buffer) => {
      const response = await fetch(URL_ECHO, { method: 'POST', body, headers, agent });
      const reply = decodeRequest(Buffer.from(await response.arrayBuffer()));
      if (response.status !== 200 || reply.id !== id) throw new Error(`unexpected reply ${response.status} ${reply.id}`);
      transport.onReply();
    };
    const transport: Transport = {
      onReply: noReply,
      send(payload) {
        // Over HTTP the envelope travels as one JSON object (version 1), as JSON APIs do.
        const { id, envelope } = newRequest(textOf(payload), (request) => Buffer.from(JSON.stringify({ v: 1, ...request })));
        call(id, envelope).catch((error: unknown) => {
          process.stderr.write(`http: ${String(error)}\n`);
          process.exit(1);
        });
      },
    };
    return transport;
  },

  async serve(): Promise<void> {
    const app = express();
    app.disable('x-powered-by');
    app.post('/echo', express.json({ limit: '64kb', strict: true }), (req, res) => {
      res.json(req.body);
    });
    await new Promise<void>((resolve, reject) => {
      const server = app.listen(ENDPOINTS.httpPort, '127.0.0.1');
      server.once('listening', resolve);
      server.once('error', reject);
    });
  },
};

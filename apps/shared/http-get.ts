// A GET over loopback with node:http only: the exec health probe and the
// sidecar's look at the app use it, and neither should load more than this.
import { request } from 'node:http';

export interface GetAnswer {
  status: number;
  body: unknown;
}

/** A response body as JSON, or as the text itself when it is not JSON (e.g. /metrics). */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Resolves with the status and the parsed JSON body (or the text); rejects with the socket error, e.g. ECONNREFUSED. */
export function httpGet(url: string, timeoutMs: number): Promise<GetAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

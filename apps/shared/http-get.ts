// A GET over loopback with node:http only: the exec health probe and the
// sidecar's look at the app use it, and neither should load more than this.
import { request } from 'node:http';

export interface GetAnswer {
  status: number;
  body: unknown;
}

/** Resolves with the status and the parsed JSON body (or the text); rejects with the socket error, e.g. ECONNREFUSED. */
export function httpGet(url: string, timeoutMs: number): Promise<GetAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

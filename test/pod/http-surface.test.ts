// The app's public port as a hostile web sees it: every answer carries the
// security headers (JSON too), a name that is not the Pod's is refused (a DNS
// rebinding page reaching a port-forward on 127.0.0.1), a page of another
// origin cannot post, and failures say what is wrong without internals.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PAGE_POLICY } from '../../apps/app/live-page.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, PodBox, startPod } from '../support/pod-box.js';

let pod: PodBox;
beforeAll(async () => {
  pod = await PodBox.create('http-surface');
  await startPod(pod, { ALLOWED_HOSTS: 'podmates,podmates.podmates.svc.cluster.local' });
});
afterAll(() => pod?.dispose());

const request = (method: string, path: string, headers: string[] = [], body?: string) =>
  // An empty body is no body: the probe takes it to reach the header arguments.
  pod.probe().http(method, `${APP_URL}${path}`, body ?? '', 'application/json', ...headers);

describePod("the app's public port under abuse", () => {
  test('every answer carries the policy, nosniff, no-referrer and a request id: JSON, refusals and 404s too', async () => {
    for (const [method, path, body] of [
      ['GET', '/healthz'],
      ['GET', '/api/state'],
      ['GET', '/nowhere'],
      ['GET', '/lifecycle.svg'],
      ['POST', '/messages', '{"text":1}'],
    ] as const) {
      const answer = await request(method, path, [], body);
      expect(answer.headers, `${method} ${path}`).toMatchObject({
        'content-security-policy': PAGE_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('a Pod without a lifecycle record says so on GET /lifecycle.svg (404), it does not draw an empty life', async () => {
    expect(await request('GET', '/lifecycle.svg')).toMatchObject({
      status: 404,
      body: { reason: 'no_lifecycle_record', error: expect.stringContaining('LIFECYCLE_FILE is not set') as unknown },
    });
  });

  test("a name that is not the Pod's is refused with 421; IP literals, localhost and ALLOWED_HOSTS are served", async () => {
    expect(await request('GET', '/api/state', ['Host: rebound.attacker.example:8080'])).toMatchObject({
      status: 421,
      body: { reason: 'host_not_allowed' },
    });
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'podmates:8080', 'PODMATES.podmates.svc.cluster.local']) {
      expect((await request('GET', '/healthz', [`Host: ${host}`])).status, host).toBe(200);
    }
  });

  test("a POST from a page of another origin is refused with 403; the page's own origin may post", async () => {
    const text = JSON.stringify({ text: 'from a page' });
    expect(await request('POST', '/messages', ['Origin: http://attacker.example'], text)).toMatchObject({
      status: 403,
      body: { reason: 'cross_origin' },
    });
    expect((await request('POST', '/messages', ['Origin: http://127.0.0.1:8080'], text)).status).toBe(202);
  });
});

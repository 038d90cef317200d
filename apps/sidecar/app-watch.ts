// The sidecar looks at the app over 127.0.0.1 (their shared network namespace)
// to know, when it is told to stop, whether the whole Pod is stopping.
import { httpGet } from '../shared/http-get.js';

export type AppState = 'serving' | 'draining' | 'gone';

export async function appState(appUrl: string): Promise<AppState> {
  try {
    const answer = await httpGet(`${appUrl}/readyz`, 500);
    const body = answer.body as { draining?: unknown } | null;
    return answer.status === 503 && body?.draining === true ? 'draining' : 'serving';
  } catch (error) {
    // Nobody listens on the app's port: the app container has stopped (or is restarting).
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return 'gone';
    return 'serving';
  }
}

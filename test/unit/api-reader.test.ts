import { expect, test } from 'vitest';
import { ApiReader } from '../../scripts/lib/api-reader.js';

// The reads themselves are every kind test's; here, what a user sees when the proxy cannot start.
test('a kubectl proxy that cannot start fails the read with what kubectl said', async () => {
  const reader = new ApiReader(['kubectl', '--kubeconfig', '/nonexistent/podmates-kubeconfig', '--context', 'none']);
  await expect(reader.get('/api/v1/namespaces')).rejects.toThrow(
    /^kubectl proxy exited 1: error: stat \/nonexistent\/podmates-kubeconfig: no such file or directory$/,
  );
});

test('a kubectl that is not installed fails the read, naming it', async () => {
  const reader = new ApiReader(['/nonexistent/kubectl']);
  await expect(reader.get('/api')).rejects.toThrow(/^kubectl proxy exited \d+: .*\/nonexistent\/kubectl/);
});

import { throughPortForward, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "the app's live page, from this machine, with a strict Content-Security-Policy",
  commands: [
    {
      see: 'Through a port-forward the page answers with its policy; open http://127.0.0.1:18080/ in a browser while it runs to watch the Pod.',
      run: throughPortForward(
        18080,
        8080,
        "fetch('http://127.0.0.1:18080/').then((r) => console.log(r.status, r.headers.get('content-security-policy')))",
      ),
      shows: /^200 default-src 'none'; script-src 'self'/,
    },
  ],
};

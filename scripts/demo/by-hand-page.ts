// docs/by-hand.md, rendered from the claims' by-hand commands: the page is
// never edited by hand (test/unit/by-hand-page.test.ts compares it with this),
// so it cannot say what the commands, run by test/kind/by-hand.test.ts, do not.
import { PREAMBLE } from './by-hand.js';
import type { Step } from './context.js';

const INTRO = `# Each claim, and how to see it by hand

[← podmates](../README.md)

<!-- Generated from scripts/demo/claims/*/by-hand.ts by \`npm run docs\`: edit those, not this page. -->

Each section below is one step of the demo: the claim it checks, where the
check is written, and the commands that show the same thing without the
harness. They run in this order, on the kind cluster that
\`npm run demo -- --keep\` leaves behind, and \`npm test\` runs every one of
them there (\`test/kind/by-hand.test.ts\`) and checks what it prints. Some
change the Pod (an overlay applied, a container restarted); each of those
ends with the commands that put the demo's Pod back.

## Before you start

The demo gives its kind cluster a kubeconfig of its own, so that your
current context stays as it was; the demo loads its images into the node
under the tag the manifests name (\`podmates/app:0.1.0\`), so that
\`kubectl apply -k\` by hand runs the same build. Then a few shell functions
that every command below uses: \`probe app|sidecar VERB ...\` runs the probe
CLI (\`dist/apps/probe/main.js\`, in both images; without arguments it lists
its verbs) in a container of the demo's Pod, \`outside VERB ...\` in the
probe Pod, another Pod of the namespace.

\`\`\`sh
export KUBECONFIG=~/.kube/kind-podmates.yaml
${PREAMBLE}
\`\`\`
`;

/** The page, from the steps in the index's order. */
export function renderByHandPage(steps: readonly Step[]): string {
  const sections = steps.map(({ id, folder, byHand }) => {
    const files = `[step](../scripts/demo/claims/${folder}/step.ts), [by hand](../scripts/demo/claims/${folder}/by-hand.ts)`;
    const where = byHand.cluster
      ? [`On the cluster \`npm run demo:userns -- --keep\` leaves: \`export KUBECONFIG=~/.kube/kind-${byHand.cluster}.yaml\`.`]
      : [];
    const commands = byHand.commands.map(({ see, run }) => `${see}\n\n\`\`\`sh\n${run}\n\`\`\``);
    const restore = byHand.restore ? [`Back to the demo's Pod:\n\n\`\`\`sh\n${byHand.restore}\n\`\`\``] : [];
    return [`## ${id}`, `**${byHand.claim}** (${files})`, ...where, ...commands, ...restore].join('\n\n');
  });
  return `${INTRO}\n${sections.join('\n\n')}\n`;
}

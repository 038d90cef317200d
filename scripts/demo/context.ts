// What every demo step gets: the cluster, the Pod under test, and the few
// actions that change what is deployed. scripts/demo.ts makes it; the steps
// in scripts/demo/steps/ use it.
import type { KindCluster } from '../lib/kind.js';
import type { Kube, PodStatus } from '../lib/kube.js';
import type { Progress } from '../lib/report.js';

export const APP = 'http://127.0.0.1:8080';
export const SIDECAR = 'http://127.0.0.1:9090';
export const SELECTOR = 'app.kubernetes.io/name=podmates';

/** The probe's `http` answer. */
export interface Http {
  status: number;
  body: Record<string, unknown>;
}

export interface DemoContext {
  kube: Kube;
  /** The kind cluster when the demo runs on one (steps that need its node use it), else null. */
  cluster: KindCluster | null;
  /** Messages through the queues (--messages). */
  messages: number;
  /** The kustomizations of the base Pod (--base) and of the clash (--clash). */
  base: string;
  clash: string;
  /** The base Pod (--base), deployed again if an earlier step replaced it with an overlay. */
  basePod(progress: Progress): Promise<PodStatus>;
  /** Replaces the Deployment with this kustomization and waits for its one Pod. */
  deploy(directory: string, progress: Progress): Promise<PodStatus>;
  /** Replaces the Deployment without waiting (a Pod that must fail never rolls out); returns the API server's warnings. */
  deployNoWait(directory: string): Promise<string[]>;
  /** A line for the report's summary. */
  fact(name: string, value: unknown): void;
}

export interface Step {
  /** Its name in the report and for --only: 5a, 5b, … */
  id: string;
  title(context: DemoContext): string;
  /** Why the step cannot run here (the report says so), or null. */
  unavailable?(context: DemoContext): string | null;
  /** Returns the detail line; throws CheckFailed naming what broke. */
  run(context: DemoContext, progress: Progress): Promise<string>;
}

// What a POSIX message queue costs, and who pays. The kernel charges every
// queue, when it is created, to its creator's RLIMIT_MSGQUEUE (`ulimit -q`,
// 819200 bytes by default): to the UID, across every IPC namespace on the node.
// So all Pods that run as one UID on one node share one budget, and the Pod
// that goes over it cannot create its queues ("Too many open files").

/** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on 64-bit Linux. */
const MSG_HEADER_BYTES = 48;
const TREE_NODE_BYTES = 48;
/** MQ_PRIO_MAX: the kernel keeps at most one tree node per priority. */
const PRIORITIES = 32768;

/** The bytes one queue is charged (ipc/mqueue.c: mq_treesize + maxmsg * msgsize). */
export function queueBytes(maxMessages: number, messageSize: number): number {
  return maxMessages * MSG_HEADER_BYTES + Math.min(maxMessages, PRIORITIES) * TREE_NODE_BYTES + maxMessages * messageSize;
}

/** The Pod's two queues (requests and replies). */
export function podQueueBytes(maxMessages: number, messageSize: number): number {
  return 2 * queueBytes(maxMessages, messageSize);
}

/** The soft RLIMIT_MSGQUEUE of this process, from /proc/self/limits; null where that cannot be read. */
export function parseMsgqueueLimit(limits: string): number | null {
  const line = limits.split('\n').find((l) => l.startsWith('Max msgqueue size'));
  const soft = line?.slice('Max msgqueue size'.length).trim().split(/\s+/)[0];
  if (soft === undefined) return null;
  return soft === 'unlimited' ? Infinity : Number(soft);
}

export interface BudgetContext {
  queue: string;
  maxMessages: number;
  messageSize: number;
  uid: number;
  limit: number | null;
}

/** Why opening `queue` failed with EMFILE, in words a Pod's owner can act on. */
export function budgetExhausted(context: BudgetContext): string {
  const own = queueBytes(context.maxMessages, context.messageSize);
  const pod = podQueueBytes(context.maxMessages, context.messageSize);
  const limit = context.limit ?? 819_200;
  const fit = Math.floor(limit / pod);
  return (
    `RLIMIT_MSGQUEUE of UID ${context.uid} is used up: ${context.queue} needs ${own} bytes of its ${limit}-byte budget ` +
    `(ulimit -q). Every POSIX queue created by UID ${context.uid} in any IPC namespace on this kernel (the node's; on kind one kernel for all nodes), that is every Pod ` +
    `running as this UID here, is charged to it: a Pod's two queues take ${pod} bytes with ` +
    `QUEUE_MAX_MESSAGES=${context.maxMessages} QUEUE_MESSAGE_SIZE=${context.messageSize}, so ${fit} such Pods fit. ` +
    'Run fewer replicas per node, lower those settings, or give each Deployment its own runAsUser ' +
    '(`hostUsers: false` maps the UID per Pod, but the kernel also charges the levels above: see docs/survival.md)'
  );
}

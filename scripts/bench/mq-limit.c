/*
 * The limits: a ping-pong between two processes over POSIX message queues with
 * the same attributes as the project's (10 messages of 8192 bytes), in C and
 * nothing else. The two sides are two processes, started apart like the Node
 * channels' (and pinned the same way, by taskset), so they can also run in
 * two containers of one Pod. Two ways to wait:
 *   blocking  mq_receive sleeps until a message comes: a wake-up per message
 *             on each side, as any event loop pays (the practical floor);
 *   busy      a non-blocking mq_receive in a loop: no sleep, no wake-up, a
 *             whole CPU per side (the physical floor).
 * Built and run by `npm run bench`.
 *
 * usage: mq-limit <blocking|busy> peer <queue-prefix>
 *          echoes every message until an empty one; prints "ready" once it listens
 *        mq-limit <blocking|busy> client <queue-prefix> <payload-bytes> <warmup> <latency-count> <throughput-count> <window>
 *          prints one JSON object: latency samples in ns, the throughput run, its peak RSS
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGES 10
#define MESSAGE_SIZE 8192
/* A stuck peer fails the run instead of hanging it. */
#define TIMEOUT_S 10

static void die(const char *what) {
  fprintf(stderr, "mq-limit: %s: %s\n", what, strerror(errno));
  exit(1);
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int busy;

static ssize_t receive(mqd_t q, char *buf) {
  if (busy) {
    long long give_up = now_ns() + TIMEOUT_S * 1000000000LL;
    for (;;) {
      ssize_t n = mq_receive(q, buf, MESSAGE_SIZE, NULL);
      if (n >= 0) return n;
      if (errno != EAGAIN || now_ns() > give_up) die("mq_receive");
    }
  }
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += TIMEOUT_S;
  ssize_t n = mq_timedreceive(q, buf, MESSAGE_SIZE, NULL, &deadline);
  if (n < 0) die("mq_receive");
  return n;
}

static void send(mqd_t q, const char *buf, size_t len) {
  if (mq_send(q, buf, len, 0) != 0) die("mq_send");
}

static mqd_t open_queue(const char *name) {
  struct mq_attr attr = {0};
  attr.mq_maxmsg = MAX_MESSAGES;
  attr.mq_msgsize = MESSAGE_SIZE;
  /* Sends never wait either way: at most `window` (< 10) messages are in flight. */
  mqd_t q = mq_open(name, O_RDWR | O_CREAT | (busy ? O_NONBLOCK : 0), 0600, &attr);
  if (q == (mqd_t)-1) die(name);
  return q;
}

static int usage(const char *self) {
  fprintf(stderr, "usage: %s <blocking|busy> peer <queue-prefix>\n", self);
  fprintf(stderr, "       %s <blocking|busy> client <queue-prefix> <payload-bytes> <warmup> <latency-count> <throughput-count> <window>\n", self);
  return 2;
}

/* The echo side: every message back as it came; an empty one ends it. */
static int peer(mqd_t req, mqd_t rep) {
  static char buf[MESSAGE_SIZE];
  printf("ready\n");
  fflush(stdout);
  for (;;) {
    ssize_t n = receive(req, buf);
    if (n == 0) return 0;
    send(rep, buf, (size_t)n);
  }
}

int main(int argc, char **argv) {
  if (argc < 4 || (strcmp(argv[1], "blocking") != 0 && strcmp(argv[1], "busy") != 0)) return usage(argv[0]);
  busy = strcmp(argv[1], "busy") == 0;
  int is_client = strcmp(argv[2], "client") == 0;
  if (!is_client && (strcmp(argv[2], "peer") != 0 || argc != 4)) return usage(argv[0]);
  if (is_client && argc != 9) return usage(argv[0]);
  char req_name[256], rep_name[256];
  snprintf(req_name, sizeof req_name, "%s.req", argv[3]);
  snprintf(rep_name, sizeof rep_name, "%s.rep", argv[3]);
  mqd_t req = open_queue(req_name), rep = open_queue(rep_name);
  if (!is_client) return peer(req, rep);

  size_t payload = strtoul(argv[4], NULL, 10);
  long warmup = atol(argv[5]), latency_count = atol(argv[6]), throughput_count = atol(argv[7]), window = atol(argv[8]);
  if (payload < 1 || payload > MESSAGE_SIZE || window < 1 || window > MAX_MESSAGES) {
    fprintf(stderr, "mq-limit: payload must be 1-%d bytes and window 1-%d\n", MESSAGE_SIZE, MAX_MESSAGES);
    return 2;
  }
  static char buf[MESSAGE_SIZE], out[MESSAGE_SIZE];
  memset(out, 'x', payload);

  for (long i = 0; i < warmup; i++) {
    send(req, out, payload);
    if ((size_t)receive(rep, buf) != payload) die("short echo");
  }
  long long *samples = malloc(sizeof(long long) * (size_t)(latency_count > 0 ? latency_count : 1));
  if (!samples) die("malloc");
  for (long i = 0; i < latency_count; i++) {
    long long t0 = now_ns();
    send(req, out, payload);
    if ((size_t)receive(rep, buf) != payload) die("short echo");
    samples[i] = now_ns() - t0;
  }

  long sent = 0, received = 0;
  long long t0 = now_ns();
  for (; sent < window && sent < throughput_count; sent++) send(req, out, payload);
  while (received < throughput_count) {
    if ((size_t)receive(rep, buf) != payload) die("short echo");
    received++;
    if (sent < throughput_count) {
      send(req, out, payload);
      sent++;
    }
  }
  long long elapsed = now_ns() - t0;

  /* The empty message ends the peer; the names go, the memory with the last process holding them. */
  send(req, out, 0);
  mq_unlink(req_name);
  mq_unlink(rep_name);
  struct rusage self;
  getrusage(RUSAGE_SELF, &self);

  printf("{\"latencyNs\":[");
  for (long i = 0; i < latency_count; i++) printf(i ? ",%lld" : "%lld", samples[i]);
  printf("],\"throughput\":{\"messages\":%ld,\"seconds\":%.9f},", received, elapsed / 1e9);
  printf("\"peakRssKiB\":%ld}\n", self.ru_maxrss);
  return 0;
}

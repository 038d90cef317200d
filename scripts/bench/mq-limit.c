/*
 * The limits: a ping-pong between two processes over POSIX message queues with
 * the same attributes as the project's (10 messages of 8192 bytes), in C and
 * nothing else, each process pinned to its own CPU. Two ways to wait:
 *   blocking  mq_receive sleeps until a message comes: a wake-up per message
 *             on each side, as any event loop pays (the practical floor);
 *   busy      a non-blocking mq_receive in a loop: no sleep, no wake-up, a
 *             whole CPU per side (the physical floor).
 * Built and run by `npm run bench`.
 *
 * usage: mq-limit <blocking|busy> <client-cpu> <peer-cpu> <queue-prefix> <payload-bytes> <warmup> <latency-count> <throughput-count> <window>
 * prints one JSON object: latency samples in ns, the throughput run, peak RSS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
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

static void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
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

int main(int argc, char **argv) {
  if (argc != 10 || (strcmp(argv[1], "blocking") != 0 && strcmp(argv[1], "busy") != 0)) {
    fprintf(stderr, "usage: %s <blocking|busy> <client-cpu> <peer-cpu> <queue-prefix> <payload-bytes> <warmup> <latency-count> <throughput-count> <window>\n", argv[0]);
    return 2;
  }
  busy = strcmp(argv[1], "busy") == 0;
  int client_cpu = atoi(argv[2]), peer_cpu = atoi(argv[3]);
  argv += 3;
  char req_name[256], rep_name[256];
  snprintf(req_name, sizeof req_name, "%s.req", argv[1]);
  snprintf(rep_name, sizeof rep_name, "%s.rep", argv[1]);
  size_t payload = strtoul(argv[2], NULL, 10);
  long warmup = atol(argv[3]), latency_count = atol(argv[4]), throughput_count = atol(argv[5]), window = atol(argv[6]);
  if (payload < 1 || payload > MESSAGE_SIZE || window < 1 || window > MAX_MESSAGES) {
    fprintf(stderr, "mq-limit: payload must be 1-%d bytes and window 1-%d\n", MESSAGE_SIZE, MAX_MESSAGES);
    return 2;
  }
  mqd_t req = open_queue(req_name), rep = open_queue(rep_name);
  static char buf[MESSAGE_SIZE], out[MESSAGE_SIZE];
  memset(out, 'x', payload);

  pid_t echo = fork();
  if (echo < 0) die("fork");
  if (echo == 0) {
    /* The echo peer: every message back as it came; an empty one ends it. */
    pin(peer_cpu);
    for (;;) {
      ssize_t n = receive(req, buf);
      if (n == 0) _exit(0);
      send(rep, buf, (size_t)n);
    }
  }

  pin(client_cpu);
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

  send(req, out, 0);
  int status = 0;
  waitpid(echo, &status, 0);
  struct rusage self, children;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  mq_unlink(req_name);
  mq_unlink(rep_name);

  printf("{\"latencyNs\":[");
  for (long i = 0; i < latency_count; i++) printf(i ? ",%lld" : "%lld", samples[i]);
  printf("],\"throughput\":{\"messages\":%ld,\"seconds\":%.9f},", received, elapsed / 1e9);
  printf("\"peakRssKiB\":{\"client\":%ld,\"peer\":%ld}}\n", self.ru_maxrss, children.ru_maxrss);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

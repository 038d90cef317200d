#!/usr/bin/env bash
# ensure-docker.sh — make a working Docker Engine available on this host.
#
# Idempotent. Run as root on Debian 12 (PID 1 need not be systemd):
#   1. if `docker info` already works: say so and exit 0 (unless --verify);
#   2. install docker.io, docker-compose (v1), debootstrap, python3 if missing;
#   3. start dockerd in the background (log: /var/log/podmates-dockerd.log)
#      and wait for `docker info`;
#   4. check that `docker run --privileged` works; if it fails with
#      "unable to apply caps" (kernel bounding set lacks a capability), install
#      scripts/host/runc-caps-shim as /usr/local/sbin/podmates-runc-caps-shim,
#      make it dockerd's default runtime in /etc/docker/daemon.json, restart
#      dockerd and check again (run and exec).
#
# Options:
#   --verify   when dockerd is already up, still run the privileged check (4)
#              and install the shim if needed (restarts dockerd in that case).
#   --uninstall  put daemon.json back as it was before the shim, remove the
#              shim and restart dockerd. The shim is never installed over
#              another default runtime set in daemon.json: the script stops.
# Environment:
#   DOCKER_START_TIMEOUT  seconds to wait for `docker info` (default 90)
#   PODMATES_DOCKERD_LOG  dockerd log file (default /var/log/podmates-dockerd.log)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly SHIM_SRC="$SCRIPT_DIR/runc-caps-shim"
readonly SHIM_DEST=/usr/local/sbin/podmates-runc-caps-shim
readonly SHIM_RUNTIME=podmates-caps
readonly DAEMON_JSON=/etc/docker/daemon.json
readonly DOCKERD_LOG="${PODMATES_DOCKERD_LOG:-/var/log/podmates-dockerd.log}"
readonly DOCKERD_PIDFILE=/var/run/docker.pid
readonly START_TIMEOUT="${DOCKER_START_TIMEOUT:-90}"
readonly TEST_REPO=podmates-local/busybox

APT_UPDATED=0
VERIFY=0

export LOG_TAG=ensure-docker
# shellcheck source=log.sh
source "$(dirname "${BASH_SOURCE[0]}")/log.sh"

docker_ok() { docker info >/dev/null 2>&1; }

apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed (is the Debian mirror reachable?)"
    APT_UPDATED=1
  fi
}

pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

install_packages() {
  local missing=() p
  for p in docker.io docker-compose debootstrap python3; do
    pkg_installed "$p" || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "packages present: docker.io docker-compose debootstrap python3"
    return
  fi
  apt_update_once
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  command -v dockerd >/dev/null || die "dockerd still not on PATH after installing docker.io"
  log "installed: dockerd $(dockerd --version | sed 's/^Docker version //')"
}

dockerd_pid() {
  local pid
  [[ -s $DOCKERD_PIDFILE ]] || return 1
  pid=$(<"$DOCKERD_PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

wait_for_docker() {
  local pid=$1 deadline=$((SECONDS + START_TIMEOUT))
  until docker_ok; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      die "dockerd (pid $pid) exited during start-up; see $DOCKERD_LOG"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      die "docker info did not succeed within ${START_TIMEOUT}s (dockerd pid $pid); see $DOCKERD_LOG"
    fi
    sleep 0.5
  done
}

start_dockerd() {
  local pid
  if pid=$(dockerd_pid); then
    log "dockerd already running (pid $pid) but not answering yet; waiting"
  else
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd (log: $DOCKERD_LOG)"
    printf '\n=== %s ensure-docker.sh starts dockerd ===\n' "$(date -Is)" >>"$DOCKERD_LOG"
    setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    pid=$!
  fi
  wait_for_docker "$pid"
  log "docker info OK (server $(docker version -f '{{.Server.Version}}'), default runtime $(docker info -f '{{.DefaultRuntime}}'))"
}

stop_dockerd() {
  local pid i
  pid=$(dockerd_pid) || return 0
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  die "dockerd (pid $pid) did not exit within 60s after SIGTERM"
}

# A tiny local image for the checks: Debian's static busybox, not pulled.
ensure_test_image() {
  local existing tmp deb ver tag
  existing=$(docker images --format '{{.Repository}}:{{.Tag}}' "$TEST_REPO" | head -n 1)
  if [[ -n $existing ]]; then
    TEST_IMAGE=$existing
    log "test image present: $TEST_IMAGE"
    return
  fi
  apt_update_once
  tmp=$(mktemp -d /var/tmp/podmates-busybox.XXXXXX)
  chmod 0755 "$tmp" # apt-get download fetches as user _apt
  log "building $TEST_REPO from Debian's busybox-static (apt-get download, not installed on the host)"
  (cd "$tmp" && apt-get download -qq busybox-static >/dev/null) || die "apt-get download busybox-static failed"
  deb=$(echo "$tmp"/busybox-static_*.deb)
  [[ -f $deb ]] || die "busybox-static .deb not found after download"
  ver=$(dpkg-deb -f "$deb" Version)
  dpkg-deb -x "$deb" "$tmp/x"
  mkdir -p "$tmp/root/bin" "$tmp/root/tmp" "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev" "$tmp/root/etc"
  cp "$tmp/x/bin/busybox" "$tmp/root/bin/busybox"
  local applet
  for applet in $("$tmp/root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$tmp/root/bin/$applet"
  done
  # Docker tags allow [A-Za-z0-9_.-]: drop the epoch, map '+' and '~' to '_'.
  ver=${ver#*:}
  tag="$TEST_REPO:${ver//[+~]/_}"
  tar --numeric-owner -C "$tmp/root" -cf - . |
    docker import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' \
      --message "Debian busybox-static $ver, imported by ensure-docker.sh" - "$tag" >/dev/null
  rm -rf "$tmp"
  TEST_IMAGE=$tag
  log "test image built: $TEST_IMAGE"
}

# Returns 0 if a privileged container runs; prints docker's error into $PRIV_ERR.
privileged_run_ok() {
  PRIV_ERR=$(docker run --rm --privileged "$TEST_IMAGE" true 2>&1) && return 0
  return 1
}

privileged_exec_ok() {
  local name="podmates-ensure-docker-exec-$$" rc=0
  docker run -d --privileged --name "$name" "$TEST_IMAGE" sleep 60 >/dev/null || return 1
  PRIV_ERR=$(docker exec --privileged "$name" true 2>&1) || rc=1
  docker rm -f "$name" >/dev/null 2>&1 || true
  return "$rc"
}

install_shim() {
  [[ -r $SHIM_SRC ]] || die "shim source $SHIM_SRC missing"
  command -v python3 >/dev/null || die "python3 is needed by the shim"
  mkdir -p "$(dirname "$DAEMON_JSON")"
  # Refuses (and so does this script) when another default runtime is set.
  python3 "$SCRIPT_DIR/daemon-json.py" install "$DAEMON_JSON" "$SHIM_RUNTIME" "$SHIM_DEST" || die "could not register the shim in $DAEMON_JSON (above)"
  if ! cmp -s "$SHIM_SRC" "$SHIM_DEST"; then
    install -m 0755 "$SHIM_SRC" "$SHIM_DEST"
    log "installed $SHIM_DEST"
  fi
  log "registered runtime '$SHIM_RUNTIME' as default in $DAEMON_JSON"
}

# daemon.json names the shim but the file is gone (or outdated): reinstall it.
refresh_shim_if_registered() {
  if [[ -s $DAEMON_JSON ]] && grep -q "$SHIM_DEST" "$DAEMON_JSON" && ! cmp -s "$SHIM_SRC" "$SHIM_DEST"; then
    install -m 0755 "$SHIM_SRC" "$SHIM_DEST"
    log "refreshed $SHIM_DEST (named in $DAEMON_JSON)"
  fi
}

# --uninstall: daemon.json as it was before the shim, the shim removed, and
# dockerd restarted when it runs.
uninstall_shim() {
  [[ $EUID -eq 0 ]] || die "must run as root"
  python3 "$SCRIPT_DIR/daemon-json.py" uninstall "$DAEMON_JSON" "$SHIM_RUNTIME" || die "could not restore $DAEMON_JSON"
  rm -f "$SHIM_DEST"
  log "restored $DAEMON_JSON and removed $SHIM_DEST"
  if docker_ok; then
    stop_dockerd
    start_dockerd
  fi
}

main() {
  while (($#)); do
    case $1 in
      --verify) VERIFY=1 ;;
      --uninstall) uninstall_shim && exit 0 ;;
      -h | --help) print_help && exit 0 ;;
      *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
  done
  [[ $EUID -eq 0 ]] || die "must run as root"

  log "phase 1/4: check for a running Docker Engine"
  if docker_ok; then
    log "docker info already works (server $(docker version -f '{{.Server.Version}}' 2>/dev/null), default runtime $(docker info -f '{{.DefaultRuntime}}' 2>/dev/null))"
    if [[ $VERIFY -eq 0 ]]; then
      log "nothing to do"
      exit 0
    fi
  else
    log "phase 2/4: packages"
    install_packages
    refresh_shim_if_registered
    log "phase 3/4: start dockerd"
    start_dockerd
  fi

  log "phase 4/4: privileged container check"
  ensure_test_image
  if privileged_run_ok && privileged_exec_ok; then
    log "docker run/exec --privileged OK"
  else
    if [[ $PRIV_ERR != *"unable to apply caps"* ]]; then
      printf '%s\n' "$PRIV_ERR" >&2
      die "docker --privileged failed for a reason other than 'unable to apply caps' (output above)"
    fi
    log "privileged container failed with 'unable to apply caps' (kernel CapBnd: $(awk '/^CapBnd/ {print $2}' /proc/self/status)); installing the capability shim"
    install_shim
    stop_dockerd
    start_dockerd
    if privileged_run_ok && privileged_exec_ok; then
      log "docker run/exec --privileged OK with the shim"
    else
      printf '%s\n' "$PRIV_ERR" >&2
      die "docker --privileged still fails with the shim (output above); see $DOCKERD_LOG"
    fi
  fi
  log "done"
}

main "$@"

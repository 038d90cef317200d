# shellcheck shell=bash
# common.sh — logging, phase timing and cache paths shared by the airgap scripts.

export LOG_TAG=airgap
# shellcheck source=../../host/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../host/log.sh"
# shellcheck source=../../host/debian.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../host/debian.sh"

# The kubectl built beside the node image (its version is the cluster's; the
# one on PATH may be older), else the one on PATH.
airgap_kubectl() {
  local built=$AIRGAP_CACHE/bin/kubernetes-$KUBE_VERSION/kubectl
  if [[ -x $built ]]; then echo "$built"; else command -v kubectl || die "no kubectl"; fi
}

# Run one phase and record its duration (also in $AIRGAP_TIMINGS).
# phase NAME FUNCTION [ARGS…]
phase() {
  local name=$1 start ms
  shift
  start=$(date +%s%3N)
  log "phase $name: start"
  "$@"
  ms=$(($(date +%s%3N) - start))
  log "phase $name: done in $((ms / 1000)).$((ms % 1000 / 100))s"
  if [[ -n ${AIRGAP_TIMINGS:-} ]]; then
    printf '%-22s %7d.%01ds\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) >>"$AIRGAP_TIMINGS"
  fi
}

# After a rebuild, remove the image the tag pointed to (unless still in use).
drop_previous() { # old-id tag
  [[ -n $1 && $1 != "$(docker image inspect -f '{{.Id}}' "$2")" ]] || return 0
  docker rmi "$1" >/dev/null 2>&1 || log "kept previous image ${1:7:12} (still in use)"
}

# Go environment: host toolchain only, caches under $GO_CACHE_ROOT so reruns
# are warm; static binaries.
go_env() {
  export GOTOOLCHAIN=local
  export GOCACHE=$GO_CACHE_ROOT/build
  export GOMODCACHE=$GO_CACHE_ROOT/mod
  export GOPATH=$GO_CACHE_ROOT/path
  export GOFLAGS=-buildvcs=false
  export CGO_ENABLED=0
  mkdir -p "$GOCACHE" "$GOMODCACHE" "$GOPATH"
}

# Unmount anything debootstrap left mounted below $1, then remove it.
remove_rootfs() { # dir
  local dir=$1 m
  [[ -d $dir ]] || return 0
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

# A minbase Debian rootfs at ROOT with PACKAGES, from the mirror apt uses here
# (or PODMATES_DEBIAN_MIRROR); downloaded .debs are cached for the next build.
debootstrap_rootfs() { # root packages
  local root=$1 packages=$2 mirror
  command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap)"
  mirror=${PODMATES_DEBIAN_MIRROR:-$(apt_mirror "$DEBIAN_SUITE")}
  [[ -n $mirror ]] || die "no Debian mirror for $DEBIAN_SUITE in apt's sources; set PODMATES_DEBIAN_MIRROR"
  mkdir -p "$AIRGAP_CACHE/debs"
  log "debootstrap $DEBIAN_SUITE from $mirror (+ $packages)"
  debootstrap --variant=minbase --cache-dir="$AIRGAP_CACHE/debs" --include="$packages" \
    "$DEBIAN_SUITE" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
    tail -n 30 "$root.debootstrap.log" >&2
    die "debootstrap into $root failed"
  }
}

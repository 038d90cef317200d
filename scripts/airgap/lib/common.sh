# shellcheck shell=bash
# common.sh — logging, phase timing and cache paths shared by the airgap scripts.

AIRGAP_T0=${AIRGAP_T0:-$(date +%s%3N)}
export AIRGAP_T0

log() {
  local ms=$(($(date +%s%3N) - AIRGAP_T0))
  printf '[airgap %5d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2
}
die() {
  log "ERROR: $*"
  exit 1
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

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

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

# First http(s) URI that apt uses for "deb <uri> <suite>" (one-line and deb822).
apt_mirror() { # suite
  local suite=$1 f files=()
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && files+=("$f")
  done
  for f in "${files[@]}"; do
    if [[ $f == *.sources ]]; then
      awk -v suite="$suite" '
        BEGIN { RS = ""; FS = "\n" }
        {
          delete v; key = ""
          for (i = 1; i <= NF; i++) {
            line = $i
            if (line ~ /^#/) continue
            if (line ~ /^[ \t]/ && key != "") { v[key] = v[key] " " line; continue }
            p = index(line, ":"); if (!p) continue
            key = tolower(substr(line, 1, p - 1)); v[key] = substr(line, p + 1)
          }
          if (tolower(v["enabled"]) ~ /no/) next
          if ((" " v["types"] " ") !~ /[ \t]deb[ \t]/) next
          if ((" " v["suites"] " ") !~ ("[ \t]" suite "[ \t]")) next
          n = split(v["uris"], u, /[ \t]+/)
          for (j = 1; j <= n; j++) if (u[j] ~ /^https?:\/\//) { print u[j]; exit }
        }' "$f"
    else
      sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
        awk -v suite="$suite" '$1 == "deb" && $3 == suite && $2 ~ /^https?:\/\// { print $2; exit }'
    fi
  done | head -n 1
}

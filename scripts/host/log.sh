# shellcheck shell=bash
# Sourced by the host and airgap scripts: progress lines on stderr (stdout
# stays for results), stamped with the time since the outermost script
# started, and a fatal error helper. Set LOG_TAG first.
LOG_T0=${LOG_T0:-$(date +%s%3N)}
export LOG_T0

log() {
  local ms=$(($(date +%s%3N) - LOG_T0))
  printf '[%s %5d.%01ds] %s\n' "${LOG_TAG:-podmates}" $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# Prints the calling script's header comment (from line 2 to `set -euo`) as its help.
print_help() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

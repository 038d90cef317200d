# shellcheck shell=bash
# Sourced by the host and airgap scripts: what they need to know about Docker
# images and Debian's package mirror.

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# First http(s)/file URI that apt uses for "deb <uri> <suite>" (one-line and
# deb822 formats, in apt's file order).
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
          for (j = 1; j <= n; j++) if (u[j] ~ /^(https?|file):\/\//) { print u[j]; exit }
        }' "$f"
    else
      sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
        awk -v suite="$suite" '$1 == "deb" && $3 == suite && $2 ~ /^(https?|file):\/\// { print $2; exit }'
    fi
  done | head -n 1
}

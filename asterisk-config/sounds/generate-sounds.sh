#!/usr/bin/env bash
# Generates every sound listed in sounds.conf into an Asterisk data directory.
#   generate-sounds.sh <astdatadir>      e.g. /var/lib/asterisk
# Needs espeak-ng and sox (Debian: apt-get install -y espeak-ng sox). Output: 8 kHz mono 16-bit
# signed PCM .wav. Idempotent: files are rewritten.
set -euo pipefail
OUT=${1:?usage: generate-sounds.sh <astdatadir>}
HERE=$(cd "$(dirname "$0")" && pwd)
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "generate-sounds.sh: $tool is missing (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
section=
count=0
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%%;*}                                   # comments
  line=$(printf '%s' "$line" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
  [ -z "$line" ] && continue
  case "$line" in
    \[*\]) section=${line#[}; section=${section%]}; continue ;;
  esac
  name=$(printf '%s' "${line%%=*}" | sed 's/[[:space:]]*$//')
  value=$(printf '%s' "${line#*=}" | sed 's/^[[:space:]]*//')
  target="$OUT/$name.wav"
  mkdir -p "$(dirname "$target")"
  case "$section" in
    speech)
      espeak-ng -v en-us -s 150 -w "$TMP/speech.wav" "$value"
      sox "$TMP/speech.wav" -r 8000 -c 1 -b 16 -e signed-integer "$target" norm -3 ;;
    tone)
      # shellcheck disable=SC2086 # the value is a sox effect chain
      sox -n -r 8000 -c 1 -b 16 -e signed-integer "$target" $value ;;
    *) echo "generate-sounds.sh: entry outside [speech]/[tone]: $line" >&2; exit 1 ;;
  esac
  chmod 644 "$target"
  count=$((count + 1))
  echo "generated $target ($(soxi -D "$target") s)"
done < "$HERE/sounds.conf"
echo "generate-sounds.sh: $count sounds in $OUT"

#!/usr/bin/env bash
# Removes from the serving jar the RocksDB native libraries of every platform but the image's
# own (rocksdbjni carries 14 of them, about 190 MB uncompressed): an image runs on one platform.
#   k8s/image/slim-jar.sh JAR [DEBIAN_ARCH]     # DEBIAN_ARCH: amd64 (default: this machine's) or arm64
# Needs zip and unzip.
set -euo pipefail
JAR="$1"
ARCH="${2:-$(dpkg --print-architecture)}"
case "$ARCH" in
  amd64) KEEP=librocksdbjni-linux64.so ;;
  arm64) KEEP=librocksdbjni-linux-aarch64.so ;;
  *) echo "slim-jar: no RocksDB native library is known for $ARCH; the jar is left whole" >&2; exit 0 ;;
esac
mapfile -t NATIVES < <(unzip -Z1 "$JAR" | grep '^librocksdbjni-')
printf '%s\n' "${NATIVES[@]}" | grep -qx "$KEEP" || { echo "slim-jar: $JAR has no $KEEP" >&2; exit 1; }
mapfile -t OTHERS < <(printf '%s\n' "${NATIVES[@]}" | grep -vx "$KEEP")
[ ${#OTHERS[@]} -eq 0 ] || zip -q -d "$JAR" "${OTHERS[@]}"
echo "slim-jar: kept $KEEP, removed ${#OTHERS[@]} other RocksDB native libraries; $(stat -c %s "$JAR") bytes" >&2

#!/usr/bin/env bash
# Builds rollcall's container image without a container daemon, for machines that have none:
# a Debian bookworm root file system with a headless JRE (debootstrap), the Dockerfile's final
# stage laid out by hand (user 10001, /opt/rollcall with the same launcher and jar), packed
# into an OCI image layout by umoci, then started once in a chroot to show it runs.
#
#   sudo k8s/image/build-oci-image.sh [OUT]     # OUT defaults to target/image (OCI layout, tag 0.1.0)
#   skopeo copy oci:target/image:0.1.0 docker://ghcr.io/rollcall/rollcall:0.1.0   # to push it
#
# Needs root, network to deb.debian.org, and: apt-get install debootstrap umoci zip unzip
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/target/image}"
TAG=0.1.0
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

[ "$(id -u)" = 0 ] || { echo "build-oci-image: run as root (debootstrap and umoci unpack need it)" >&2; exit 2; }
for tool in debootstrap umoci chroot zip unzip; do
  command -v "$tool" >/dev/null || { echo "build-oci-image: $tool is missing (apt-get install debootstrap umoci zip unzip)" >&2; exit 2; }
done
[ -f "$ROOT/topology/target/rollcall.jar" ] || (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl topology -am package)

WORK="$(mktemp -d)"
trap 'umount "$WORK/rootfs/proc" "$WORK/check/rootfs/proc" 2>/dev/null || true; rm -rf "$WORK"' EXIT
echo "build-oci-image: debootstrap bookworm + openjdk-17-jre-headless (a few minutes)…" >&2
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }

# The Dockerfile's final stage.
chroot "$WORK/rootfs" groupadd --gid 10001 rollcall
chroot "$WORK/rootfs" useradd --uid 10001 --gid 10001 --home-dir /var/lib/rollcall --shell /usr/sbin/nologin rollcall
install -d -o 10001 -g 10001 "$WORK/rootfs/var/lib/rollcall"
install -d "$WORK/rootfs/opt/rollcall/topology/target"
install -m 0644 "$ROOT/topology/target/rollcall.jar" "$WORK/rootfs/opt/rollcall/topology/target/rollcall.jar"
"$ROOT/k8s/image/slim-jar.sh" "$WORK/rootfs/opt/rollcall/topology/target/rollcall.jar" "$(dpkg --print-architecture)"
install -m 0755 "$ROOT/rollcall" "$WORK/rootfs/opt/rollcall/rollcall"
rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*

# Smoke test in the file system itself, as the image's user: the launcher starts the app's CLI.
mount -t proc proc "$WORK/rootfs/proc"
chroot --userspec=10001:10001 "$WORK/rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/rollcall \
  /opt/rollcall/rollcall --version
umount "$WORK/rootfs/proc"

rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
umoci init --layout "$OUT"
umoci new --image "$OUT:$TAG"
umoci unpack --image "$OUT:$TAG" "$WORK/bundle" >/dev/null
rm -rf "$WORK/bundle/rootfs"
mv "$WORK/rootfs" "$WORK/bundle/rootfs"
umoci repack --image "$OUT:$TAG" "$WORK/bundle"
umoci config --image "$OUT:$TAG" \
  --config.user 10001:10001 \
  --config.workingdir /var/lib/rollcall \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env ROLLCALL_STATE_DIR=/var/lib/rollcall/state \
  --config.env ROLLCALL_CDS_DIR=/var/lib/rollcall/cds \
  --config.exposedports 8080/tcp \
  --config.entrypoint /opt/rollcall/rollcall \
  --config.cmd serve \
  --author "rollcall" --history.comment "built by k8s/image/build-oci-image.sh"
umoci gc --layout "$OUT"

# The packed image, unpacked afresh: its configured user and entrypoint start the launcher.
umoci unpack --image "$OUT:$TAG" "$WORK/check" >/dev/null
python3 - "$WORK/check/config.json" <<'PY'
import json, sys
process = json.load(open(sys.argv[1]))["process"]
assert process["user"]["uid"] == 10001 and process["args"] == ["/opt/rollcall/rollcall", "serve"], process
print("image config: uid", process["user"]["uid"], "args", process["args"], "cwd", process["cwd"])
PY
mount -t proc proc "$WORK/check/rootfs/proc"
chroot --userspec=10001:10001 "$WORK/check/rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin \
  HOME=/var/lib/rollcall /opt/rollcall/rollcall serve --help | head -3
umount "$WORK/check/rootfs/proc"
umoci stat --image "$OUT:$TAG" | tail -3
du -sh "$OUT"
echo "build-oci-image: OCI image layout $OUT, tag $TAG" >&2

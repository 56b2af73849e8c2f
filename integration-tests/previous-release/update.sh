#!/usr/bin/env bash
# Keeps a released rollcall as the "previous release" the upgrade test starts from:
# builds the given tagged commit with the release's version and lays out its own jars and poms
# as a Maven repository under repository/ (its other dependencies come from Maven Central).
#   integration-tests/previous-release/update.sh <commit-or-tag> <version>
# Then set previous.version in integration-tests/previous-release/pom.xml to <version>, delete
# the older release's folders under repository/, and commit both.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
commit="${1:?usage: update.sh <commit-or-tag> <version>}"
version="${2:?usage: update.sh <commit-or-tag> <version>}"

work="$(mktemp -d)"
trap 'git -C "$ROOT" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$ROOT" worktree add --detach "$work/src" "$commit" >/dev/null

cd "$work/src"
# The release's version in place of the development version it was built with.
snapshot="$(sed -n '0,/<version>\(.*\)<\/version>/s//\1/p' pom.xml | head -1 | tr -d ' ')"
for pom in pom.xml */pom.xml connectors/*/pom.xml; do
  [ -f "$pom" ] && sed -i "s|<version>$snapshot</version>|<version>$version</version>|" "$pom"
done
./mvnw -q -B -ntp -DskipTests -pl topology -am package

put() { # artifactId, module folder ("" for the parent)
  local dir="$HERE/repository/io/rollcall/$1/$version"
  mkdir -p "$dir"
  cp "$work/src/${2:+$2/}pom.xml" "$dir/$1-$version.pom"
  [ -z "$2" ] || cp "$work/src/$2/target/$1-$version.jar" "$dir/$1-$version.jar"
}
put rollcall-parent ""
put rollcall-schemas schemas
put rollcall-topology topology
echo "previous release $version ($(git rev-parse HEAD)) laid out in $HERE/repository" >&2

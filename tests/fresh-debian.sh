#!/usr/bin/env bash
# The reference machine, reproduced: a Debian 12 minbase system (debootstrap) with only git and
# ca-certificates added, a fresh clone of this repository's HEAD in it, and there, as a newcomer
# would, the README's demo command, then `CI=true bash .ci/run` (which ends with the README's
# test command; under CI=true every runtime proof must run, none may skip).
# Usage (root; a few minutes for debootstrap, then a full CI run): tests/fresh-debian.sh [DIR]
# DIR (default /var/tmp/batchmount-fresh-debian) is kept for reruns; the clone in it is made
# again each time. The mirror is the one this machine's apt sources name. Not part of .ci/run:
# it takes as long as CI itself. BATCHMOUNT_FRESH_COMMAND='...' runs that command in the clone
# instead (to rerun one preset or one test).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/var/tmp/batchmount-fresh-debian}
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap

mirror=$({ grep -rhoE '^(URIs:|deb) *https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
           || true; } | grep -oE 'https?://[^ ]+' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -x "$dir/usr/bin/git" ]; then
  echo "fresh-debian: debootstrap --variant=minbase bookworm $dir $mirror"
  debootstrap --variant=minbase --include=git,ca-certificates bookworm "$dir" "$mirror"
fi
# The same package sources as this machine (bookworm-updates and security included).
rm -f "$dir/etc/apt/sources.list"
mkdir -p "$dir/etc/apt/sources.list.d"
cp -a /etc/apt/sources.list.d/. "$dir/etc/apt/sources.list.d/"
if [ -f /etc/apt/sources.list ]; then cp /etc/apt/sources.list "$dir/etc/apt/sources.list"; fi
cp /etc/resolv.conf "$dir/etc/resolv.conf"

rm -rf "$dir/root/batchmount"
git clone -q "$src" "$dir/root/batchmount"

# The README's demo command, exactly as it stands in the README's table.
demo=$(grep -oE '^\| `[^`]*cmake --workflow --preset demo`' "$src/README.md" | head -n1 | sed -E 's/^\| `//; s/`$//')
[ -n "$demo" ] || { echo "fresh-debian: no demo command found in README.md" >&2; exit 1; }
echo "fresh-debian: the README's demo command: $demo"

# A mount namespace and a pid namespace of its own: whatever the run starts (dockerd,
# containerd) ends with it, and nothing it mounts is seen outside.
unshare --mount --pid --fork --propagation private bash -euo pipefail -c '
  dir=$1 demo=$2
  # The chroot'"'"'s / must be a mount point, as a real root is: runc makes it a slave mount.
  mount --bind "$dir" "$dir"
  mount --rbind /dev "$dir/dev"
  mount --rbind /sys "$dir/sys"
  mount -t proc proc "$dir/proc"
  mount -t tmpfs tmpfs "$dir/tmp"
  mount -t tmpfs tmpfs "$dir/run"
  chroot "$dir" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 BATCHMOUNT_FRESH_COMMAND="${BATCHMOUNT_FRESH_COMMAND:-}" /bin/bash -euo pipefail -c "
      cd /root/batchmount
      echo \"fresh-debian: \$(. /etc/os-release; echo \$PRETTY_NAME), \$(dpkg-query -W -f=. | wc -c) packages\"
      if [ -n \"\${BATCHMOUNT_FRESH_COMMAND:-}\" ]; then bash -c \"\$BATCHMOUNT_FRESH_COMMAND\"; exit; fi
      bash -c \"\$0\"
      CI=true bash .ci/run
    " "$demo"
' fresh-debian "$dir" "$demo"
echo "fresh-debian: passed"

#!/usr/bin/env bash
# Makes the Debian chroot holding the real ufw, firewalld and dockerd that the
# reality suites test/reality/{ufw,firewalld,docker}-real.test.ts run (inside
# throwaway network + mount namespaces; the tools never run on the host):
# Debian 12 bookworm (ufw 0.36.2, firewalld 1.3.3, docker.io 20.10.24) by
# default, Debian 13 trixie (firewalld 2.3.1, docker.io 26.1.5) with
# SUITE=trixie. Needs root, debootstrap and Debian's mirror. Does nothing when
# ROOT already holds every tool; a chroot made before a tool was added gets the
# missing packages installed into it with apt (nothing is removed or remade).
# Usage: scripts/layer-tools-root.sh [ROOT] [SUITE]
#   default ROOT /var/tmp/virtwall-layers-root (bookworm),
#   /var/tmp/virtwall-layers-trixie-root for SUITE=trixie
set -euo pipefail
suite=${2:-bookworm}
if [ "$suite" = bookworm ]; then default=/var/tmp/virtwall-layers-root; else default=/var/tmp/virtwall-layers-$suite-root; fi
root=${1:-$default}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# docker.io brings containerd and runc; dockerd only ever runs with its
# data-root, exec-root and pidfile in a session's temp folder. Debian 13 ships
# the docker client as its own package (docker-cli); in Debian 12 it is part
# of docker.io.
packages="ufw firewalld dbus iptables ipset nftables iproute2 procps kmod docker.io containerd runc"
if [ "$suite" != bookworm ]; then packages="$packages docker-cli"; fi
tools="usr/sbin/ufw usr/sbin/firewalld usr/sbin/dockerd usr/bin/docker"

missing() { for t in $tools; do [ -x "$1/$t" ] || return 0; done; return 1; }
describe() {
  echo "$(chroot "$1" ufw version | head -1); $(chroot "$1" dpkg-query -W -f "\${Package} \${Version}; " firewalld docker.io)"
}

if [ -d "$root" ] && ! missing "$root"; then
  echo "layer tools chroot present: $root"
  exit 0
fi
if [ -d "$root" ]; then
  # An older chroot (other suites may be using it right now): only add the
  # packages it lacks — installed ones are not upgraded, nothing is removed.
  absent=""
  for p in $packages; do
    chroot "$root" dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || absent="$absent $p"
  done
  # shellcheck disable=SC2086
  if ! chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $absent >/dev/null 2>&1; then
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $absent >/dev/null
  fi
  chroot "$root" apt-get clean
  echo "layer tools chroot completed: $root (added$absent; $(describe "$root"))"
  exit 0
fi
rm -rf "$root.partial"
debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >/dev/null
# policy-rc.d: the packages' postinst scripts must not try to start services.
printf '#!/bin/sh\nexit 101\n' > "$root.partial/usr/sbin/policy-rc.d"
chmod +x "$root.partial/usr/sbin/policy-rc.d"
# shellcheck disable=SC2086
chroot "$root.partial" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
chroot "$root.partial" apt-get clean
mv "$root.partial" "$root"
echo "layer tools chroot made: $root ($(describe "$root"))"

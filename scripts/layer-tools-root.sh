#!/usr/bin/env bash
# Makes the Debian chroot holding the real ufw and firewalld that the reality
# suites test/reality/ufw-real.test.ts and test/reality/firewalld-real.test.ts
# run (inside throwaway network + mount namespaces; the tools never run on the
# host): Debian 12 bookworm (ufw 0.36.2, firewalld 1.3.3) by default, Debian 13
# trixie (firewalld 2.x) with SUITE=trixie. Needs root, debootstrap and
# Debian's mirror. Does nothing when ROOT already holds both tools.
# Usage: scripts/layer-tools-root.sh [ROOT] [SUITE]
#   default ROOT /var/tmp/virtwall-layers-root (bookworm),
#   /var/tmp/virtwall-layers-trixie-root for SUITE=trixie
set -euo pipefail
suite=${2:-bookworm}
if [ "$suite" = bookworm ]; then default=/var/tmp/virtwall-layers-root; else default=/var/tmp/virtwall-layers-$suite-root; fi
root=${1:-$default}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ -x "$root/usr/sbin/ufw" ] && [ -x "$root/usr/sbin/firewalld" ]; then
  echo "layer tools chroot present: $root"
  exit 0
fi
rm -rf "$root.partial"
debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >/dev/null
# policy-rc.d: the packages' postinst scripts must not try to start services.
printf '#!/bin/sh\nexit 101\n' > "$root.partial/usr/sbin/policy-rc.d"
chmod +x "$root.partial/usr/sbin/policy-rc.d"
chroot "$root.partial" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  ufw firewalld dbus iptables ipset nftables iproute2 procps kmod >/dev/null
chroot "$root.partial" apt-get clean
mv "$root.partial" "$root"
echo "layer tools chroot made: $root ($(chroot "$root" ufw version | head -1); $(chroot "$root" dpkg-query -W -f "\${Package} \${Version}" firewalld))"

#!/usr/bin/env bash
# Makes the Debian 13 (trixie) chroot holding libvirt 11.3 that the reality
# suite test/reality/libvirt11-generator.test.ts runs (through
# test/reality/tools/libvirt-capture.sh -r ROOT). Needs root, debootstrap and
# Debian's mirror. Does nothing when ROOT already holds libvirtd.
# Usage: scripts/libvirt11-root.sh [ROOT]   (default /var/tmp/virtwall-libvirt11-root)
set -euo pipefail
root=${1:-/var/tmp/virtwall-libvirt11-root}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ -x "$root/usr/sbin/libvirtd" ]; then
  echo "libvirt chroot present: $root"
  exit 0
fi
rm -rf "$root.partial"
# debootstrap --include with systemd fails in minbase (pre-dependency order), so
# the libvirt packages are installed with apt inside the finished chroot.
debootstrap --variant=minbase trixie "$root.partial" "$mirror" >/dev/null
chroot "$root.partial" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libvirt-daemon libvirt-daemon-driver-network libvirt-clients dnsmasq-base nftables iptables iproute2 libxml2-utils >/dev/null
chroot "$root.partial" apt-get clean
mv "$root.partial" "$root"
echo "libvirt chroot made: $root ($(chroot "$root" libvirtd --version))"

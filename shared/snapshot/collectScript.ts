// The script `virtwall collect` prints: POSIX sh, read-only (it only writes
// into its output folder), run as root on the real host. It writes the files a
// snapshot import reads (snapshotFiles.ts); a tool that is missing or fails is
// recorded in missing.txt instead of aborting, so a partial snapshot is still
// useful and says what it could not see. Checked with shellcheck (unit test)
// and by running it inside a namespace lab (test/reality).

export const COLLECT_SCRIPT = `#!/bin/sh
# virtwall collect: a read-only snapshot of this host's packet filter, addresses,
# routes, sysctls and libvirt networks, for "virtwall check" and the app's
# "Import host snapshot". Run as root:  sh collect.sh [OUTPUT_DIR]
# Nothing on the host is changed; only OUTPUT_DIR is written.
set -u
LC_ALL=C
export LC_ALL
out=\${1:-virtwall-snapshot-$(hostname 2>/dev/null || echo host)-$(date +%Y%m%d-%H%M%S)}
umask 077
mkdir -p "$out/networks" || exit 1
missing="$out/missing.txt"
: > "$missing"
if [ "$(id -u)" != 0 ]; then
  echo "virtwall collect: not root, the firewall dumps will be incomplete" >&2
  echo "not run as root" >> "$missing"
fi

# run FILE COMMAND...: COMMAND's output goes to FILE; a missing or failing tool is noted in missing.txt.
run() {
  file=$1
  shift
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$file: $1 not installed" >> "$missing"
    return 0
  fi
  if "$@" > "$out/$file" 2> "$out/.stderr"; then
    :
  else
    echo "$file: '$*' failed: $(head -n 1 "$out/.stderr")" >> "$missing"
    rm -f "$out/$file"
  fi
}

run iptables-save.txt iptables-save
run ip6tables-save.txt ip6tables-save
# iptables-nft hosts may hold legacy tables too (both are evaluated by the kernel).
if command -v iptables-legacy-save >/dev/null 2>&1; then
  run iptables-legacy-save.txt iptables-legacy-save
fi
run nft-ruleset.txt nft list ruleset
run ip-addr.json ip -j addr show
run ip-route.json ip -j route show
run ip-link.json ip -j -d link show
run ip-rule.json ip -j rule show
run ss-listen.txt ss -H -l -n -t -u

# sysctl.txt: forwarding and rp_filter for all/default/each interface, ip_forward, br_netfilter.
value() {
  if [ -r "$1" ]; then cat "$1"; else echo "?"; fi
}
{
  echo "net.ipv4.ip_forward = $(value /proc/sys/net/ipv4/ip_forward)"
  echo "net.ipv6.conf.all.forwarding = $(value /proc/sys/net/ipv6/conf/all/forwarding)"
  echo "net.ipv4.icmp_echo_ignore_all = $(value /proc/sys/net/ipv4/icmp_echo_ignore_all)"
  for dir in /proc/sys/net/ipv4/conf/*; do
    [ -d "$dir" ] || continue
    iface=\${dir##*/}
    echo "net.ipv4.conf.$iface.forwarding = $(value "$dir/forwarding")"
    echo "net.ipv4.conf.$iface.rp_filter = $(value "$dir/rp_filter")"
  done
  if [ -r /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
    echo "net.bridge.bridge-nf-call-iptables = $(value /proc/sys/net/bridge/bridge-nf-call-iptables)"
  else
    echo "# net.bridge.bridge-nf-call-iptables: absent (br_netfilter not loaded)"
  fi
} > "$out/sysctl.txt"

# networks/NAME.xml for every libvirt network, and which of them are active.
if command -v virsh >/dev/null 2>&1; then
  if virsh -q net-list --all --name > "$out/.networks" 2> "$out/.stderr"; then
    virsh -q net-list --name > "$out/networks/active.txt" 2>/dev/null || :
    while IFS= read -r name; do
      [ -n "$name" ] || continue
      virsh net-dumpxml "$name" > "$out/networks/$name.xml" 2>> "$out/.stderr" || echo "networks/$name.xml: virsh net-dumpxml failed" >> "$missing"
    done < "$out/.networks"
  else
    echo "networks: 'virsh net-list' failed: $(head -n 1 "$out/.stderr")" >> "$missing"
  fi
  rm -f "$out/.networks"
else
  echo "networks: virsh not installed" >> "$missing"
fi

# versions.txt: one "tool: version" line each.
version() {
  label=$1
  shift
  if command -v "$1" >/dev/null 2>&1; then
    echo "$label: $("$@" 2>&1 | head -n 1)"
  else
    echo "$label: not installed"
  fi
}
{
  version libvirtd libvirtd --version
  version virsh virsh --version
  version iptables iptables -V
  version nft nft -v
  version firewalld firewall-cmd --version
  version docker docker --version
  echo "kernel: $(uname -r)"
  echo "taken: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$out/versions.txt"

rm -f "$out/.stderr"
echo "virtwall collect: snapshot written to $out" >&2
`;

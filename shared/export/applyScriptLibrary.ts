// The fixed part of apply.sh: POSIX sh functions that check, save, apply and
// roll back one item each. The generated part (applyScript.ts) lists the items
// of the variant as calls `for_networks FN` → `FN 1 'deb' networks/deb.xml …`,
// so values from the lab appear only as single-quoted arguments, never inside
// code. Modelled on iptables-apply(8): apply, then roll back unless the admin
// confirms within N seconds; here also for sysctls, routes and libvirt networks.
//
// Notes on the shell (dash/busybox/bash as sh):
// - no `read -t` (not POSIX): a background reader on fd 3 writes the confirm
//   marker; without job control an asynchronous list gets /dev/null as stdin
//   unless redirected explicitly (XCU 2.9.3.1), hence `<&3`;
// - SIGHUP is ignored while a change is pending, so a dropped SSH session
//   does not kill the script before it rolls back;
// - virsh gets names through `--network NAME`, so a name starting with '-' is
//   never read as an option.

export const APPLY_LIBRARY = String.raw`
say() { printf 'apply.sh: %s\n' "$*"; }
warn() { printf 'apply.sh: warning: %s\n' "$*" >&2; }
problem() { printf 'apply.sh: CHECK FAILED: %s\n' "$*" >&2; problems=$((problems + 1)); }
die() { printf 'apply.sh: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# ipt_tool BACKEND(legacy|nft) TOOL(iptables|ip6tables) ACTION(restore|save): the program for that kernel API.
ipt_tool() {
  if have "$2-$1-$3"; then echo "$2-$1-$3"; return 0; fi
  have "$2-$3" || return 1
  flavour=$("$2-$3" --version 2>/dev/null)
  case "$1:$flavour" in
    nft:*nf_tables*) echo "$2-$3" ;;
    legacy:*nf_tables*) return 1 ;;
    legacy:*) echo "$2-$3" ;;
    *) return 1 ;;
  esac
}

builtin_chains() {
  case $1 in
    raw) echo 'PREROUTING OUTPUT' ;;
    mangle) echo 'PREROUTING INPUT FORWARD OUTPUT POSTROUTING' ;;
    nat) echo 'PREROUTING INPUT OUTPUT POSTROUTING' ;;
    *) echo 'INPUT FORWARD OUTPUT' ;;
  esac
}

# An empty table as iptables-restore input: what a table the host did not have looks like.
empty_table() {
  printf '*%s\n' "$1"
  for chain in $(builtin_chains "$1"); do printf ':%s ACCEPT [0:0]\n' "$chain"; done
  printf 'COMMIT\n'
}

net_field() { virsh net-info --network "$1" 2>/dev/null | sed -n "s/^$2: *//p"; }

# ---------------------------------------------------------------- checks

check_network() { # index name file uuid autostart running
  if have virt-xml-validate; then
    if out=$(virt-xml-validate "$3" network 2>&1); then say "ok: virt-xml-validate $3"; else problem "$3: virt-xml-validate: $out"; fi
  else
    warn "virt-xml-validate not found (libvirt-clients, libxml2-utils): $3 not checked against libvirt's schema"
  fi
  [ "$skip_networks" = 1 ] && return 0
  if ! have virsh; then problem "virsh not found: cannot define network $2 (--skip-networks leaves networks alone)"; return 0; fi
  if ! virsh -q uri >/dev/null 2>&1; then problem "virsh cannot reach libvirtd: start libvirtd first (or --skip-networks)"; return 0; fi
  existing=$(virsh -q net-uuid --network "$2" 2>/dev/null) || existing=''
  if [ -n "$existing" ] && [ "$existing" != "$4" ]; then
    problem "network $2 exists on this host with uuid $existing, the bundle's has $4: libvirt refuses a second uuid for one name. Put uuid $existing into the lab and export again, or undefine the host's network first."
  fi
}

check_ipt() { # index backend tool file tables
  if ! restore=$(ipt_tool "$2" "$3" restore); then
    problem "$4 needs $3-restore for the $2 kernel API; this host has none ($(iptables --version 2>&1 | head -n 1))"
    return 0
  fi
  if out=$("$restore" --test < "$4" 2>&1); then say "ok: $restore --test < $4"; else problem "$4: $restore --test: $out"; fi
}

check_nft_file() { # file
  if ! have nft; then problem "$1 needs nft (package nftables)"; return 0; fi
  if out=$(nft -c -f "$1" 2>&1); then say "ok: nft -c -f $1"; return 0; fi
  # iif/oif name an interface by index, so nft -c refuses rules for a bridge that does not exist
  # yet — libvirt creates it at net-start. Loading is one transaction (nft -f fails whole or not
  # at all), and a failure there rolls back, so this case is a warning here.
  errors=$(printf '%s
' "$out" | grep -c 'Error:')
  missing=$(printf '%s
' "$out" | grep -c 'Error: Interface does not exist')
  if [ "$errors" = "$missing" ]; then
    warn "$1: nft -c cannot check rules that name interfaces not present yet (a network's bridge appears when it starts); nft -f loads all or nothing"
  else
    problem "$1: nft -c -f: $out"
  fi
}

check_foreign_nft() {
  have nft || return 0
  nft list tables 2>/dev/null | while read -r _ family name; do
    case " $bundle_nft_tables " in *" $family/$name "*) continue ;; esac
    case "$family/$name" in ip/filter|ip/nat|ip/mangle|ip/raw|ip/security|ip6/filter|ip6/nat|ip6/mangle|ip6/raw|ip6/security) continue ;; esac
    warn "nft table $family $name exists on this host but not in the simulated variant: it stays and may change the outcome"
  done
}

check_sysctl() { # index path value
  [ -e "/proc/sys/$2" ] || warn "/proc/sys/$2 does not exist yet (an interface that appears when its network starts, or a module not loaded): set to $3 only if it exists by then"
}

check_route() { # index family spec...
  shift 2
  while [ $# -gt 1 ]; do
    if [ "$1" = dev ] && ! ip link show dev "$2" >/dev/null 2>&1; then
      warn "route $*: interface $2 does not exist yet (a network's bridge appears when the network starts)"
    fi
    shift
  done
}

# ---------------------------------------------------------------- save

save_network() { # index name file uuid autostart running
  virsh -q net-uuid --network "$2" >/dev/null 2>&1 || return 0
  virsh net-dumpxml --inactive --network "$2" > "$state_dir/net-$1.xml" || die "cannot save network $2 (virsh net-dumpxml)"
  net_field "$2" Active > "$state_dir/net-$1.active"
  net_field "$2" Autostart > "$state_dir/net-$1.autostart"
}

save_ipt() { # index backend tool file tables
  save=$(ipt_tool "$2" "$3" save) || die "no $3-save for the $2 kernel API"
  "$save" > "$state_dir/ipt-$1.save" || die "cannot save the current rules with $save"
  for table in $5; do
    grep -Fqx "*$table" "$state_dir/ipt-$1.save" || empty_table "$table" >> "$state_dir/ipt-$1.save"
  done
}

save_nft_table() { # index family name
  nft list table "$2" "$3" > "$state_dir/nft-$1.nft" 2>/dev/null || rm -f "$state_dir/nft-$1.nft"
}

save_sysctl() { # index path value
  if [ -e "/proc/sys/$2" ]; then cat "/proc/sys/$2" > "$state_dir/sysctl-$1" || die "cannot read /proc/sys/$2"; fi
}

save_route() { # index family destination ...
  ip "$2" route show exact "$3" > "$state_dir/route-$1" || die "cannot read the routes to $3"
}

# ---------------------------------------------------------------- apply (non-zero = failed)

apply_network() { # index name file uuid autostart running
  virsh net-define --file "$3" >/dev/null || return 1
  : > "$state_dir/net-$1.defined"
  if [ "$5" = 1 ]; then virsh net-autostart --network "$2" >/dev/null || return 1
  else virsh net-autostart --disable --network "$2" >/dev/null || return 1; fi
  active=$(net_field "$2" Active)
  if [ "$6" = 1 ]; then
    if [ "$active" != yes ]; then
      virsh net-start --network "$2" >/dev/null || return 1
      : > "$state_dir/net-$1.started"
    elif [ "$restart_networks" = 1 ]; then
      virsh net-destroy --network "$2" >/dev/null || return 1
      : > "$state_dir/net-$1.restarted"
      virsh net-start --network "$2" >/dev/null || return 1
    else
      say "network $2 is running: its new definition takes effect at its next restart (--restart-networks restarts it now; guests on it lose their link until they are re-attached)"
    fi
  elif [ "$active" = yes ]; then
    warn "network $2 runs on this host but not in the variant: left running"
  fi
  say "network $2: defined from $3"
}

apply_sysctl() { # index path value
  if [ ! -e "/proc/sys/$2" ]; then warn "/proc/sys/$2 does not exist: not set to $3"; return 0; fi
  printf '%s\n' "$3" > "/proc/sys/$2" || return 1
  say "sysctl $2 = $3"
}

apply_route() { # index family spec...
  family=$2
  shift 2
  ip "$family" route replace "$@" || return 1
  say "route: ip $family route replace $*"
}

apply_ipt() { # index backend tool file tables
  restore=$(ipt_tool "$2" "$3" restore) || return 1
  "$restore" < "$4" || return 1
  say "loaded $4 with $restore (tables: $5)"
}

apply_nft_file() { # file
  nft -f "$1" || return 1
  say "loaded $1 with nft -f"
}

# ---------------------------------------------------------------- rollback (never stops half-way)

rollback_network() { # index name file uuid autostart running
  if [ -e "$state_dir/net-$1.xml" ]; then
    virsh net-define --file "$state_dir/net-$1.xml" >/dev/null || warn "rollback: cannot redefine network $2"
    if [ "$(cat "$state_dir/net-$1.autostart")" = yes ]; then virsh net-autostart --network "$2" >/dev/null
    else virsh net-autostart --disable --network "$2" >/dev/null; fi
    if [ -e "$state_dir/net-$1.restarted" ]; then
      virsh net-destroy --network "$2" >/dev/null 2>&1
      virsh net-start --network "$2" >/dev/null || warn "rollback: cannot restart network $2"
    elif [ -e "$state_dir/net-$1.started" ]; then
      virsh net-destroy --network "$2" >/dev/null || warn "rollback: cannot stop network $2"
    fi
  elif [ -e "$state_dir/net-$1.defined" ]; then
    if [ -e "$state_dir/net-$1.started" ] || [ "$(net_field "$2" Active)" = yes ]; then
      virsh net-destroy --network "$2" >/dev/null || warn "rollback: cannot stop network $2"
    fi
    virsh net-undefine --network "$2" >/dev/null || warn "rollback: cannot undefine network $2"
  fi
  return 0
}

rollback_sysctl() { # index path value
  if [ -e "$state_dir/sysctl-$1" ]; then cat "$state_dir/sysctl-$1" > "/proc/sys/$2" || warn "rollback: cannot restore /proc/sys/$2"; fi
  return 0
}

rollback_route() { # index family spec...
  index=$1
  family=$2
  shift 2
  ip "$family" route del "$@" 2>/dev/null
  # Re-add what was there before; flags that ip prints but does not take back are dropped.
  set -f
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    line=$(printf '%s\n' "$line" | sed -e 's/ linkdown//g' -e 's/ dead//g' -e 's/ offload//g' -e 's/ trap//g' -e 's/ rt_offload//g' -e 's/ rt_trap//g')
    # shellcheck disable=SC2086 # the saved route's words are ip's own output, split on purpose
    ip "$family" route replace $line || warn "rollback: cannot restore route $line"
  done < "$state_dir/route-$index"
  set +f
  return 0
}

rollback_ipt() { # index backend tool file tables
  if restore=$(ipt_tool "$2" "$3" restore) && "$restore" < "$state_dir/ipt-$1.save"; then :; else
    warn "rollback: cannot restore the $2 $3 rules from $state_dir/ipt-$1.save"
  fi
  return 0
}

rollback_nft_table() { # index family name
  printf 'add table %s %s\ndelete table %s %s\n' "$2" "$3" "$2" "$3" | nft -f - || warn "rollback: cannot remove nft table $2 $3"
  if [ -e "$state_dir/nft-$1.nft" ]; then nft -f "$state_dir/nft-$1.nft" || warn "rollback: cannot restore nft table $2 $3"; fi
  return 0
}
`;

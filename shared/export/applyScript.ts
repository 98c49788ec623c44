// apply.sh: check, save, apply, and roll back unless confirmed (issue 7 §1).
// Run as `sh apply.sh` (a FAT stick has no exec bits). The fixed functions are
// in applyScriptLibrary.ts; this file writes the variant's items as lists of
// calls with single-quoted arguments and the main program.
//
// Exit codes: 0 applied and kept (or --check-only: checks passed), 1 a check
// failed (nothing changed), 2 bad usage, 3 not confirmed in time: rolled back,
// 4 applying failed: rolled back, 130 interrupted: rolled back.

import { APPLY_LIBRARY } from './applyScriptLibrary.ts';
import type { ExportedNetwork } from './bundleNetworks.ts';
import type { FirewallRulesFile } from './bundleFirewall.ts';
import type { ExportedRoute } from './bundleRoutes.ts';
import type { ExportedSysctl } from './bundleSysctl.ts';
import { ExportError } from './exportError.ts';
import { commentText, shQuote } from './shellQuote.ts';

export interface ApplyScriptInput {
  variantName: string;
  projectName?: string;
  networks: readonly ExportedNetwork[];
  sysctls: readonly ExportedSysctl[];
  routes: readonly ExportedRoute[];
  firewall: readonly FirewallRulesFile[];
  /** Seconds to wait for the confirmation before rolling back (default 30, as iptables-apply's 10 is short over SSH). */
  confirmSeconds?: number;
}

const NFT_FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const NFT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `name() { "$@" args || return 1; … }` — one call per item; an empty list is a no-op. */
function lister(name: string, calls: string[][]): string {
  if (calls.length === 0) return `${name}() { :; }`;
  // SC2016: a `$(…)` inside a lab value is single-quoted precisely so that it never expands.
  return ['# shellcheck disable=SC2016', `${name}() {`, ...calls.map((args) => `  "$@" ${args.join(' ')} || return 1`), '}'].join('\n');
}

function usageText(confirmSeconds: number): string {
  return `usage() {
  cat <<'USAGE'
Usage: sh apply.sh [OPTIONS]          check, save the current state, apply, keep only if confirmed
       sh apply.sh --confirm DIR      keep a pending apply (from another shell or SSH session)
       sh apply.sh --rollback DIR     restore the state saved in DIR (after a kept apply too)
Options:
  --check-only            run the checks (iptables-restore --test, nft -c -f, virt-xml-validate …) and stop
  --confirm-timeout N     seconds to wait for "yes" before rolling back (default ${confirmSeconds})
  --yes                   keep the changes without asking (no automatic rollback)
  --state-dir DIR         where to save the current state (default: a new folder under $TMPDIR or /tmp)
  --skip-networks         leave libvirt networks alone
  --skip-sysctl           leave sysctls alone
  --skip-routes           leave routes alone
  --restart-networks      restart running networks so their new definition takes effect
USAGE
}`;
}

export function applyScript(input: ApplyScriptInput): string {
  const confirmSeconds = input.confirmSeconds ?? 30;
  const networkCalls = input.networks.map((n, i) => [String(i + 1), shQuote(n.name), shQuote(n.path), shQuote(n.uuid), n.autostart ? '1' : '0', n.running ? '1' : '0']);
  const sysctlCalls = input.sysctls.map((s, i) => [String(i + 1), shQuote(s.segments.join('/')), shQuote(s.value)]);
  const routeCalls = input.routes.map((r, i) => [String(i + 1), r.familyFlag[0] ?? '-4', ...r.spec.map(shQuote)]);
  const iptCalls = input.firewall.flatMap((f, i) =>
    f.kind === 'iptables' ? [[String(i + 1), f.backend, f.family === 'ipv6' ? 'ip6tables' : 'iptables', shQuote(f.path), shQuote(f.tables.join(' '))]] : [],
  );
  const nftFile = input.firewall.find((f) => f.kind === 'nft');
  const nftTables = nftFile?.kind === 'nft' ? nftFile.tables : [];
  const bad = nftTables.filter((t) => !NFT_FAMILIES.has(t.family) || !NFT_NAME.test(t.name));
  if (bad.length) throw new ExportError(bad.map((t) => `nft table ${JSON.stringify(`${t.family} ${t.name}`)} is not a family and name nft accepts unquoted`));
  const nftCalls = nftTables.map((t, i) => [String(i + 1), t.family, t.name]);

  const header = [
    '#!/bin/sh',
    '# shellcheck disable=SC2317 # the item functions are called through the for_* lists',
    `# virtwall apply script — variant ${commentText(input.variantName)}${input.projectName ? ` of project ${commentText(input.projectName)}` : ''}.`,
    '# Run as root from the bundle folder: sh apply.sh --check-only, then sh apply.sh. See README.txt.',
    '# Checks everything first, saves the current state, applies, and rolls back unless you confirm',
    '# within the timeout (like iptables-apply). sh apply.sh --help lists the options.',
    'set -u',
    'umask 077',
    'PATH="$PATH:/usr/sbin:/sbin"',
    'export PATH',
  ].join('\n');

  const data = [
    '# ---------------------------------------------------------------- the variant (generated)',
    `bundle_nft_tables=${shQuote(nftTables.map((t) => `${t.family}/${t.name}`).join(' '))}`,
    `nft_file=${nftFile ? shQuote(nftFile.path) : "''"}`,
    lister('for_networks', networkCalls),
    lister('for_sysctls', sysctlCalls),
    lister('for_routes', routeCalls),
    lister('for_ipt', iptCalls),
    lister('for_nft_tables', nftCalls),
  ].join('\n');

  const main = String.raw`
# ---------------------------------------------------------------- main

confirm_timeout=CONFIRM_SECONDS
check_only=0; assume_yes=0; skip_networks=0; skip_sysctl=0; skip_routes=0; restart_networks=0
state_dir=''; mode=apply; problems=0
while [ $# -gt 0 ]; do
  case $1 in
    --check-only) check_only=1 ;;
    --yes) assume_yes=1 ;;
    --skip-networks) skip_networks=1 ;;
    --skip-sysctl) skip_sysctl=1 ;;
    --skip-routes) skip_routes=1 ;;
    --restart-networks) restart_networks=1 ;;
    --confirm-timeout|--state-dir|--confirm|--rollback)
      [ $# -gt 1 ] || { usage >&2; exit 2; }
      case $1 in
        --confirm-timeout) confirm_timeout=$2 ;;
        --state-dir) state_dir=$2 ;;
        --confirm) mode=confirm; state_dir=$2 ;;
        --rollback) mode=rollback; state_dir=$2 ;;
      esac
      shift ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'apply.sh: unknown option %s\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case $confirm_timeout in ''|*[!0-9]*) printf 'apply.sh: --confirm-timeout needs whole seconds, got %s\n' "$confirm_timeout" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd) || die "cannot find the bundle folder"
cd "$here" || die "cannot enter $here"

do_rollback() {
  say "rolling back from $state_dir"
  [ "$skip_networks" = 1 ] || for_networks rollback_network
  [ "$skip_routes" = 1 ] || for_routes rollback_route
  [ "$skip_sysctl" = 1 ] || for_sysctls rollback_sysctl
  for_ipt rollback_ipt
  if [ -n "$nft_file" ]; then for_nft_tables rollback_nft_table; fi
  rm -f "$state_dir/pending"
  : > "$state_dir/rolled-back"
  say "rolled back: the saved state is restored"
}

same_bundle() {
  [ -d "$state_dir" ] || die "$state_dir is not a folder"
  cmp -s SHA256SUMS "$state_dir/SHA256SUMS" || die "$state_dir was saved by another bundle"
}

if [ "$mode" = confirm ]; then
  same_bundle
  [ -e "$state_dir/pending" ] || die "nothing is pending in $state_dir"
  : > "$state_dir/confirmed"
  say "confirmed: the apply waiting on $state_dir keeps its changes"
  exit 0
fi
if [ "$mode" = rollback ]; then
  same_bundle
  [ -e "$state_dir/saved" ] || die "$state_dir holds no complete saved state"
  for flag in skip_networks skip_routes skip_sysctl; do [ -e "$state_dir/$flag" ] && eval "$flag=1"; done
  do_rollback
  exit 0
fi

[ "$(id -u)" = 0 ] || warn "not running as root: the checks of iptables-restore and nft need root and will fail"

# ------------------------------------------------ 1. checks (nothing changes)
if have sha256sum; then
  if out=$(sha256sum -c --quiet SHA256SUMS 2>&1); then say "ok: every file matches SHA256SUMS"; else problem "the bundle is damaged or was edited: $out"; fi
else
  warn "sha256sum not found: the bundle's integrity is not checked"
fi
for_networks check_network
for_ipt check_ipt
if [ -n "$nft_file" ]; then check_nft_file "$nft_file"; fi
check_foreign_nft
[ "$skip_sysctl" = 1 ] || for_sysctls check_sysctl
if [ "$skip_routes" = 0 ]; then
  have ip || problem "ip (iproute2) not found: cannot set routes (--skip-routes leaves them alone)"
  for_routes check_route
fi
if [ "$problems" -gt 0 ]; then say "$problems check(s) failed: nothing was changed"; exit 1; fi
if [ "$check_only" = 1 ]; then say "all checks passed (--check-only: nothing was changed)"; exit 0; fi

# ------------------------------------------------ 2. save the current state
if [ -z "$state_dir" ]; then
  state_dir=$(mktemp -d "TMPDIR_OR_TMP/virtwall-rollback.XXXXXX") || die "cannot create a folder for the saved state"
else
  mkdir -p "$state_dir" || die "cannot create $state_dir"
  [ -e "$state_dir/saved" ] && die "$state_dir already holds a saved state; choose another --state-dir"
fi
cp SHA256SUMS "$state_dir/SHA256SUMS" || die "cannot write to $state_dir"
for flag in skip_networks skip_routes skip_sysctl; do eval "[ \"\$$flag\" = 1 ]" && : > "$state_dir/$flag"; done
[ "$skip_networks" = 1 ] || for_networks save_network
for_ipt save_ipt
if [ -n "$nft_file" ]; then for_nft_tables save_nft_table; fi
[ "$skip_sysctl" = 1 ] || for_sysctls save_sysctl
[ "$skip_routes" = 1 ] || for_routes save_route
: > "$state_dir/saved"
say "current state saved in $state_dir"

# ------------------------------------------------ 3. apply
trap '' HUP
trap 'say "interrupted"; do_rollback; exit 130' INT TERM
: > "$state_dir/pending"
apply_all() {
  if [ "$skip_networks" = 0 ]; then for_networks apply_network || return 1; fi
  if [ "$skip_sysctl" = 0 ]; then for_sysctls apply_sysctl || return 1; fi
  if [ "$skip_routes" = 0 ]; then for_routes apply_route || return 1; fi
  for_ipt apply_ipt || return 1
  if [ -n "$nft_file" ]; then apply_nft_file "$nft_file" || return 1; fi
}
if ! apply_all; then
  warn "applying failed"
  do_rollback
  exit 4
fi

# ------------------------------------------------ 4. keep or roll back
if [ "$assume_yes" = 0 ]; then
  say "applied. Type yes within $confirm_timeout seconds to keep it, or from another shell: sh apply.sh --confirm $state_dir"
  say "without a confirmation everything is rolled back."
  reader=''
  if [ -t 0 ]; then
    exec 3<&0
    ( IFS= read -r answer <&3 && [ "$answer" = yes ] && : > "$state_dir/confirmed" ) &
    reader=$!
  fi
  waited=0
  while [ ! -e "$state_dir/confirmed" ] && [ "$waited" -lt "$confirm_timeout" ]; do
    sleep 1
    waited=$((waited + 1))
  done
  if [ -n "$reader" ]; then kill "$reader" 2>/dev/null; fi
  if [ ! -e "$state_dir/confirmed" ]; then
    say "no confirmation within $confirm_timeout seconds"
    do_rollback
    exit 3
  fi
fi
rm -f "$state_dir/pending"
: > "$state_dir/kept"
trap - INT TERM HUP
say "kept. To undo later: sh apply.sh --rollback $state_dir"
exit 0
`.replace('CONFIRM_SECONDS', String(confirmSeconds)).replace('TMPDIR_OR_TMP', '$' + '{TMPDIR:-/tmp}');

  return `${header}\n\n${usageText(confirmSeconds)}\n${APPLY_LIBRARY}\n${data}\n${main}`;
}

// A problem found in a libvirt network definition, placed where the user can fix it.

export interface NetworkProblem {
  severity: 'error' | 'warning';
  /** Where libvirt has a message for the same cause, this message contains libvirt's text. */
  message: string;
  /** 1-based, in the network's XML text. */
  line?: number;
  column?: number;
  /** Element path without indices, e.g. `ip/dhcp/range`, `bridge`, `forward/nat/port`, so the UI can show it at the field. */
  path?: string;
  /** The network's name, when known. */
  network?: string;
  /**
   * For errors: the libvirt step that would fail — 'define' (virsh net-define refuses the
   * file) or 'start' (it is defined but virsh net-start fails). Absent for problems libvirt
   * does not detect itself (virtwall's own cross-network checks) and for warnings.
   */
  when?: 'define' | 'start';
}

export function hasErrors(problems: readonly NetworkProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Sort by position (problems without a position last), errors before warnings at the same place. */
export function sortProblems(problems: NetworkProblem[]): NetworkProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      (a.column ?? Infinity) - (b.column ?? Infinity) ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

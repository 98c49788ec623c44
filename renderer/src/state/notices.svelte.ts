// Messages to the user: errors stay until dismissed (they say what is wrong and
// what to do), confirmations disappear after a few seconds. Shown in a live
// region so screen readers announce them.

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** What the user can do about it, when the message itself does not say. */
  hint?: string;
}

export class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  error(text: string, hint?: string): void {
    this.push({ kind: 'error', text, ...(hint ? { hint } : {}) });
  }

  info(text: string): void {
    const id = this.push({ kind: 'info', text });
    setTimeout(() => this.dismiss(id), 5000);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  clear(): void {
    this.items = [];
  }

  private push(notice: Omit<Notice, 'id'>): number {
    const id = this.next++;
    // The same error twice in a row is shown once.
    const last = this.items.at(-1);
    if (last && last.text === notice.text && last.kind === notice.kind) return last.id;
    this.items = [...this.items.slice(-4), { ...notice, id }];
    return id;
  }
}

// Modal questions (a name for a new variant, "really delete?") as promises:
// the state holds the open question, PromptDialog.svelte shows it, and the
// answer resolves the caller's await. One question at a time.

export interface PromptRequest {
  title: string;
  /** Label of the text field; absent for a plain confirmation. */
  label?: string;
  initial?: string;
  confirmLabel: string;
  /** Returns an error text for the typed value, or null when it is acceptable. */
  check?: (value: string) => string | null;
  danger?: boolean;
  message?: string;
}

export class Prompts {
  current = $state.raw<PromptRequest | null>(null);
  private resolve: ((value: string | null) => void) | null = null;

  ask(request: PromptRequest): Promise<string | null> {
    this.resolve?.(null);
    this.current = request;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  answer(value: string | null): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.current = null;
    resolve?.(value);
  }
}

// Dialogs in bridge mode: there is no native window, so the test answers them.
// It queues the next answer (a path, or null for "Cancel") before the click that
// opens the dialog; the renderer then receives it exactly as from a native
// dialog. An unexpected dialog answers "Cancel" and is recorded so the test can
// fail with a useful message instead of hanging.

import type { FileDialogOptions } from '../../../../shared/api/contract.ts';
import type { BackendDialogs } from '../appBackend/backendTypes.ts';

export class QueuedDialogs implements BackendDialogs {
  private readonly answers: (string | null)[] = [];
  /** Every dialog the renderer asked for, in order (kind and purpose). */
  readonly asked: { kind: 'open' | 'save'; purpose: FileDialogOptions['purpose']; answer: string | null; queued: boolean }[] = [];

  queue(answer: string | null): void {
    this.answers.push(answer);
  }

  async showOpenDialog(options: FileDialogOptions): Promise<string | null> {
    return this.next('open', options);
  }

  async showSaveDialog(options: FileDialogOptions): Promise<string | null> {
    return this.next('save', options);
  }

  private next(kind: 'open' | 'save', options: FileDialogOptions): string | null {
    const queued = this.answers.length > 0;
    const answer = queued ? this.answers.shift()! : null;
    this.asked.push({ kind, purpose: options.purpose, answer, queued });
    return answer;
  }
}

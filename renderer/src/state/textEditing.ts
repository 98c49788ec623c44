// Undo/Redo while the user types: a focused text field undoes its own typing.
// Plain inputs use the browser's own text undo; a CodeMirror editor registers
// its history commands while it has focus.

export interface TextUndoTarget {
  undo(): boolean;
  redo(): boolean;
}

let focusedEditor: TextUndoTarget | null = null;

function isPlainTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly;
  if (el instanceof HTMLInputElement) return !el.readOnly && ['text', 'search', 'number', 'url', 'email', ''].includes(el.type);
  return false;
}

export const textEditing = {
  focus(target: TextUndoTarget): void {
    focusedEditor = target;
  },
  blur(target: TextUndoTarget): void {
    if (focusedEditor === target) focusedEditor = null;
  },
  /** True when a text field took the undo. */
  undo(): boolean {
    if (focusedEditor) return focusedEditor.undo();
    if (isPlainTextField(document.activeElement)) return document.execCommand('undo');
    return false;
  },
  redo(): boolean {
    if (focusedEditor) return focusedEditor.redo();
    if (isPlainTextField(document.activeElement)) return document.execCommand('redo');
    return false;
  },
  /** Whether keyboard shortcuts should be left to the focused element. */
  inTextField(): boolean {
    return focusedEditor !== null || isPlainTextField(document.activeElement);
  },
};

// CodeMirror in the workbench's dark colours. @codemirror/language and
// @lezer/highlight come with the `codemirror` package (its dependencies,
// pinned by package-lock.json).
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

const theme = EditorView.theme(
  {
    '&': { color: '#d4d4d4', backgroundColor: '#1e1e1e', height: '100%', fontSize: '12.5px' },
    '.cm-content': { fontFamily: 'var(--mono)', caretColor: '#aeafad' },
    '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
    '.cm-gutters': { backgroundColor: '#1e1e1e', color: '#6e7681', border: 'none' },
    '.cm-activeLine': { backgroundColor: '#ffffff0a' },
    '.cm-activeLineGutter': { backgroundColor: '#ffffff0a', color: '#cccccc' },
    '&.cm-focused .cm-cursor': { borderLeftColor: '#aeafad' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: '#264f78 !important' },
    '&.cm-focused': { outline: '1px solid var(--focus)' },
    '.cm-problem-error': { backgroundColor: 'rgba(248, 81, 73, 0.16)', boxShadow: 'inset 3px 0 0 #f85149' },
    '.cm-problem-warning': { backgroundColor: 'rgba(210, 153, 34, 0.13)', boxShadow: 'inset 3px 0 0 #d29922' },
    '.cm-problem-marker': { fontSize: '11px', paddingLeft: '2px' },
    '.cm-problem-marker.error': { color: '#f85149' },
    '.cm-problem-marker.warning': { color: '#d29922' },
    '.cm-foldPlaceholder': { backgroundColor: '#333', border: 'none', color: '#aaa' },
    '.cm-tooltip': { backgroundColor: '#252526', border: '1px solid #454545' },
  },
  { dark: true },
);

const highlight = HighlightStyle.define([
  { tag: tags.tagName, color: '#569cd6' },
  { tag: tags.attributeName, color: '#9cdcfe' },
  { tag: tags.attributeValue, color: '#ce9178' },
  { tag: tags.string, color: '#ce9178' },
  { tag: tags.comment, color: '#6a9955', fontStyle: 'italic' },
  { tag: tags.angleBracket, color: '#808080' },
  { tag: tags.processingInstruction, color: '#c586c0' },
  { tag: tags.content, color: '#d4d4d4' },
  { tag: tags.invalid, color: '#f85149' },
]);

export const darkEditorTheme = [theme, syntaxHighlighting(highlight)];

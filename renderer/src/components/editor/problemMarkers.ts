// Validation problems shown in CodeMirror at their line: the line tinted, a
// marker in the gutter with the message as its title. The problems come from
// the validators (line and column in the XML text); they are replaced as a
// whole whenever validation runs again.
import { RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, gutter, GutterMarker, type DecorationSet } from '@codemirror/view';

export interface LineProblem {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export const setProblems = StateEffect.define<LineProblem[]>();

class ProblemMarker extends GutterMarker {
  constructor(
    readonly severity: 'error' | 'warning',
    readonly message: string,
  ) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof ProblemMarker && other.severity === this.severity && other.message === this.message;
  }
  override toDOM(): Node {
    const span = document.createElement('span');
    span.className = `cm-problem-marker ${this.severity}`;
    span.textContent = this.severity === 'error' ? '⊗' : '⚠';
    span.title = this.message;
    return span;
  }
}

interface ProblemState {
  lines: DecorationSet;
  markers: RangeSet<GutterMarker>;
}

function build(view: { doc: EditorView['state']['doc'] }, problems: LineProblem[]): ProblemState {
  // One entry per line: errors win over warnings, messages are joined.
  const byLine = new Map<number, { severity: 'error' | 'warning'; messages: string[] }>();
  for (const p of problems) {
    if (p.line < 1 || p.line > view.doc.lines) continue;
    const entry = byLine.get(p.line) ?? { severity: p.severity, messages: [] };
    if (p.severity === 'error') entry.severity = 'error';
    entry.messages.push(p.message);
    byLine.set(p.line, entry);
  }
  const lines = [...byLine.entries()].sort((a, b) => a[0] - b[0]);
  const decorations = lines.map(([line, e]) => Decoration.line({ class: `cm-problem-${e.severity}`, attributes: { 'data-problem': e.messages.join('\n') } }).range(view.doc.line(line).from));
  const markers = lines.map(([line, e]) => new ProblemMarker(e.severity, e.messages.join('\n')).range(view.doc.line(line).from));
  return { lines: Decoration.set(decorations), markers: RangeSet.of(markers) };
}

const problemField = StateField.define<ProblemState>({
  create: () => ({ lines: Decoration.none, markers: RangeSet.empty }),
  update(value, tr) {
    let next = tr.docChanged ? { lines: value.lines.map(tr.changes), markers: value.markers.map(tr.changes) } : value;
    for (const effect of tr.effects) if (effect.is(setProblems)) next = build(tr.state, effect.value);
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (v) => v.lines),
});

export function problemMarkers(): Extension {
  return [problemField, gutter({ class: 'cm-problem-gutter', markers: (view) => view.state.field(problemField).markers })];
}

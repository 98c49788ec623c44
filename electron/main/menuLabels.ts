// Menu bar labels in English and German. The menu follows the OS locale (or the
// language saved in the settings); the renderer has its own catalogue.

export type MenuLabelKey =
  | 'file' | 'new' | 'open' | 'openRecent' | 'noRecent' | 'clearRecent' | 'saveAs' | 'import' | 'importNetworkXml' | 'importSnapshot'
  | 'importRuleset' | 'export' | 'quit' | 'edit' | 'undo' | 'redo' | 'view' | 'topology' | 'network' | 'layers' | 'simulation'
  | 'matrix' | 'compare' | 'help' | 'about' | 'libvirtDocs' | 'window';

const EN: Record<MenuLabelKey, string> = {
  file: '&File',
  new: '&New Project…',
  open: '&Open Project…',
  openRecent: 'Open &Recent',
  noRecent: 'No recent projects',
  clearRecent: 'Clear Recent',
  saveAs: 'Save &As…',
  import: '&Import',
  importNetworkXml: 'libvirt &Network XML…',
  importSnapshot: 'Host &Snapshot Folder…',
  importRuleset: 'Firewall &Ruleset…',
  export: '&Export…',
  quit: '&Quit',
  edit: '&Edit',
  undo: '&Undo',
  redo: '&Redo',
  view: '&View',
  topology: '&Topology',
  network: '&Network Editor',
  layers: '&Layers && Events',
  simulation: '&Simulation',
  matrix: '&Matrix',
  compare: '&Compare Variants',
  help: '&Help',
  about: '&About virtwall',
  libvirtDocs: 'libvirt Network XML &Format',
  window: '&Window',
};

const DE: Record<MenuLabelKey, string> = {
  file: '&Datei',
  new: '&Neues Projekt…',
  open: 'Projekt ö&ffnen…',
  openRecent: '&Zuletzt geöffnet',
  noRecent: 'Keine zuletzt geöffneten Projekte',
  clearRecent: 'Liste leeren',
  saveAs: 'Speichern &unter…',
  import: '&Importieren',
  importNetworkXml: 'libvirt-&Netzwerk-XML…',
  importSnapshot: 'Host-&Snapshot-Ordner…',
  importRuleset: 'Firewall-&Regelwerk…',
  export: '&Exportieren…',
  quit: '&Beenden',
  edit: '&Bearbeiten',
  undo: '&Rückgängig',
  redo: '&Wiederholen',
  view: '&Ansicht',
  topology: '&Topologie',
  network: '&Netzwerk-Editor',
  layers: '&Schichten && Ereignisse',
  simulation: 'S&imulation',
  matrix: '&Matrix',
  compare: '&Varianten vergleichen',
  help: '&Hilfe',
  about: '&Über virtwall',
  libvirtDocs: 'libvirt-Netzwerk-XML-&Format',
  window: '&Fenster',
};

export function menuLabels(locale: string): Record<MenuLabelKey, string> {
  return locale.toLowerCase().startsWith('de') ? DE : EN;
}

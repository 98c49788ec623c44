// Export dialog strings.
import { defineMessages } from '../defineMessages.ts';

export const exportMessages = defineMessages(
  {
    'export.title': 'Export variant “{name}”',
    'export.what': 'Writes each network of the variant as NAME.xml, ready for virsh net-define. Files are written under a temporary name first; nothing is replaced unless you allow it.',
    'export.target': 'Folder',
    'export.targetPlaceholder': '/media/usb/kvm-lab',
    'export.choose': 'Choose…',
    'export.overwrite': 'Replace files that exist already',
    'export.noTarget': 'Choose or type the folder to export to.',
    'export.preview': 'Preview',
    'export.run': 'Export',
    'export.wouldWrite': 'Would write to {target}',
    'export.wrote': 'Written to {target}',
    'export.file': 'File',
    'export.bytes': 'Bytes',
    'export.done': 'Exported {count} file(s) to {target}.',
  },
  {
    'export.title': 'Variante „{name}“ exportieren',
    'export.what': 'Schreibt jedes Netzwerk der Variante als NAME.xml, bereit für virsh net-define. Dateien werden erst unter einem temporären Namen geschrieben; vorhandene werden nur ersetzt, wenn Sie es erlauben.',
    'export.target': 'Ordner',
    'export.targetPlaceholder': '/media/usb/kvm-lab',
    'export.choose': 'Auswählen …',
    'export.overwrite': 'Vorhandene Dateien ersetzen',
    'export.noTarget': 'Wählen oder tippen Sie den Zielordner.',
    'export.preview': 'Vorschau',
    'export.run': 'Exportieren',
    'export.wouldWrite': 'Würde nach {target} schreiben',
    'export.wrote': 'Nach {target} geschrieben',
    'export.file': 'Datei',
    'export.bytes': 'Bytes',
    'export.done': '{count} Datei(en) nach {target} exportiert.',
  },
);

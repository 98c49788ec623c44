import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { sampleProjectVariants } from '../../../../shared/lab/sampleLab.ts';
import { ProjectStore } from './projectStore.ts';
import { bytes, driver, tempFolder, testStore } from './store.testkit.ts';

const tmp = tempFolder('saveas');
afterAll(() => tmp.remove());

function openSample(name: string): { store: ProjectStore; id: string; path: string } {
  const store = testStore();
  const path = tmp.file(name);
  const info = store.create(path, 'sample', { variants: sampleProjectVariants() });
  return { store, id: info.variants[0].id, path };
}

const leftovers = () => tmp.list().filter((f) => f.endsWith('.tmp') || f.includes('.tmp-'));

describe('Save As', () => {
  it('writes a complete copy, continues on it, and leaves the original as it was', () => {
    const { store, id, path } = openSample('original.virtwall');
    store.applyEdit(id, 0, { label: 'Rename host', patch: [{ op: 'replace', path: '/host/name', value: 'before-save-as' }] });
    const copyPath = tmp.file('copy.virtwall');
    const info = store.saveAs(copyPath);
    expect(info.path).toBe(copyPath);
    expect(store.openPath).toBe(copyPath);
    // The copy keeps the history: undo works on it.
    expect(store.getVariant(id)).toMatchObject({ revision: 1, undoLabel: 'Rename host' });
    store.applyEdit(id, 1, { label: 'Rename again', patch: [{ op: 'replace', path: '/host/name', value: 'after-save-as' }] });
    store.close();

    const original = testStore();
    original.open(path);
    expect(original.getVariant(id)).toMatchObject({ revision: 1, lab: { host: { name: 'before-save-as' } } });
    original.close();
    expect(leftovers()).toEqual([]);
  });

  it('replaces an existing target, including a stale -wal left next to it', () => {
    const { store, path } = openSample('replacer.virtwall');
    const target = tmp.file('replaced.virtwall');
    writeFileSync(target, 'old content');
    writeFileSync(target + '-wal', 'stale wal of a crashed app');
    store.saveAs(target);
    store.close();
    expect(existsSync(target + '-wal')).toBe(false);
    const check = testStore();
    expect(check.open(target).variants).toHaveLength(4);
    check.close();
    expect(existsSync(path)).toBe(true);
  });

  it('a failure before the rename leaves the old target byte-for-byte intact and no temporary file', () => {
    const { store, path } = openSample('failing.virtwall');
    const target = tmp.file('keep-me.virtwall');
    writeFileSync(target, 'the previous save');
    const before = bytes(target);
    let seenTemp = '';
    expect(() =>
      store.saveAs(target, {
        beforeRename: (temp) => {
          seenTemp = temp;
          expect(existsSync(temp)).toBe(true); // the checked copy exists at this point…
          throw new Error('disk full (simulated)');
        },
      }),
    ).toThrow('disk full (simulated)');
    expect(seenTemp).not.toBe('');
    expect(existsSync(seenTemp)).toBe(false); // …and is gone after the failure
    expect(bytes(target).equals(before)).toBe(true);
    expect(leftovers()).toEqual([]);
    // The open project is still the old one and still works.
    expect(store.openPath).toBe(path);
    expect(store.info().variants).toHaveLength(4);
    store.close();
  });

  it('a real failure at the rename (the target is a folder) leaves no temporary file', () => {
    const { store } = openSample('to-folder.virtwall');
    const target = tmp.file('a-folder.virtwall');
    mkdirSync(target);
    expect(() => store.saveAs(target)).toThrow(/EISDIR|ENOTEMPTY|EEXIST|directory/);
    expect(leftovers()).toEqual([]);
    store.close();
  });

  it('refuses a target in a folder that does not exist, leaving nothing behind', () => {
    const { store } = openSample('nowhere.virtwall');
    expect(() => store.saveAs(tmp.file('no/such/folder/x.virtwall'))).toThrow();
    expect(existsSync(tmp.file('no'))).toBe(false);
    store.close();
  });

  it('Save As onto the open file itself changes nothing', () => {
    const { store, path } = openSample('self.virtwall');
    expect(store.saveAs(path).path).toBe(path);
    expect(() => store.copyTo(path)).toThrow('is the open project itself');
    store.close();
  });

  it('copyTo writes a checked copy and stays on the open project', () => {
    const { store, path } = openSample('stay.virtwall');
    const copy = tmp.file('stay-copy.virtwall');
    store.copyTo(copy);
    expect(store.openPath).toBe(path);
    store.close();
    const db = new driver(copy, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x5657414c);
    expect(db.prepare('SELECT COUNT(*) FROM variant').pluck().get()).toBe(4);
    db.close();
  });
});

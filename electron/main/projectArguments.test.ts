import { describe, expect, it } from 'vitest';
import { projectFileInArgs } from './projectArguments.ts';

describe('projectFileInArgs', () => {
  it('finds the .virtwall file the desktop passes, resolved against the working folder', () => {
    expect(projectFileInArgs(['/opt/virtwall/virtwall', 'labs/home.virtwall'], '/home/a')).toBe('/home/a/labs/home.virtwall');
    expect(projectFileInArgs(['/usr/bin/electron', '.', '--no-sandbox', '/tmp/X.VIRTWALL'], '/')).toBe('/tmp/X.VIRTWALL');
  });

  it('ignores switches and other files', () => {
    expect(projectFileInArgs(['/opt/virtwall/virtwall', '--inspect=9229', 'notes.txt'], '/')).toBeNull();
  });
});

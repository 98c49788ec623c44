import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, initialBounds, MIN_SIZE } from './windowBounds.ts';

const laptop = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('initialBounds', () => {
  it('uses the defaults on first start', () => {
    expect(initialBounds(undefined, laptop)).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('restores saved bounds that are on a display', () => {
    expect(initialBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, laptop)).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: true });
  });

  it('drops the position of a window saved on a monitor that is gone, keeps its size', () => {
    expect(initialBounds({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }, laptop)).toEqual({ width: 1200, height: 800, maximized: false });
  });

  it('never opens smaller than the minimum', () => {
    const b = initialBounds({ x: 10, y: 10, width: 100, height: 80, maximized: false }, laptop);
    expect(b.width).toBe(MIN_SIZE.width);
    expect(b.height).toBe(MIN_SIZE.height);
  });
});

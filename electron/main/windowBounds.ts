// Window state kept between runs: the saved bounds are used only while they
// still fit a connected display (a laptop undocked from its second screen must
// not open the window off-screen). Pure; main passes the displays' work areas.

import type { WindowBounds } from './services/appBackend/sessionSettings.ts';

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1360, height: 860 };
export const MIN_SIZE = { width: 900, height: 600 };

/** Bounds to open the window with: saved ones if at least 100×50 px of the title area is on some display. */
export function initialBounds(saved: WindowBounds | undefined, workAreas: readonly Area[]): WindowBounds {
  if (!saved) return { ...DEFAULT_SIZE, maximized: false };
  const width = Math.max(MIN_SIZE.width, Math.round(saved.width));
  const height = Math.max(MIN_SIZE.height, Math.round(saved.height));
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized: saved.maximized };
  const { x, y } = saved;
  const visible = workAreas.some((a) => {
    const overlapX = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
    const titleOnScreen = y >= a.y - 10 && y <= a.y + a.height - 50;
    return overlapX >= 100 && titleOnScreen;
  });
  return visible ? { x, y, width, height, maximized: saved.maximized } : { width, height, maximized: saved.maximized };
}

/**
 * The console window's size and position, remembered across runs in a small JSON file. A saved
 * position is used only while it still lies on a connected display, so a window last seen on an
 * unplugged monitor comes back where the operator can reach it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Rectangle } from 'electron';

export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;

export type WindowBounds = Pick<Rectangle, 'width' | 'height'> & Partial<Pick<Rectangle, 'x' | 'y'>>;

function isRectangle(value: unknown): value is Rectangle {
  if (typeof value !== 'object' || value === null) return false;
  const { x, y, width, height } = value as Record<string, unknown>;
  return [x, y, width, height].every(Number.isFinite) && (width as number) > 0 && (height as number) > 0;
}

function overlaps(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function loadBounds(file: string, workAreas: readonly Rectangle[]): WindowBounds {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_SIZE };
  }
  if (!isRectangle(saved)) return { ...DEFAULT_SIZE };
  const { x, y, width, height } = saved;
  return workAreas.some((area) => overlaps(saved, area)) ? { x, y, width, height } : { width, height };
}

export function saveBounds(file: string, bounds: Rectangle): void {
  try {
    writeFileSync(file, JSON.stringify(bounds));
  } catch (error) {
    // Losing the window position is no reason to stop closing or quitting.
    console.warn(`Could not remember the window position in ${file}:`, error);
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Divisions, type DivisionData } from './divisions.js';

/** The project root: the nearest folder above this module holding package.json (src or dist). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + import.meta.url);
    dir = parent;
  }
  return dir;
}

export function loadDivisions(
  file = join(projectRoot(), 'reference-data', 'shanghai-divisions-2021.json'),
): Divisions {
  const data = JSON.parse(readFileSync(file, 'utf8')) as DivisionData;
  return new Divisions(data);
}

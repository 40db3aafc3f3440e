import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * authbin's version, from its package.json: the nearest one above this module, which is two folders
 * up from the sources and three from dist/ (in a clone, an npm install or the container alike).
 */
export function authbinVersion(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'authbin' && manifest.version) return manifest.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

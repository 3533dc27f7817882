import { isAbsolute, relative } from 'node:path';

/**
 * The path of `path` below `folder`, or undefined when it lies elsewhere;
 * `''` when the two are the same folder.
 *
 * @example
 * pathWithin('/data', '/data/in/a'); // 'in/a'
 * pathWithin('/data', '/tmp/a'); // undefined
 */
export function pathWithin(folder: string, path: string): string | undefined {
  const inside = relative(folder, path);
  return inside.startsWith('..') || isAbsolute(inside) ? undefined : inside;
}

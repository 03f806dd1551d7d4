/**
 * Running a learner's TypeScript on Node 20, which cannot strip types itself: module hooks,
 * registered with `node --import`, turn each .ts/.mts file into JavaScript with esbuild as it
 * loads. Types are removed, not checked (as tsx does): the learner's editor or `tsc --noEmit`
 * checks them. The file keeps its path, so `import 'redis'` resolves from the learner's directory
 * and stack traces point into their file (inline source maps).
 *
 * The hooks are passed as data: URLs, so the same code works from dist/ and under the tests,
 * and esbuild is imported by its absolute URL, from redislings' own dependencies.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

let cached: string | undefined;

/** The `--import` argument that registers the hooks. */
export function typescriptHooksImport(): string {
  if (cached) return cached;
  let esbuild: string;
  try {
    esbuild = pathToFileURL(createRequire(import.meta.url).resolve('esbuild')).href;
  } catch (e) {
    throw new Error(`running TypeScript needs the esbuild package, which is missing (${(e as Error).message})`);
  }
  const hooks = `
import { transform } from ${JSON.stringify(esbuild)};
import { readFile } from 'node:fs/promises';
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !/\\.m?ts$/i.test(url)) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const out = await transform(source, {
    loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: url,
  });
  return { format: 'module', source: out.code, shortCircuit: true };
}
`;
  const register = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  cached = `data:text/javascript,${encodeURIComponent(register)}`;
  return cached;
}

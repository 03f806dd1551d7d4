/**
 * ioredis' client class, loaded when first needed (it costs start-up time the bundled engine
 * never pays). ioredis is CommonJS and replaces its module.exports with the class: Node's ESM
 * import finds the named export `Redis`, but the bundle (dist/redislings.js, esbuild) only gives
 * `default`. Either is the class.
 */
import type { Redis } from 'ioredis';

export async function loadIoredis(): Promise<typeof Redis> {
  const module = await import('ioredis') as { Redis?: typeof Redis; default?: typeof Redis | { Redis?: typeof Redis } };
  const fallback = module.default;
  const found = module.Redis ?? (typeof fallback === 'function' ? fallback : fallback?.Redis);
  if (typeof found !== 'function') throw new Error('the ioredis package has no Redis class (is it installed whole?)');
  return found;
}

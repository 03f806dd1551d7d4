// Bundles the redislings command with esbuild: dist/redislings.js, and what it imports lazily (the
// UI, the engine, the lesson parser, ioredis) in dist/chunks/, each loaded when first used.
// Importing Ink from node_modules means ~530 ES modules (600-970 ms before the first frame); the
// bundle is a fraction of that. `npm run build` runs tsc first (type checking, dist/ for the
// tests) and then this script; `npm start` runs only this script, then the bundle, which the
// `redislings` bin also points at.
//
// What a bundle changes that the code relies on, and what is done about it:
// - `import.meta.url`: modules find files beside them (package.json, lessons/, command-docs.json)
//   relative to where tsc puts them. Each module's `import.meta.url` becomes the URL its tsc
//   output would have (dist/<path>.js), so those lookups behave exactly as unbundled, and the JSON
//   the engine reads is copied to where tsc would copy it.
// - Ink imports react-devtools-core only when DEV=true; it is stubbed so the bundle needs no copy.
// - Yoga's loader is pointed away from fetch() (see yogaWithoutFetch).
// REDISLINGS_BUNDLE_PLAIN=1 leaves the code unminified (for reading a CPU profile).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const defaultOutfile = path.join(dist, 'redislings.js');

/**
 * import.meta.url of src/<p>.ts(x) → the URL of dist/<p>.js. The code may land in the entry
 * (dist/redislings.js) or in a chunk (dist/chunks/…): each output file's banner defines
 * __distUrl, the URL of dist/ seen from that file.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (!args.path.startsWith(src + path.sep)) return undefined;
      let code = await fs.promises.readFile(args.path, 'utf8');
      if (code.includes('import.meta.url')) {
        const rel = path.relative(src, args.path).replace(/\\/g, '/').replace(/\.tsx?$/, '.js');
        code = code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __distUrl).href`);
      }
      return { contents: code, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/**
 * Yoga (Ink's layout engine) ships as WebAssembly in a base64 data URL, and its loader fetches
 * that URL with fetch() when fetch exists: on Node that first loads undici, Node's HTTP client,
 * ~40 ms before the first frame for nothing. The loader's other path, for runtimes without
 * fetch, decodes the same bytes directly; this makes the loader take it. If a Yoga release
 * changes the text, nothing breaks: the build says so and the app starts slower.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /yoga-layout[\\/].*yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const code = await fs.promises.readFile(args.path, 'utf8');
      const uses = code.split('"function"!=typeof fetch').length - 1;
      if (uses === 0) {
        process.stderr.write(`bundle: ${args.path} no longer tests for fetch as expected; Yoga will load through fetch\n`);
      }
      return { contents: code.replaceAll('"function"!=typeof fetch', 'true'), loader: 'js' };
    });
  },
};

const BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  // Some dependencies are CommonJS and call require(); an ESM bundle needs one in scope.
  'const require = __createRequire(import.meta.url);',
  "const __distUrl = new URL(import.meta.url.includes('/chunks/') ? '../' : './', import.meta.url);",
].join(' ');

const stubDevtools = {
  name: 'stub-devtools',
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { connectToDevTools() {} };', loader: 'js' }));
  },
};

/**
 * Bundles `entry` (default src/cli.ts) into dist/<name>.js, with what it imports lazily (the UI,
 * the engine, the lesson parser, ioredis) split into dist/chunks/, loaded only when used: the
 * first frame does not pay for parsing the engine.
 */
export async function bundle({ entry = path.join(src, 'cli.ts'), name = 'redislings', meta = false } = {}) {
  fs.rmSync(path.join(dist, 'chunks'), { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { [name]: entry },
    outdir: dist,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: BANNER },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [moduleUrls, stubDevtools, yogaWithoutFetch],
    // Minified, V8 reads the bundle faster; names are kept (error classes, stack traces) and a
    // source map lies beside it (node --enable-source-maps shows the TypeScript lines).
    minify: process.env.REDISLINGS_BUNDLE_PLAIN !== '1',
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    legalComments: 'none',
    metafile: meta,
  });
  fs.chmodSync(path.join(dist, `${name}.js`), 0o755);
  // The engine reads Redis' recorded COMMAND DOCS beside its module (see moduleUrls above).
  const docs = path.join('engine', 'command-docs.json');
  fs.mkdirSync(path.join(dist, 'engine'), { recursive: true });
  fs.copyFileSync(path.join(src, docs), path.join(dist, docs));
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const meta = process.argv.includes('--meta');
  const result = await bundle({ meta });
  if (meta) fs.writeFileSync(path.join(dist, 'redislings.meta.json'), JSON.stringify(result.metafile));
  if (!process.argv.includes('--quiet')) {
    const kb = Math.round(fs.statSync(defaultOutfile).size / 1024);
    process.stdout.write(`dist/redislings.js: ${kb} KiB in ${Date.now() - started} ms\n`);
  }
}

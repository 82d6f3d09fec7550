// Bundles the extension into dist/. `--production` minifies without sourcemaps; `--watch` rebuilds on change
// and prints problem-matcher lines ("[watch] build started/finished") for the `$esbuild-watch` matcher.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

async function main() {
  // Start clean so a production build never ships a stale sourcemap from a development build.
  if (!watch) require('fs').rmSync('dist', { recursive: true, force: true });
  const ctx = await esbuild.context({
    // Two bundles: extension.js (activation: small, no SDK) and aws.js (the AWS layer with the SDK), which the UI
    // loads with require() on the first command that talks to AWS.
    entryPoints: { extension: 'src/extension.ts', aws: 'src/aws/index.ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    outdir: 'dist',
    // `vscode` is provided by the editor.
    external: ['vscode'],
    logLevel: watch ? 'silent' : 'error',
    metafile: true,
    plugins: watch ? [problemMatcher] : [],
  });
  if (watch) {
    await ctx.watch();
    return;
  }
  const result = await ctx.rebuild();
  await ctx.dispose();
  for (const w of result.warnings) console.warn(`[esbuild] ${w.text}`);
  if (result.errors.length) process.exit(1);
  if (process.argv.includes('--metafile')) {
    require('fs').writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

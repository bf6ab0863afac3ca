// Writes the test page (index.html and inbox.js, bundled from node_modules) into the folder given.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = process.argv[2];
const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'page-entry.mjs')],
  bundle: true,
  format: 'iife',
  outfile: join(out, 'inbox.js'),
  logLevel: 'error',
  define: { 'process.env.NODE_ENV': '"production"' },
});
writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Inbox on the local runtime</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:16px 24px;background:#f6f7f9}
header{display:flex;justify-content:space-between;align-items:center;max-width:960px}</style></head>
<body><header><h2>My app</h2><div style="display:flex;gap:12px;align-items:center"><span id="count"></span><div id="inbox"></div></div></header>
<script src="inbox.js"></script></body></html>
`);
console.log(JSON.stringify({ built: out }));

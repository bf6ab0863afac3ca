// Renders Liquid templates with the TypeScript reference's own engine (@novu/framework 2.9.0, liquidjs).
//
// Input on stdin: {"mode": "reference" | "novu", "cases": [{"template": str, "context": object}]}.
// Output on stdout: one result per case, {"ok": true, "output": str} or {"ok": false, "name": str}.
// With {"mode": "inflect", "words": [str]}: [{"plural": str, "singular": str}] from npm pluralize.
//
// Each template is one control value, rendered on its own with the reference's translation pre/post
// passes (deviation D5 of DEVIATIONS.md). Mode "novu" applies the documented fixes as well: newlines are
// printed as real newlines (D5), `digest` never prints an empty name (D6) and `size` of a string counts
// code points (D8). Mode "reference" uses the engine exactly as the reference creates it.
'use strict';

const path = require('path');

const referenceRoot = process.env.NOVU_REFERENCE_DIR || path.join(__dirname, '..', '..', '.reference');
const internal = require(path.join(referenceRoot, 'node_modules', '@novu', 'framework', 'internal'));

function printValue(value, indent) {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    return JSON.stringify(value, null, indent || 0).replace(/"/g, "'");
  }
  return value == null ? '' : String(value);
}

function fixedDigest(items, maxNames = 2, keyPath, separator = ', ') {
  if (!Array.isArray(items) || items.length === 0) return '';
  const names = keyPath ? items.map((item) => (typeof item !== 'object' || !item ? '' : getPath(item, keyPath))) : items;
  if (names.length === 1) return names[0];
  if (names.length === 2 || maxNames >= names.length) {
    return `${names.slice(0, -1).join(separator)} and ${names[names.length - 1]}`;
  }
  const rest = names.length - maxNames;
  return `${names.slice(0, maxNames).join(separator)} and ${rest} ${rest === 1 ? 'other' : 'others'}`;
}

function getPath(obj, keyPath) {
  const value = keyPath.split('.').reduce((acc, key) => (acc && typeof acc === 'object' ? acc[key] : undefined), obj);
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text === '{}' ? '' : text;
  }
  return '';
}

function createEngine(mode) {
  if (mode === 'reference') return internal.createLiquidEngine();
  const engine = internal.createLiquidEngine({ outputEscape: (value) => printValue(value, 0) });
  engine.registerFilter('json', (value, indent) => printValue(value, indent));
  engine.registerFilter('digest', fixedDigest);
  engine.registerFilter('size', (value) => (typeof value === 'string' ? [...value].length : (value && value.length) || 0));
  return engine;
}

async function render(engine, template, context) {
  let text = template.replace(/\{\{\s*t\.([\p{L}\p{N}_.-]+)\s*\}\}/gu, '[T:$1]');
  text = text.replace(/'t\.([\p{L}\p{N}_.-]+)'/gu, "'[T:$1]'");
  const parsed = engine.parse(text);
  const output = await engine.render(parsed, context);
  return output.replace(/\[T:([\p{L}\p{N}_.-]+)\]/gu, '{{t.$1}}');
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (request.mode === 'inflect') {
    const pluralize = require(path.join(referenceRoot, 'node_modules', 'pluralize'));
    const words = request.words.map((word) => ({ plural: pluralize.plural(word), singular: pluralize.singular(word) }));
    process.stdout.write(JSON.stringify(words));
    return;
  }
  const engine = createEngine(request.mode);
  const results = [];
  for (const { template, context } of request.cases) {
    try {
      results.push({ ok: true, output: await render(engine, template, context) });
    } catch (error) {
      results.push({ ok: false, name: error.name, message: String(error.message) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});

// Regenerates novu_framework/data/{step_schemas,provider_schemas}.json from the installed
// TypeScript reference (@novu/framework 2.9.0, see scripts/install-reference.sh).
// Usage: node scripts/dump-reference-schemas.mjs [--check]
//   --check  compare instead of writing; exit status 1 when a data file differs from the reference.
// The reference location can be overridden with NOVU_REFERENCE_DIR (the folder holding node_modules/).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const referenceDir = process.env.NOVU_REFERENCE_DIR ?? join(root, '.reference');
const require = createRequire(join(referenceDir, 'package.json'));

let framework;
let internal;
try {
  framework = require('@novu/framework');
  internal = require('@novu/framework/internal');
} catch (error) {
  console.error(`dump-reference-schemas: @novu/framework not found under ${referenceDir} (run scripts/install-reference.sh)`);
  process.exit(1);
}

const frameworkDir = join(referenceDir, 'node_modules', '@novu', 'framework');
const { version } = JSON.parse(readFileSync(join(frameworkDir, 'package.json'), 'utf8'));
if (version !== '2.9.0') {
  console.error(`dump-reference-schemas: expected @novu/framework 2.9.0, found ${version}`);
  process.exit(1);
}

// Step type -> { output, result }, channel steps first, in the reference's key order.
const stepSchemas = {};
for (const group of [internal.channelStepSchemas, internal.actionStepSchemas]) {
  for (const [type, { output, result }] of Object.entries(group)) {
    stepSchemas[type] = { output, result };
  }
}

const files = {
  'step_schemas.json': stepSchemas,
  'provider_schemas.json': framework.providerSchemas,
};

const check = process.argv.includes('--check');
let stale = false;
for (const [name, value] of Object.entries(files)) {
  const path = join(root, 'novu_framework', 'data', name);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // A missing file counts as stale.
    }
    if (current !== text) {
      console.error(`${name}: differs from the reference`);
      stale = true;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path} (${text.length} bytes)`);
  }
}
process.exit(stale ? 1 : 0);

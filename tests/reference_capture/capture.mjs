// Runs trigger cases through the TypeScript reference (@novu/framework 2.9.0) against a recording
// Novu API stand-in, and prints what the reference returned or threw, one JSON array on stdout.
//
// Usage: node capture.mjs CASES_JSON
// Env:   NOVU_REFERENCE_DIR (holds node_modules/@novu/framework), API_URL, SECRET_KEY
//
// Case kinds:
//   {"kind": "trigger", "workflowId", "payloadSchema"?, "params", "cancel"?, "env"?}
//       defines `workflow(workflowId, ..., {payloadSchema})` and calls `wf.trigger({...params, apiUrl,
//       secretKey})`, then `cancel()` when asked; `env` is set in process.env for that case only.
//   {"kind": "bridge", "workflowId", "body"}
//       POSTs `body` to `?action=trigger&workflowId=...` of the reference's Express bridge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const referenceDir = process.env.NOVU_REFERENCE_DIR;
const apiUrl = process.env.API_URL;
const secretKey = process.env.SECRET_KEY;
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));

async function importPackage(name, subpath = '.') {
  const root = join(referenceDir, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = manifest.exports ? manifest.exports[subpath].import.default : manifest.main || 'index.js';
  return import(pathToFileURL(join(root, entry)).href);
}

function describeError(error) {
  return {
    statusCode: error?.statusCode,
    code: error?.code,
    message: error?.message,
    data: error?.data,
  };
}

const { workflow, Client } = await importPackage('@novu/framework');
const { serve } = await importPackage('@novu/framework', './express');
const express = (await importPackage('express')).default;

async function runTrigger(testCase) {
  const saved = { ...process.env };
  Object.assign(process.env, testCase.env || {});
  try {
    const options = testCase.payloadSchema ? { payloadSchema: testCase.payloadSchema } : {};
    const wf = workflow(testCase.workflowId, async ({ step }) => {
      await step.inApp('inbox', async () => ({ body: 'hello' }));
    }, options);
    const { data, cancel } = await wf.trigger({ ...testCase.params, apiUrl, secretKey });
    const result = { data };
    if (testCase.cancel) result.cancelled = await cancel();
    return result;
  } catch (error) {
    return { error: describeError(error) };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

async function startBridge() {
  const app = express();
  app.use(express.json());
  const noop = workflow('noop', async ({ step }) => {
    await step.inApp('inbox', async () => ({ body: 'hello' }));
  });
  app.use('/api/novu', serve({
    workflows: [noop],
    client: new Client({ secretKey, apiUrl, strictAuthentication: false }),
  }));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function runBridge(server, testCase) {
  const { port } = server.address();
  const query = new URLSearchParams({ action: 'trigger', workflowId: testCase.workflowId });
  const response = await fetch(`http://127.0.0.1:${port}/api/novu?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(testCase.body),
  });
  return { status: response.status, body: await response.json() };
}

// The reference logs errors it relays; keep stdout for the results.
console.error = () => {};
console.log = () => {};

const results = [];
let bridge = null;
for (const testCase of cases) {
  if (testCase.kind === 'bridge') {
    bridge ??= await startBridge();
    results.push(await runBridge(bridge, testCase));
  } else {
    results.push(await runTrigger(testCase));
  }
}
bridge?.close();
process.stdout.write(JSON.stringify(results));

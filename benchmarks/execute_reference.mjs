// In-process execute of the benchmark workflow on the TypeScript reference (@novu/framework 2.9.0).
// Usage: node benchmarks/execute_reference.mjs <reference dir>
// Then one command per stdin line, "<style> <iterations>" with style "async" (async resolvers) or
// "sync" (plain arrow functions); each answers one JSON line {us_per_op, outputs}. So that the
// Python side can interleave rounds of ours and the reference in the same run.
import readline from 'node:readline';
import { referenceRequire } from './reference_require.mjs';

const [referenceDir] = process.argv.slice(2);
const require = referenceRequire(referenceDir);
const { workflow, Client } = require('@novu/framework');

const payloadSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    plan: { type: 'string', enum: ['free', 'pro'], default: 'free' },
    items: { type: 'array', items: { type: 'string' }, default: [] },
  },
  required: ['name'],
  additionalProperties: false,
};
const controlSchema = {
  type: 'object',
  properties: {
    subject: { type: 'string', default: 'Welcome {{payload.name}} ({{payload.plan | upcase}})' },
    body: { type: 'string', default: '<p>Hello {{subscriber.firstName}}, you have {{payload.items | size}} items</p>' },
  },
  additionalProperties: false,
};

const benchAsync = workflow('bench-async', async ({ step, payload }) => {
  const inbox = await step.inApp('inbox', async () => ({ body: `Hi ${payload.name}` }));
  await step.email('mail', async (controls) => ({
    subject: controls.subject,
    body: `${controls.body}<p>seen: ${inbox.seen}</p>`,
  }), { controlSchema });
}, { payloadSchema });

const benchSync = workflow('bench-sync', async ({ step, payload }) => {
  const inbox = await step.inApp('inbox', () => ({ body: `Hi ${payload.name}` }));
  await step.email('mail', (controls) => ({
    subject: controls.subject,
    body: `${controls.body}<p>seen: ${inbox.seen}</p>`,
  }), { controlSchema });
}, { payloadSchema });

const client = new Client({ secretKey: 'bench', strictAuthentication: false });
const write = (line) => process.stdout.write(line + '\n');
console.log = () => {}; // the reference client logs progress lines to stdout
await client.addWorkflows([benchAsync, benchSync]);

const event = (workflowId) => ({
  workflowId, stepId: 'mail', action: 'execute',
  payload: { name: 'Ada', plan: 'pro', items: ['a', 'b', 'c'] },
  controls: {},
  state: [{ stepId: 'inbox', outputs: { seen: true, read: false, lastSeenDate: null, lastReadDate: null }, state: { status: 'completed', error: null } }],
  subscriber: { subscriberId: 'sub-1', firstName: 'Ada' },
  context: {},
});

for (const id of ['bench-async', 'bench-sync']) {
  for (let i = 0; i < 2000; i++) await client.executeWorkflow(event(id));
}
write('READY');

for await (const line of readline.createInterface({ input: process.stdin })) {
  const [style, iterationsArg] = line.trim().split(/\s+/);
  if (!style) continue;
  const id = style === 'sync' ? 'bench-sync' : 'bench-async';
  const iterations = Number(iterationsArg || 1000);
  const check = await client.executeWorkflow(event(id));
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await client.executeWorkflow(event(id));
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  write(JSON.stringify({ us_per_op: elapsed / iterations, outputs: check.outputs }));
}

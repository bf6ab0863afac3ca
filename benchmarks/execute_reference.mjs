// In-process execute of the benchmark workflow on the TypeScript reference (@novu/framework 2.9.0).
// Usage: node benchmarks/execute_reference.mjs <reference dir> <iterations>
import { createRequire } from 'node:module';
import path from 'node:path';

const [referenceDir, iterationsArg] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(referenceDir), 'package.json'));
const { workflow, Client } = require('@novu/framework');
const iterations = Number(iterationsArg || 20000);

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

const bench = workflow('bench', async ({ step, payload }) => {
  const inbox = await step.inApp('inbox', async () => ({ body: `Hi ${payload.name}` }));
  await step.email('mail', async (controls) => ({
    subject: controls.subject,
    body: `${controls.body}<p>seen: ${inbox.seen}</p>`,
  }), { controlSchema });
}, { payloadSchema });

const client = new Client({ secretKey: 'bench', strictAuthentication: false });
console.log = () => {}; // the reference client logs progress lines to stdout
await client.addWorkflows([bench]);

const event = {
  workflowId: 'bench', stepId: 'mail', action: 'execute',
  payload: { name: 'Ada', plan: 'pro', items: ['a', 'b', 'c'] },
  controls: {},
  state: [{ stepId: 'inbox', outputs: { seen: true, read: false, lastSeenDate: null, lastReadDate: null }, state: { status: 'completed', error: null } }],
  subscriber: { subscriberId: 'sub-1', firstName: 'Ada' },
  context: {},
};

const check = await client.executeWorkflow(event);
for (let i = 0; i < Math.min(2000, iterations); i++) await client.executeWorkflow(event);
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) await client.executeWorkflow(event);
const elapsed = Number(process.hrtime.bigint() - start) / 1000;
process.stdout.write(JSON.stringify({ us_per_op: elapsed / iterations, outputs: check.outputs }) + '\n');

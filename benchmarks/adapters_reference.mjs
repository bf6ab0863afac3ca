// The benchmark workflow on the TypeScript reference (@novu/framework 2.9.0) served by Express, as its
// documentation shows: express.json() then serve() at /api/novu; plus GET /bare returning {ok: true}.
// Usage: node benchmarks/adapters_reference.mjs <reference dir>   (prints "PORT <n>" once listening)
import { referenceRequire } from './reference_require.mjs';

const [referenceDir] = process.argv.slice(2);
const require = referenceRequire(referenceDir);
const express = require('express');
const { workflow, Client } = require('@novu/framework');
const { serve } = require('@novu/framework/express');

const payloadSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    plan: { type: 'string', enum: ['free', 'pro'], default: 'free' },
  },
  required: ['name'],
  additionalProperties: false,
};
const controlSchema = {
  type: 'object',
  properties: {
    subject: { type: 'string', default: 'Welcome {{payload.name}}' },
    body: {
      type: 'string',
      default: '<p>Hello {{subscriber.firstName}}, your {{payload.plan | upcase}} plan is ready</p>',
    },
  },
  additionalProperties: false,
};

const benchWorkflow = (id) =>
  workflow(
    id,
    async ({ step }) => {
      await step.email('welcome-email', async (controls) => ({ subject: controls.subject, body: controls.body }), {
        controlSchema,
      });
    },
    { payloadSchema }
  );

const app = express();
app.use(express.json());
app.get('/bare', (req, res) => res.json({ ok: true }));
app.use(
  '/api/novu',
  serve({
    client: new Client({ secretKey: 'sk_bench_adapters', strictAuthentication: true, apiUrl: 'http://127.0.0.1:9' }),
    workflows: [benchWorkflow('bench-welcome'), benchWorkflow('bench-welcome-async')],
  })
);

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
  console.log = () => {}; // the reference logs a progress line per executed step
});

// The same one-workflow bridge on the TypeScript reference (@novu/framework 2.9.0) behind Express.
// Usage: node benchmarks/cold_start_reference.mjs <reference dir> <port>
import { createRequire } from 'node:module';
import path from 'node:path';

const [referenceDir, port] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(referenceDir), 'package.json'));
const express = require('express');
const { workflow, Client } = require('@novu/framework');
const { serve } = require('@novu/framework/express');

const welcome = workflow('welcome', async ({ step, payload }) => {
  await step.inApp('inbox', async () => ({ body: `Welcome, ${payload.name}` }));
  await step.email('mail', async () => ({ subject: 'Welcome', body: '<p>Hello</p>' }));
}, { payloadSchema: { type: 'object', properties: { name: { type: 'string' } } } });

const app = express();
app.use(express.json());
app.use('/api/novu', serve({
  client: new Client({ secretKey: 'sk_bench_cold_start', strictAuthentication: true }),
  workflows: [welcome],
}));
app.listen(Number(port), '127.0.0.1');

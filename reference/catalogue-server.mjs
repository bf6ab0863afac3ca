// The conformance catalogue (tests/conformance/data/catalogue.md) served by the TypeScript reference,
// @novu/framework 2.9.0 on its Express adapter, so that the battery can be recorded against it.
//
//   node reference/catalogue-server.mjs STRICT_PORT OPEN_PORT
//
// Two bridges at /api/novu on 127.0.0.1: strict authentication on STRICT_PORT, off on OPEN_PORT, both
// with the secret key `test-secret-key-oracle` and the Novu API at http://127.0.0.1:9 (a closed port,
// so `action=trigger` fails without leaving the machine). Prints `ready` once both listen.
// The packages are loaded from NOVU_REFERENCE_DIR (default: .reference/ beside this folder, where
// scripts/install-reference.sh installs reference/package-lock.json).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const referenceDir = process.env.NOVU_REFERENCE_DIR || join(here, '..', '.reference');

async function load(name, subpath = '.') {
  const root = join(referenceDir, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = manifest.exports ? manifest.exports[subpath].import.default : manifest.main || 'index.js';
  return import(pathToFileURL(join(root, entry)).href);
}

const { Client, workflow } = await load('@novu/framework');
const { serve } = await load('@novu/framework', './express');
const express = (await load('express')).default;

const SECRET_KEY = 'test-secret-key-oracle';
const API_URL = 'http://127.0.0.1:9';
const UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months'];

// Schema builders: an object schema with the given properties, closed unless `open` says otherwise.
const str = (value) => ({ type: 'string', default: value });
const closed = (properties, extra = {}) => ({ type: 'object', properties, ...extra, additionalProperties: false });
const controls = (properties) => ({ controlSchema: closed(properties) });

// 1. oracle-welcome: every channel step, Liquid and the custom filters, skip, provider overrides.
const welcome = workflow(
  'oracle-welcome',
  async ({ step, payload }) => {
    await step.email(
      'welcome-email',
      async (c) => ({ subject: c.subject, body: c.body + '<hr/>' + c.footer }),
      controls({
        subject: str('Welcome {{payload.name}}!'),
        body: str(
          "<h1>Hello {{payload.name}}</h1><p>Plan: {{payload.plan | upcase}}</p><p>You have {{payload.count | pluralize: 'new message'}}.</p><p>City: {{payload.address.city}}</p>"
        ),
        footer: str(
          "Sent to {{subscriber.email | default: 'unknown'}} by {{workflow.name}} ({{workflow.workflowId}}) tags={{workflow.tags}} severity={{workflow.severity}}"
        ),
      })
    );
    await step.inApp(
      'welcome-inapp',
      async (c) => {
        const message = {
          subject: c.subject,
          body: c.body,
          avatar: 'https://example.com/avatar.png',
          redirect: { url: 'https://example.com/welcome' },
          data: { plan: payload.plan, itemCount: payload.items.length },
        };
        if (c.showAction) {
          message.primaryAction = { label: 'Open dashboard', redirect: { url: c.actionUrl } };
        }
        return message;
      },
      controls({
        subject: str("Hi {{subscriber.firstName | default: 'there'}}"),
        body: str('Your items: {{payload.items | toSentence}}'),
        showAction: { type: 'boolean', default: true },
        actionUrl: str('/dashboard'),
      })
    );
    await step.sms('welcome-sms', async (c) => ({ body: c.body }), {
      skip: () => payload.sendSms === false,
      ...controls({
        body: str(
          "Hi {{payload.name}}{% if payload.plan == 'pro' %} (PRO){% endif %}, welcome!{% for i in payload.items %} #{{i}}{% endfor %}"
        ),
      }),
    });
    await step.push('welcome-push', async (c) => ({ subject: c.title, body: c.body }), {
      skip: (c) => c.mute === true,
      ...controls({
        title: str('{{payload.name}} joined'),
        body: str('{{payload.items | size}} items in your list {{ t.push_footer }}'),
        mute: { type: 'boolean', default: false },
      }),
    });
    await step.chat('welcome-chat', async (c) => ({ body: c.body }), {
      ...controls({ body: str('New signup: {{payload.name}} ({{payload.plan}})') }),
      providers: {
        slack: async ({ outputs }) => ({
          text: 'Slack: ' + outputs.body,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*' + outputs.body + '*' } }],
          _passthrough: { body: { unfurl_links: false } },
        }),
        discord: async ({ controls: raw, outputs }) => ({
          content: 'Discord: ' + outputs.body + ' | raw control: ' + raw.body,
        }),
      },
    });
  },
  {
    name: 'Oracle Welcome',
    description: 'Exercises every channel step, Liquid controls, custom filters, skip and provider overrides.',
    tags: ['oracle', 'onboarding'],
    severity: 'high',
    payloadSchema: closed(
      {
        name: { type: 'string', minLength: 1 },
        plan: { type: 'string', enum: ['free', 'pro', 'enterprise'], default: 'free' },
        items: { type: 'array', items: { type: 'string' }, default: [] },
        count: { type: 'integer', minimum: 0, default: 1 },
        sendSms: { type: 'boolean', default: true },
        address: {
          ...closed(
            { city: str('Paris'), zip: { type: 'string', pattern: '^[0-9]{5}$', default: '75001' } },
            { required: ['city'] }
          ),
          default: {},
        },
      },
      { required: ['name'] }
    ),
    controlSchema: closed({ brandColor: str('#0055ff') }),
    preferences: {
      all: { enabled: true, readOnly: false },
      channels: {
        email: { enabled: true },
        inApp: { enabled: true },
        sms: { enabled: false },
        push: { enabled: true },
        chat: { enabled: false },
      },
    },
  }
);

// 2. oracle-digest: a regular digest and an email built from its result.
const digest = workflow(
  'oracle-digest',
  async ({ step, payload }) => {
    const batch = await step.digest(
      'collect-comments',
      async (c) => ({
        amount: c.amount,
        unit: c.unit,
        digestKey: 'post-' + payload.postId,
        lookBackWindow: { amount: c.lookBackAmount, unit: 'minutes' },
      }),
      controls({
        amount: { type: 'number', minimum: 1, default: 30 },
        unit: { type: 'string', enum: UNITS, default: 'minutes' },
        lookBackAmount: { type: 'number', default: 5 },
      })
    );
    await step.email(
      'digest-email',
      async (c) => ({ subject: c.subject, body: c.body + '<p>Total events: ' + batch.events.length + '</p>' }),
      controls({
        subject: str('{{steps.collect-comments.eventCount}} new comments on post {{payload.postId}}'),
        body: str(
          "<p>{{steps.collect-comments.events | digest: 2, 'payload.author'}} commented.</p><p>{{steps.collect-comments.events | toSentence: 'payload.author', 3}}</p><p>{{steps.collect-comments.events | pluralize: 'comment'}}</p>"
        ),
      })
    );
  },
  {
    name: 'Oracle Digest',
    tags: ['oracle', 'digest'],
    payloadSchema: closed({ postId: { type: 'string' }, author: str('Anonymous') }, { required: ['postId'] }),
  }
);

// 3. oracle-schedule: the three delays, a timed digest, a throttle, and an in-app message using them.
const schedule = workflow(
  'oracle-schedule',
  async ({ step, payload }) => {
    const waited = await step.delay(
      'short-delay',
      async (c) => ({ type: 'regular', amount: c.amount, unit: c.unit }),
      controls({ amount: { type: 'number', default: 10 }, unit: { type: 'string', enum: UNITS, default: 'seconds' } })
    );
    await step.delay('timed-delay', async () => ({ type: 'timed', cron: '0 9 * * 1' }));
    await step.delay('dynamic-delay', async () => ({ type: 'dynamic', dynamicKey: 'payload.sendAt' }));
    const daily = await step.digest('daily-digest', async () => ({
      cron: '0 08 * * *',
      digestKey: 'region-' + payload.region,
    }));
    const limit = await step.throttle(
      'rate-limit',
      async (c) => ({
        type: 'fixed',
        amount: 1,
        unit: 'hours',
        threshold: c.threshold,
        throttleKey: 'region-' + payload.region,
      }),
      controls({ threshold: { type: 'number', default: 3 } })
    );
    await step.inApp('schedule-summary', async () => ({
      body: `Waited ${waited.duration}ms; digest had ${daily.events.length} events; throttled=${limit.throttled}`,
    }));
  },
  {
    name: 'Oracle Schedule',
    description: 'Delay, timed digest, throttle.',
    tags: ['oracle', 'schedule'],
    severity: 'low',
    payloadSchema: closed({
      sendAt: str('2030-01-01T09:00:00Z'),
      region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
    }),
  }
);

// 4. oracle-custom: a custom step with an output schema whose result the next step uses.
const custom = workflow(
  'oracle-custom',
  async ({ step, payload }) => {
    const result = await step.custom(
      'compute-score',
      async (c) => {
        const score = payload.base * c.multiplier;
        const tier = score >= 100 ? 'high' : 'low';
        return { score, tier, label: payload.label, badges: tier === 'high' ? ['gold'] : [], debug: 'not in outputSchema' };
      },
      {
        ...controls({ multiplier: { type: 'number', default: 2 } }),
        outputSchema: closed(
          {
            score: { type: 'number' },
            tier: { type: 'string', enum: ['low', 'high'] },
            label: { type: 'string' },
            badges: { type: 'array', items: { type: 'string' } },
          },
          { required: ['score', 'tier'] }
        ),
      }
    );
    await step.sms(
      'score-sms',
      async (c) => ({ body: `${c.prefix} ${result.score} (${result.tier}) / ${c.echo}` }),
      controls({
        prefix: str('Score for {{payload.label}}:'),
        echo: str('liquid sees {{steps.compute-score.score}}/{{steps.compute-score.tier}}'),
      })
    );
    await step.custom('no-schema-step', async () => ({ value: 42, note: 'stripped by the default outputSchema' }));
  },
  {
    name: 'Oracle Custom',
    tags: ['oracle'],
    payloadSchema: closed({ base: { type: 'number', default: 10 }, label: str('user') }),
  }
);

// 5. oracle-errors: a throwing step, an invalid output, a throwing provider, an unterminated tag.
const errors = workflow(
  'oracle-errors',
  async ({ step, payload }) => {
    await step.custom(
      'explode',
      async () => {
        if (payload.mode === 'throw') throw new Error('Intentional failure: ' + payload.reason);
        return { ok: true };
      },
      { outputSchema: closed({ ok: { type: 'boolean' } }, { required: ['ok'] }) }
    );
    await step.email(
      'strict-email',
      async (c) => ({ subject: payload.mode === 'bad-output' ? '' : c.subject, body: 'Body' }),
      controls({ subject: str('Reason: {{payload.reason}}') })
    );
    await step.chat('provider-failure', async () => ({ body: 'chat body' }), {
      providers: {
        slack: async () => {
          if (payload.mode === 'provider-throw') throw new Error('Slack override failed');
          return { text: 'slack ok' };
        },
      },
    });
    await step.inApp(
      'bad-template',
      async (c) => ({ body: c.body }),
      controls({ body: str("{% if payload.mode == 'ok' %}unterminated if") })
    );
  },
  {
    name: 'Oracle Errors',
    tags: ['oracle', 'errors'],
    payloadSchema: closed({
      mode: { type: 'string', enum: ['ok', 'throw', 'bad-output', 'provider-throw'], default: 'ok' },
      reason: str('testing'),
    }),
  }
);

// 6. oracle-sanitize: output sanitisation of email and in-app content, and its opt-out.
const sanitize = workflow(
  'oracle-sanitize',
  async ({ step, payload }) => {
    const image = '<img src="a.png" onerror="x()" alt="a">';
    await step.email('sanitized-email', async () => ({
      subject: payload.title,
      body: '<!DOCTYPE html><html><body>' + payload.html + image + '</body></html>',
    }));
    await step.email('raw-email', async () => ({ subject: payload.title, body: payload.html + image }), {
      disableOutputSanitization: true,
    });
    await step.inApp('sanitized-inapp', async () => ({
      subject: payload.title,
      body: payload.html,
      data: { html: payload.html, list: ['<b>bold</b>', 1, true], nested: { deep: '<i>deep</i> & more' } },
    }));
    await step.sms('unsanitized-sms', async () => ({ body: payload.html }));
  },
  {
    name: 'Oracle Sanitize',
    tags: ['oracle', 'sanitize'],
    payloadSchema: closed({
      html: str(
        '<p onclick="steal()">Hi</p><script>alert(1)</script><a href="https://example.com" target="_blank">link</a>'
      ),
      title: str('Tom & Jerry <3'),
    }),
  }
);

// 7. oracle-minimal: no options at all.
const minimal = workflow('oracle-minimal', async ({ step }) => {
  await step.inApp('only-step', async () => ({ body: 'Static body' }));
});

// 8. oracle-conditional: a step only some payloads reach (discovery never sees it).
const conditional = workflow(
  'oracle-conditional',
  async ({ step, payload }) => {
    await step.email('always-email', async () => ({ subject: 'Always', body: 'always sent' }));
    if (payload.includeSms === true) {
      await step.sms('sometimes-sms', async () => ({ body: 'sometimes sent' }));
    }
    await step.push('final-push', async () => ({ subject: 'Final', body: 'done' }));
  },
  { payloadSchema: closed({ includeSms: { type: 'boolean', default: false } }) }
);

// 9. oracle-echo: an open payload; the step returns what its resolver sees.
const echo = workflow(
  'oracle-echo',
  async ({ step, payload, subscriber, context }) => {
    await step.custom(
      'echo',
      async (c) => ({ payload, controls: c, subscriber: subscriber ?? null, context: context ?? null }),
      {
        controlSchema: {
          type: 'object',
          properties: {
            greeting: str(
              'Hi {{payload.name}} / {{subscriber.firstName}} / {{payload.nested}} / {{payload.list | json}} / {{payload.name | size}} / {{context.tenant.id}}'
            ),
          },
          additionalProperties: true,
        },
        outputSchema: {
          type: 'object',
          properties: {
            payload: { type: 'object' },
            controls: { type: 'object' },
            subscriber: { type: ['object', 'null'] },
            context: { type: ['object', 'null'] },
          },
          additionalProperties: true,
        },
      }
    );
  },
  { name: 'Oracle Echo', payloadSchema: { type: 'object', additionalProperties: true } }
);

const workflows = [welcome, digest, schedule, custom, errors, sanitize, minimal, conditional, echo];

// The adapter contract: `req.body` is the parsed JSON whatever the Content-Type, and reading it throws
// when the body is empty or not JSON (the framework then keeps its default `{}`).
function readJsonBody(req, _res, next) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('error', next);
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed;
    let failure = new SyntaxError('the request body is empty');
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
        failure = undefined;
      } catch (error) {
        failure = error;
      }
    }
    Object.defineProperty(req, 'body', {
      configurable: true,
      enumerable: true,
      get() {
        if (failure) throw failure;
        return parsed;
      },
    });
    next();
  });
}

function listen(port, strictAuthentication) {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(readJsonBody);
  const client = new Client({ secretKey: SECRET_KEY, strictAuthentication, apiUrl: API_URL });
  app.use('/api/novu', serve({ client, workflows }));
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
    server.on('error', reject);
  });
}

const [strictPort, openPort] = process.argv.slice(2).map(Number);
if (!strictPort || !openPort) {
  console.error('usage: node reference/catalogue-server.mjs STRICT_PORT OPEN_PORT');
  process.exit(2);
}
await Promise.all([listen(strictPort, true), listen(openPort, false)]);
console.log('ready');

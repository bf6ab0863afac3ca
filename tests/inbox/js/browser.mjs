// The real <Inbox /> (@novu/js/ui 3.12.0) in headless Debian Chromium against the local runtime:
// the feed, the bell's unread count, a message pushed live, a click that reads an item.
// Usage: node browser.mjs <page URL> <server URL> <screenshot path>
// The server holds four unread messages for sub-1: Subject 0..2 ("comment") and "News".
import puppeteer from 'puppeteer-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [pageUrl, url, screenshot] = process.argv.slice(2);
const results = [];
const check = (name, ok, detail) => {
  results.push(Boolean(ok));
  console.log(JSON.stringify({ check: name, ok: Boolean(ok), detail }));
};
const watchdog = setTimeout(() => { console.log(JSON.stringify({ check: 'finished in time', ok: false })); process.exit(2); }, 60000);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'inbox-chromium-'))}`,
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  ],
});
const wait = (page, fn, arg, what) => page.waitForFunction(fn, { timeout: 15000 }, arg).then(() => true, () => { console.log(`timed out: ${what}`); return false; });
try {
  const page = await browser.newPage();
  const apiErrors = [];
  page.on('response', (r) => { if (r.url().startsWith(url) && r.status() >= 400) apiErrors.push(`${r.status()} ${r.url()}`); });
  await page.setViewport({ width: 1000, height: 720 });
  await page.goto(pageUrl);

  const feed = await wait(page, () => document.querySelectorAll('.nv-notification').length === 4, null, 'feed');
  const titles = await page.$$eval('.nv-notification', (els) => els.map((e) => e.innerText.split('\n')[0]));
  check('feed shows the four messages, newest first', feed && JSON.stringify(titles) === JSON.stringify(['News', 'Subject 2', 'Subject 1', 'Subject 0']), titles);
  check('bell count from the session', await wait(page, () => document.querySelector('[data-unread]')?.dataset.unread === '4', null, 'bell 4'));
  check('bell shows the unread dot', (await page.$('.nv-bellDot')) !== null);

  await fetch(`${url}/test/trigger`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workflow: 'comment', to: 'sub-1', payload: { n: 9 } }),
  });
  check('a message pushed by a workflow appears live', await wait(page, () => document.querySelector('.nv-notification')?.innerText.startsWith('Subject 9'), null, 'live item'));
  check('bell count follows the socket', await wait(page, () => document.querySelector('[data-unread]')?.dataset.unread === '5', null, 'bell 5'));

  const item = (await page.$$('.nv-notification'))[3]; // Subject 1
  const dotsBefore = await page.$$eval('.nv-notificationDot', (els) => els.length);
  await item.click({ offset: { x: 200, y: 20 } });
  check('bell count drops after the click', await wait(page, () => document.querySelector('[data-unread]')?.dataset.unread === '4', null, 'bell 4 again'));
  const dotsAfter = await page.$$eval('.nv-notificationDot', (els) => els.length);
  check('the clicked item lost its unread dot', dotsAfter === dotsBefore - 1, { dotsBefore, dotsAfter });

  const session = await (await fetch(`${url}/v1/inbox/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscriber: { subscriberId: 'sub-1' } }),
  })).json();
  const list = await (await fetch(`${url}/v1/inbox/notifications?limit=10`, { headers: { authorization: `Bearer ${session.data.token}` } })).json();
  const read = list.data.filter((n) => n.isRead).map((n) => n.subject);
  check('the server has it read', JSON.stringify(read) === '["Subject 1"]', read);
  check('the visible items were marked seen', await (async () => {
    for (let i = 0; i < 40; i++) {
      const l = await (await fetch(`${url}/v1/inbox/notifications/count?filters=${encodeURIComponent('[{"seen":false}]')}`, { headers: { authorization: `Bearer ${session.data.token}` } })).json();
      if (l.data[0].count === 0) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  })());
  check('no API request failed', apiErrors.length === 0, apiErrors);
  await page.mouse.move(10, 700);
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: screenshot });
} finally {
  await browser.close();
}
clearTimeout(watchdog);
const failed = results.filter((ok) => !ok).length;
console.log(JSON.stringify({ done: true, checks: results.length, failed }));
process.exit(failed ? 1 : 0);

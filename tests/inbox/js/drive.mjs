import { execFileSync } from 'node:child_process';
// Drives one pinned @novu/js against a running local Inbox API and prints one JSON line per check.
// Usage: node drive.mjs <package alias, e.g. novu-js-3.12.0> <server URL>
// The server holds, for subscriber sub-1: three "comment" messages (n = 0, 1, 2; tags t1, severity
// high, data.k = n % 2) and one "news" message (tags news), oldest first; sub-2 has one of its own.
const [pkg, url] = process.argv.slice(2);
// A workflow's message is made to arrive through the test server's trigger route, or, with
// NOVU_TRIGGER_ARGV (a JSON array: a command line that ends before the workflow id), by running it:
// `novu-framework trigger` on the store that `novu-framework dev` serves.
async function trigger(workflow, to, payload) {
  if (process.env.NOVU_TRIGGER_ARGV) {
    const [command, ...args] = JSON.parse(process.env.NOVU_TRIGGER_ARGV);
    execFileSync(command, [...args, workflow, '--to', to, '--payload', JSON.stringify(payload)]);
    return;
  }
  await fetch(`${url}/test/trigger`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workflow, to, payload }),
  });
}
const { Novu } = await import(pkg);
const socketUrl = url.replace(/^http/, 'ws');
const results = [];
const check = (name, ok, detail) => {
  results.push({ name, ok: Boolean(ok) });
  console.log(JSON.stringify({ check: name, ok: Boolean(ok), detail }));
};
const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ check: 'finished in time', ok: false }));
  process.exit(2);
}, 40000);
const why = (e) => (e ? `${e.message} / ${e.originalError?.message ?? ''}` : '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const novu = new Novu({ applicationIdentifier: 'app', subscriberId: 'sub-1', backendUrl: url, socketUrl, useCache: false });

// --- list and paging ---------------------------------------------------------------------------
const first = await novu.notifications.list({ limit: 2 });
const page1 = first.data?.notifications ?? [];
check('list limit 2', !first.error && page1.length === 2 && first.data.hasMore === true, first.error?.message);
check('list newest first', page1[0]?.body === 'News' && page1[1]?.body === '**Comment** 2', page1.map((n) => n.body));
const second = await novu.notifications.list({ limit: 2, after: page1[1].id });
const page2 = second.data?.notifications ?? [];
check('list after', page2.length === 2 && page2[0]?.body === '**Comment** 1' && second.data.hasMore === false, page2.map((n) => n.body));
const off = await novu.notifications.list({ limit: 10, offset: 3 });
check('list offset', off.data?.notifications.length === 1 && off.data.notifications[0].body === '**Comment** 0', off.error?.message);
const filtered = await novu.notifications.list({
  limit: 10, tags: ['t1'], read: false, archived: false, snoozed: false, seen: false, data: { k: 1 }, severity: ['high', 'none'],
});
const fl = filtered.data?.notifications ?? [];
check('list with every filter', fl.length === 1 && fl[0].body === '**Comment** 1' && fl[0].severity === 'high', filtered.error?.message ?? fl.map((n) => n.body));
check('notification fields', fl[0]?.subject === 'Subject 1' && fl[0]?.primaryAction?.label === 'Open' && fl[0]?.redirect?.url === '/c/1'
  && fl[0]?.workflow?.identifier === 'comment' && fl[0]?.tags?.includes('t1') && typeof fl[0]?.createdAt === 'string', fl[0]);
const news = page1[0];
check('non URL-safe step id gives a URL-safe id', /^[A-Za-z0-9._~:-]+$/.test(news.id), news.id);

// --- counts ------------------------------------------------------------------------------------
const c1 = await novu.notifications.count({ read: false });
check('count one filter', c1.data?.count === 4 && c1.data?.filter?.read === false, c1.data ?? c1.error?.message);
const c2 = await novu.notifications.count({ filters: [{ read: false }, { tags: ['t1'], seen: false }, { archived: true }] });
const counts = c2.data?.counts?.map((c) => c.count);
check('count several filters', JSON.stringify(counts) === '[4,3,0]', counts ?? c2.error?.message);

// --- one message -------------------------------------------------------------------------------
const target = page2[0];
const r = await target.read();
check('read', r.data?.isRead === true && r.data?.isSeen === true && r.data?.readAt, r.error?.message);
const u = await novu.notifications.unread({ notificationId: target.id });
check('unread', u.data?.isRead === false, u.error?.message);
const a = await novu.notifications.archive({ notificationId: target.id });
check('archive', a.data?.isArchived === true && a.data?.isRead === true, a.error?.message);
const archivedList = await novu.notifications.list({ archived: true });
check('archived list', archivedList.data?.notifications.length === 1 && archivedList.data.notifications[0].id === target.id, archivedList.error?.message);
const ua = await novu.notifications.unarchive({ notificationId: target.id });
check('unarchive', ua.data?.isArchived === false, ua.error?.message);
const missing = await novu.notifications.read({ notificationId: 'nope' });
check('unknown id is a 404 with the message', /404.*Notification with id: nope is not found/.test(why(missing.error)), why(missing.error));
const bad = await novu.notifications.list({ read: false, archived: true });
check('contradictory filter refused', /400.*unread and archived/.test(why(bad.error)), why(bad.error));

// --- bulk --------------------------------------------------------------------------------------
const seen = await novu.notifications.seenAll({ notificationIds: [news.id] });
const afterSeen = await novu.notifications.count({ seen: false });
check('seen by ids', !seen.error && afterSeen.data?.count === 2, afterSeen.data);
const ra = await novu.notifications.readAll({ tags: ['t1'] });
const unreadLeft = await novu.notifications.count({ read: false });
check('read all with tags', !ra.error && unreadLeft.data?.count === 1, unreadLeft.data);
await novu.notifications.seenAll();
check('seen all', (await novu.notifications.count({ seen: false })).data?.count === 0);
await novu.notifications.archiveAllRead();
const archivedRead = await novu.notifications.count({ archived: true });
check('archive all read', archivedRead.data?.count === 3, archivedRead.data);
await novu.notifications.archiveAll();
check('archive all', (await novu.notifications.count({ archived: true })).data?.count === 4);

// --- preferences -------------------------------------------------------------------------------
const prefs = await novu.preferences.list();
const levels = (prefs.data ?? []).map((p) => `${p.level}:${p.workflow?.identifier ?? ''}`).sort();
check('preferences', JSON.stringify(levels) === JSON.stringify(['global:', 'template:comment', 'template:news']), prefs.error?.message ?? levels);

// --- real time ---------------------------------------------------------------------------------
const received = [];
const unread = [];
const unseen = [];
novu.on('notifications.notification_received', ({ result }) => received.push({ at: Date.now(), n: result }));
novu.on('notifications.unread_count_changed', ({ result }) => unread.push(result));
novu.on('notifications.unseen_count_changed', ({ result }) => unseen.push(result));
// The socket opens lazily: change something until a count event proves it is connected.
for (let i = 0; i < 50 && unread.length === 0; i++) {
  await novu.notifications.unarchive({ notificationId: target.id });
  await sleep(200);
}
check('count events after a change', unread.length > 0 && typeof unread.at(-1).total === 'number' && unseen.length > 0, { unread, unseen });
// A socketUrl with a path: the path becomes a socket.io namespace, which the server accepts too.
const withPath = new Novu({ applicationIdentifier: 'app', subscriberId: 'sub-1', backendUrl: url, socketUrl: `${socketUrl}/novu`, useCache: false });
const viaPath = [];
const pathCounts = [];
withPath.on('notifications.notification_received', ({ result }) => viaPath.push(result));
withPath.on('notifications.unread_count_changed', ({ result }) => pathCounts.push(result));
for (let i = 0; i < 50 && pathCounts.length === 0; i++) {
  await withPath.notifications.unarchive({ notificationId: target.id });
  await sleep(200);
}
const before = unread.length;
const sent = Date.now();
await trigger('comment', 'sub-1', { n: 9 });
for (let i = 0; i < 100 && received.length === 0; i++) await sleep(50);
const got = received[0]?.n;
check('notification_received from a workflow', got?.body === '**Comment** 9' && got?.subject === 'Subject 9' && got?.isRead === false, got);
for (let i = 0; i < 40 && unread.length === before; i++) await sleep(50);
check('unread count after the new message', unread.length > before && unread.at(-1).total >= 1 && unread.at(-1).severity?.high >= 1, unread.at(-1));
console.log(JSON.stringify({ latency_ms: received[0] ? received[0].at - sent : null }));
for (let i = 0; i < 40 && viaPath.length === 0; i++) await sleep(50);
check('socketUrl with a path (a namespace) gets the events too', viaPath[0]?.body === '**Comment** 9', viaPath.length);
const received2 = received.length;
await trigger('comment', 'sub-2', { n: 77 });
await sleep(1000);
check("another subscriber's message is not pushed", received.length === received2, received.map((x) => x.n.body));

clearTimeout(watchdog);
const failed = results.filter((x) => !x.ok).length;
console.log(JSON.stringify({ done: true, checks: results.length, failed }));
process.exit(failed ? 1 : 0);

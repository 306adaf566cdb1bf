import Database from 'better-sqlite3';
const root = '/work/wt-perf-memory/dist';
const { SqliteEventStore } = await import(`${root}/src/adapters/sqlite/sqlite-event-store.js`);
const { StreamCache } = await import(`${root}/src/event-sourcing/commands/stream-cache.js`);
const { evolveOrganization } = await import(`${root}/src/organizations/domain/organization.evolve.js`);
const file = process.argv[2];
const db = new Database(file, { readonly: true });
const streams = db.prepare("SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'organization-%' AND stream_id NOT LIKE 'organization-name-%'").pluck().all();
db.close();
const store = SqliteEventStore.open(file, { readonly: true });
const cache = new StreamCache(store, evolveOrganization, null, 4 * 1024 ** 3);
gc(); gc();
const before = process.memoryUsage();
const t = process.hrtime.bigint();
for (const s of streams) await cache.load(s);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
gc(); gc();
const after = process.memoryUsage();
const st = cache.stats();
console.log({ streams: streams.length, ms, estimated: st.bytes, perEntryEstimate: st.bytes / st.entries,
  heapDelta: after.heapUsed - before.heapUsed, rssDelta: after.rss - before.rss,
  heapPerEntry: (after.heapUsed - before.heapUsed) / st.entries,
  ratio: (after.heapUsed - before.heapUsed) / st.bytes });

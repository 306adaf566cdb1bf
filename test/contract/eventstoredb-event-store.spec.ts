import { EventStoreDbEventStore } from '../../src/adapters/eventstoredb/eventstoredb-event-store.js';
import { eventStoreContract } from './event-store.contract.js';
import { describeWithServer } from '../support/servers.js';

/**
 * The shared event-store contract against a real EventStoreDB (KurrentDB) server, whenever
 * EVENTSTORE_URL names one. No registry ships a server, so where none can run (this machine, CI)
 * the suite is shown as skipped after a loud warning (test/support/servers.ts); the adapter's own
 * mapping is unit-tested over a stand-in client in test/unit/eventstoredb/ either way.
 */
describeWithServer('eventstoredb', 'EventStoreDB', (url) => {
  eventStoreContract(`eventstoredb (${url})`, async () => {
    const store = await EventStoreDbEventStore.connect(url);
    return {
      store,
      // A second client (its own gRPC connection), to race two writers.
      openSecond: () => EventStoreDbEventStore.connect(url),
      cleanup: () => store.close(),
    };
  });
});

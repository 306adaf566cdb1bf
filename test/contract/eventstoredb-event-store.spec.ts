import { EventStoreDbEventStore } from '../../src/adapters/eventstoredb/eventstoredb-event-store.js';
import { eventStoreContract } from './event-store.contract.js';
import { describeWithServer } from '../support/servers.js';

/**
 * The shared event-store contract against a real EventStoreDB (KurrentDB) server, whenever
 * EVENTSTORE_URL names one, through each Node client the adapter supports: the URL's own scheme
 * and the other one (`esdb://` ↔ `kurrentdb://`, same server). No registry ships a server, so
 * where none can run (this machine, CI) the suite is shown as skipped after a loud warning
 * (test/support/servers.ts); the adapter is tested over a stand-in server in
 * test/unit/eventstoredb/ either way.
 */
describeWithServer('eventstoredb', 'EventStoreDB', (url) => {
  for (const connectionString of throughBothClients(url)) {
    eventStoreContract(`eventstoredb (${connectionString})`, async () => {
      // Only the contract's streams: other tests' and applications' events on the server stay out.
      const options = { streamPrefixes: ['contract-'] };
      const store = await EventStoreDbEventStore.connect(connectionString, options);
      return {
        store,
        // A second client (its own gRPC connection), to race two writers.
        openSecond: () => EventStoreDbEventStore.connect(connectionString, options),
        cleanup: () => store.close(),
      };
    });
  }
});

/** The same server through @eventstore/db-client (esdb://) and @kurrent/kurrentdb-client. */
function throughBothClients(url: string): string[] {
  const match = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?(:\/\/.*)$/i.exec(url);
  if (match === null) return [url];
  const [, , discover = '', rest = ''] = match;
  return [`esdb${discover}${rest}`, `kurrentdb${discover}${rest}`];
}

import { clientLibraryFor } from '../../../src/adapters/eventstoredb/eventstoredb-clients.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('EventStoreDB connection strings', () => {
  const config = (url: string) =>
    loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: url, DATA_DIR: '/tmp' });

  it.each([
    ['esdb://127.0.0.1:2113?tls=false', 'eventstore-db-client'],
    ['esdb+discover://cluster.example:2113', 'eventstore-db-client'],
    ['kurrentdb://127.0.0.1:2113?tls=false', 'kurrentdb-client'],
    ['kurrentdb+discover://cluster.example:2113', 'kurrentdb-client'],
    ['kurrent://127.0.0.1:2113', 'kurrentdb-client'],
    ['kdb://127.0.0.1:2113', 'kurrentdb-client'],
  ])('%s passes the config check and goes through %s', (url, library) => {
    expect(config(url).EVENTSTORE_URL).toBe(url);
    expect(clientLibraryFor(url)).toBe(library);
  });

  it.each(['tcp://127.0.0.1:1113', 'http://127.0.0.1:2113', 'esdb:/x'])(
    '%s is refused by the config check, naming the accepted schemes',
    (url) => {
      expect(() => config(url)).toThrow(ConfigError);
      expect(() => config(url)).toThrow(/kurrentdb:\/\//);
      expect(() => clientLibraryFor(url)).toThrow(RangeError);
    },
  );
});

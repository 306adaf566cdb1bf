import type {
  EsdbAppendOptions,
  EsdbAppendResult,
  EsdbClientLike,
  EsdbEventData,
  EsdbRead,
  EsdbReadAllOptions,
  EsdbReadStreamOptions,
  EsdbResolvedEvent,
  EsdbSubscribeToAllOptions,
  EsdbSubscriptionSource,
} from './eventstoredb-client.js';

/**
 * Which Node client a connection string goes through: `esdb://` (and `esdb+discover://`) through
 * `@eventstore/db-client`, the package the project started on; `kurrentdb://`, `kurrent://` and
 * `kdb://` (each also `+discover`) through its maintained successor `@kurrent/kurrentdb-client`,
 * which also fixes the frozen one's crash on a late append reply after a reconnect.
 */
export type EsdbClientLibrary = 'eventstore-db-client' | 'kurrentdb-client';

const SCHEME = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\//i;

export function clientLibraryFor(connectionString: string): EsdbClientLibrary {
  const scheme = SCHEME.exec(connectionString)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new RangeError(
      'An EventStoreDB connection string starts with esdb://, esdb+discover://, kurrentdb://, ' +
        'kurrentdb+discover://, kurrent:// or kdb://',
    );
  }
  return scheme === 'esdb' ? 'eventstore-db-client' : 'kurrentdb-client';
}

/**
 * Connects with the client the scheme names. Each library is loaded only when used, so a
 * deployment on one never loads the other (the KurrentDB client carries a native addon).
 */
export async function openEsdbClient(connectionString: string): Promise<EsdbClientLike> {
  if (clientLibraryFor(connectionString) === 'eventstore-db-client') {
    const { EventStoreDBClient } = await import('@eventstore/db-client');
    return wrapEventStoreDbClient(EventStoreDBClient.connectionString(connectionString));
  }
  const { KurrentDBClient } = await import('@kurrent/kurrentdb-client');
  return wrapKurrentDbClient(KurrentDBClient.connectionString(connectionString));
}

/** The methods both libraries' clients offer, loosely typed: each names its own types. */
interface LibraryClient {
  appendToStream(streamName: string, events: never, options: never): Promise<unknown>;
  readStream(streamName: string, options: never): unknown;
  readAll(options: never): unknown;
  subscribeToAll(options: never): unknown;
  dispose(): Promise<void>;
}

/**
 * Both libraries take and give the shapes of eventstoredb-client.ts (same constants, bigint
 * revisions, {commit, prepare} positions); only the typing differs. `expectedRevision` is the
 * option's name in @eventstore/db-client.
 */
export function wrapEventStoreDbClient(client: LibraryClient): EsdbClientLike {
  return wrap(client, (options) => ({ expectedRevision: options.expectedRevision }));
}

/** @kurrent/kurrentdb-client names the append's expectation `streamState`. */
export function wrapKurrentDbClient(client: LibraryClient): EsdbClientLike {
  return wrap(client, (options) => ({ streamState: options.expectedRevision }));
}

function wrap(
  client: LibraryClient,
  appendOptions: (options: EsdbAppendOptions) => object,
): EsdbClientLike {
  return {
    appendToStream: (streamName: string, events: EsdbEventData[], options: EsdbAppendOptions) =>
      client.appendToStream(
        streamName,
        events as never,
        appendOptions(options) as never,
      ) as Promise<EsdbAppendResult>,
    readStream: (streamName: string, options: EsdbReadStreamOptions) =>
      client.readStream(streamName, options as never) as EsdbRead<EsdbResolvedEvent>,
    readAll: (options: EsdbReadAllOptions) =>
      client.readAll(options as never) as EsdbRead<EsdbResolvedEvent>,
    subscribeToAll: (options: EsdbSubscribeToAllOptions) =>
      client.subscribeToAll(options as never) as EsdbSubscriptionSource,
    dispose: () => client.dispose(),
  };
}

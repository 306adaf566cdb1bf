/**
 * The part of an EventStoreDB/KurrentDB gRPC client this adapter uses, in its own plain types, so
 * that one adapter serves both Node clients: `@eventstore/db-client` (6.x, frozen) and its
 * maintained successor `@kurrent/kurrentdb-client` (1.x). Both share the shapes below (positions
 * as bigint commit/prepare pairs, revisions as bigint, the same string constants and error
 * `type`s); they differ in the name of the append's expected-revision option, which the wrappers
 * in eventstoredb-clients.ts translate.
 */

/** A place in the transaction log: byte offsets, as the server gives them. */
export interface EsdbPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export type EsdbReadPosition = 'start' | 'end' | EsdbPosition;
export type EsdbReadRevision = 'start' | 'end' | bigint;
export type EsdbDirection = 'forwards' | 'backwards';
export type EsdbExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EsdbEventData {
  readonly id: string;
  readonly contentType: 'application/json';
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** What this adapter reads from a recorded event of either client (JSON or binary). */
export interface EsdbRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: EsdbPosition;
}

export interface EsdbResolvedEvent {
  readonly event?: EsdbRecordedEvent;
}

export interface EsdbAppendResult {
  readonly success: boolean;
  readonly nextExpectedRevision: bigint;
  readonly position?: EsdbPosition;
}

/** A server-side filter of $all, as both clients' `streamNameFilter`/`eventTypeFilter` make it. */
export interface EsdbFilter {
  readonly filterOn: 'streamName' | 'eventType';
  readonly prefixes?: string[];
  readonly regex?: string;
  readonly checkpointInterval: number;
}

/** A read of the client: an async iterable that can be cancelled when left early. */
export interface EsdbRead<T> extends AsyncIterable<T> {
  cancel?(): Promise<void>;
}

/** A catch-up subscription of the client. */
export interface EsdbSubscriptionSource extends AsyncIterable<EsdbResolvedEvent> {
  unsubscribe(): Promise<void>;
  destroy?(error?: Error): unknown;
}

export interface EsdbAppendOptions {
  readonly expectedRevision: EsdbExpectedRevision;
}

export interface EsdbReadStreamOptions {
  readonly fromRevision: EsdbReadRevision;
  readonly direction: EsdbDirection;
  readonly resolveLinkTos: false;
  readonly maxCount?: number;
}

export interface EsdbReadAllOptions {
  readonly fromPosition: EsdbReadPosition;
  readonly direction: EsdbDirection;
  readonly resolveLinkTos: false;
  readonly maxCount: number;
  readonly filter?: EsdbFilter;
}

export interface EsdbSubscribeToAllOptions {
  readonly fromPosition: EsdbReadPosition;
  readonly resolveLinkTos: false;
  readonly filter: EsdbFilter;
}

/** One connection to the server, whichever library makes it. */
export interface EsdbClientLike {
  appendToStream(
    streamName: string,
    events: EsdbEventData[],
    options: EsdbAppendOptions,
  ): Promise<EsdbAppendResult>;
  readStream(streamName: string, options: EsdbReadStreamOptions): EsdbRead<EsdbResolvedEvent>;
  readAll(options: EsdbReadAllOptions): EsdbRead<EsdbResolvedEvent>;
  subscribeToAll(options: EsdbSubscribeToAllOptions): EsdbSubscriptionSource;
  dispose(): Promise<void>;
}

/**
 * The server's default `MaxAppendSize` (1 MiB): an append whose events (data, metadata, ids and
 * types) weigh more is refused with MaximumAppendSizeExceeded, atomically.
 */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

/** The publisher port: integration messages out to downstream systems. */
export interface OutgoingMessage {
  /** Partitioning key: all messages of one key keep their order. */
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Publisher {
  /** Resolves once the broker acknowledged every message (at-least-once, per-key order). */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /**
   * A round trip to the broker that fails after `timeoutMs`: tells whether it answers while
   * there is nothing to publish. Without it, only publishes tell.
   */
  probe?(timeoutMs: number): Promise<void>;
  /** Resolves within a few seconds, even on a broker that no longer answers. */
  close(): Promise<void>;
}

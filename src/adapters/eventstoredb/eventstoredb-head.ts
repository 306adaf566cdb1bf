import type { EsdbPosition } from './eventstoredb-client.js';
import { START, laterOf } from './eventstoredb-mapping.js';

type Place = EsdbPosition | typeof START;

/** What the head keeps following once it was read: a subscription it can close. */
export interface HeadTracker {
  close(): Promise<void>;
}

/**
 * The position of the newest of our events, kept up to date instead of read from the server on
 * every call (the projection runner asks each round, /metrics on each scrape). It is read once
 * (one backwards read of $all), then moved forward by a subscription from there and by this
 * process's own appends. After the subscription drops, the next call reads the server again
 * (and follows anew if it stopped for good): a stale head must never hide events.
 */
export class EventStoreDbHead {
  private latest: Place | undefined;
  private stale = true;
  private tracker: HeadTracker | undefined;
  private closed = false;

  constructor(
    /** The newest of our events on the server, START for none. */
    private readonly readHead: () => Promise<Place>,
    /** Follows the log from a place: moved(position) for each event, dropped(…) on a drop. */
    private readonly follow: (
      from: Place,
      moved: (position: EsdbPosition) => void,
      dropped: (forGood: boolean) => void,
    ) => HeadTracker,
  ) {}

  async current(fresh = false): Promise<Place> {
    if (!fresh && !this.stale && this.latest !== undefined) return this.latest;
    const read = await this.readHead();
    this.move(read);
    this.stale = false;
    if (this.tracker === undefined && !this.closed) {
      this.tracker = this.follow(
        read,
        (position) => {
          this.move(position);
        },
        (forGood) => {
          this.stale = true;
          // Stopped for good (access denied…): the next read starts another.
          if (forGood) this.tracker = undefined;
        },
      );
    }
    return this.latest ?? read;
  }

  /** An event of ours is known to be stored at this position (an append just answered). */
  move(position: Place): void {
    this.latest = this.latest === undefined ? position : laterOf(this.latest, position);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tracker?.close();
  }
}

/**
 * Events are never rewritten: when the shape of an event's data changes, its schema version is
 * bumped and stored events of older versions are lifted to the current shape whenever they are
 * read (upcasting). The stored data, its version and its hash stay as they were written, so the
 * hash chain still verifies against the log.
 */

/** Lifts the data of one version of an event type to the next version. */
export type UpcastStep = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/** An event as read from a log: its version is in the metadata when it was stored with one. */
export interface VersionedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
}

export interface Upcaster {
  /** The version an event of this type is written with today. */
  readonly current: (type: string) => number;
  /** The data of an event of `version` lifted to the current shape of its type. */
  readonly upcastData: (type: string, version: number, data: unknown) => unknown;
  /** The event with its data in the current shape; the event itself when already current. */
  readonly upcast: <Event extends VersionedEvent>(event: Event) => Event;
}

/** The version an event was stored with: metadata.schemaVersion, else 1 (the first version). */
export function storedVersion(event: VersionedEvent): number {
  const metadata = event.metadata as { readonly schemaVersion?: unknown } | undefined;
  const version = metadata?.schemaVersion;
  return typeof version === 'number' && Number.isSafeInteger(version) && version > 0 ? version : 1;
}

/**
 * `versions` names each event type's current version; `steps[type][n]` lifts version n to n + 1
 * and must exist for every n below the current version. Events without metadata are the decider's
 * own fresh events, already current.
 */
export function upcaster(
  versions: Readonly<Record<string, number>>,
  steps: Readonly<Record<string, Readonly<Record<number, UpcastStep>>>>,
): Upcaster {
  for (const [type, current] of Object.entries(versions)) {
    for (let version = 1; version < current; version++) {
      if (!steps[type]?.[version]) throw new Error(`no upcast of ${type} from v${version}`);
    }
  }
  const current = (type: string): number => versions[type] ?? 1;
  const upcastData = (type: string, version: number, data: unknown): unknown => {
    let lifted = data;
    for (let v = version; v < current(type); v++) {
      const step = steps[type]?.[v];
      if (step) lifted = step(lifted as Record<string, unknown>);
    }
    return lifted;
  };
  return {
    current,
    upcastData,
    upcast: (event) => {
      if (event.metadata === undefined) return event;
      const version = storedVersion(event);
      if (version >= current(event.type)) return event;
      return { ...event, data: upcastData(event.type, version, event.data) };
    },
  };
}

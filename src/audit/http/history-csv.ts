import type { HistoryEntry } from '../audit.service.js';

export const HISTORY_CSV_COLUMNS = [
  'revision',
  'position',
  'eventId',
  'type',
  'recordedAt',
  'userId',
  'role',
  'jurisdiction',
  'correlationId',
  'causationId',
  'schemaVersion',
  'data',
  'prevHash',
  'hash',
];

/** One CSV row per event; data stays JSON so nothing is lost in the flattening. */
export function historyCsvRow(e: HistoryEntry): Record<string, unknown> {
  const m = e.metadata;
  return {
    revision: e.revision,
    position: e.position,
    eventId: e.eventId,
    type: e.type,
    recordedAt: m['recordedAt'],
    userId: m['userId'],
    role: m['role'],
    jurisdiction: m['jurisdiction'],
    correlationId: m['correlationId'],
    causationId: m['causationId'],
    schemaVersion: m['schemaVersion'],
    data: JSON.stringify(e.data),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

import type { RecordedAccess } from '../../event-sourcing/ports/personal-data-access-log.port.js';

export const ACCESS_CSV_COLUMNS = [
  'at',
  'actorId',
  'role',
  'jurisdiction',
  'organizationId',
  'route',
  'fields',
  'correlationId',
  'id',
];

/** One CSV row per recorded read; the fields shown joined by spaces (e.g. `contact founders`). */
export function accessCsvRow(a: RecordedAccess): Record<string, unknown> {
  return {
    at: a.at,
    actorId: a.actorId,
    role: a.role,
    jurisdiction: a.jurisdiction,
    organizationId: a.organizationId,
    route: a.route,
    fields: a.fields.join(' '),
    correlationId: a.correlationId,
    id: a.id,
  };
}

import { CITY_CODE, type Divisions } from './divisions.js';

export type PlaceLevel = 'city' | 'district' | 'street' | 'community';

export interface Place {
  readonly code: string;
  readonly name: string;
  readonly level: PlaceLevel;
}

/** The place a read asks about: the most specific of community, street and district, or the city. */
export function placeOf(
  divisions: Divisions,
  q: { district?: string; street?: string; community?: string },
): Place {
  if (q.community !== undefined) {
    return {
      code: q.community,
      name: divisions.community(q.community)?.name ?? q.community,
      level: 'community',
    };
  }
  if (q.street !== undefined)
    return { code: q.street, name: divisions.street(q.street)?.name ?? q.street, level: 'street' };
  if (q.district !== undefined) {
    return {
      code: q.district,
      name: divisions.district(q.district)?.name ?? q.district,
      level: 'district',
    };
  }
  return { code: CITY_CODE, name: '上海市', level: 'city' };
}

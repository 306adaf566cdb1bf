import { CITY_CODE, type Divisions } from '../divisions/divisions.js';
import {
  FUNDING_CHANNELS,
  type FundingChannel,
} from '../organizations/domain/organization.types.js';
import type { Filter, ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { fundingTotalsRollup } from '../../projections/funding.projection.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { publicDocument, type Page, type Paging } from '../event-sourcing/projection/paging.js';
import type { Place } from '../divisions/places.js';

export const FUNDING = 'funding';

export interface GrantCriteria {
  readonly district?: string;
  readonly organization?: string;
  readonly channel?: FundingChannel;
  readonly year?: string;
  /** Granted on or after / on or before (YYYY-MM-DD). */
  readonly from?: string;
  readonly to?: string;
}

export interface FundingTotal {
  readonly districtCode: string;
  readonly districtName: string;
  readonly channel: FundingChannel;
  readonly year: string;
  readonly amountFen: number;
  readonly grants: number;
}

/** Amounts in fen and number of grants of one channel in one year. */
export interface ChannelYearTotal {
  readonly channel: FundingChannel;
  readonly year: string;
  readonly amountFen: number;
  readonly grants: number;
}

/** Funding disclosure: one row per grant, and totals by channel × year × district. */
export class FundingQueries {
  constructor(
    private readonly store: ReadStore,
    private readonly collections: ReadModelCollections,
    private readonly divisions: Divisions,
  ) {}

  async grants(c: GrantCriteria, paging: Paging): Promise<Page<Record<string, unknown>>> {
    const where = await this.collections.of(FUNDING);
    if (!where) return { items: [], total: 0, ...paging };
    const grantedOn = {
      ...(c.from !== undefined && { $gte: c.from }),
      ...(c.to !== undefined && { $lte: c.to }),
    };
    const filter: Filter = {
      kind: 'grant',
      ...(c.district !== undefined && { districtCode: c.district }),
      ...(c.organization !== undefined && { organizationId: c.organization }),
      ...(c.channel !== undefined && { channel: c.channel }),
      ...(c.year !== undefined && { year: c.year }),
      ...(Object.keys(grantedOn).length > 0 && { grantedOn }),
    };
    const [docs, total] = await Promise.all([
      this.store.find(where.collection, {
        filter,
        sort: [['grantedOn', -1]],
        skip: (paging.page - 1) * paging.pageSize,
        limit: paging.pageSize,
      }),
      this.store.count(where.collection, filter),
    ]);
    return { items: docs.map(publicDocument), total, ...paging };
  }

  /**
   * Totals per district (or one district), each by channel and year, plus the city's; and the
   * totals of the place asked about (the city, a district, a street or a community).
   */
  async totals(
    place: Place,
    year: string | undefined,
  ): Promise<{
    place: Place;
    totals: ChannelYearTotal[];
    city: FundingTotal[];
    districts: FundingTotal[];
  }> {
    const where = await this.collections.of(FUNDING);
    const read = async (code: string, name: string): Promise<FundingTotal[]> => {
      const doc = where && (await this.store.get(where.rollups, fundingTotalsRollup(code)));
      const counts = (doc?.['counts'] as Record<string, number> | undefined) ?? {};
      const rows: FundingTotal[] = [];
      for (const [key, amountFen] of Object.entries(counts)) {
        const [channel, y] = key.split('|') as [FundingChannel, string];
        if (!FUNDING_CHANNELS.includes(channel) || (year !== undefined && y !== year)) continue;
        rows.push({
          districtCode: code,
          districtName: name,
          channel,
          year: y,
          amountFen,
          grants: counts[`count|${channel}|${y}`] ?? 0,
        });
      }
      return rows.sort((a, b) =>
        a.year === b.year
          ? FUNDING_CHANNELS.indexOf(a.channel) - FUNDING_CHANNELS.indexOf(b.channel)
          : a.year < b.year
            ? -1
            : 1,
      );
    };
    const districtName = (code: string): string => this.divisions.district(code)?.name ?? code;
    // Division codes nest (a street's code starts with its district's), so for a street or a
    // community the district rows keep their meaning: those of its district.
    const codes =
      place.level === 'city'
        ? this.divisions.data.districts.map((d) => d.code)
        : [place.code.slice(0, 6)];
    const districts = (
      await Promise.all(codes.map((code) => read(code, districtName(code))))
    ).flat();
    const city = place.level === 'city' ? await read(CITY_CODE, '上海市') : [];
    const own =
      place.level === 'city'
        ? city
        : place.level === 'district'
          ? districts
          : await read(place.code, place.name);
    const totals = own.map(({ channel, year: y, amountFen, grants }) => ({
      channel,
      year: y,
      amountFen,
      grants,
    }));
    return { place, totals, city, districts };
  }
}

import type { Divisions } from '../divisions/divisions.js';
import { FUNDING_CHANNELS, type FundingChannel } from '../organizations/organization.types.js';
import type { Filter, ReadStore } from '../ports/read-store.port.js';
import { fundingTotalsRollup } from '../../projections/funding.projection.js';
import type { ReadModelCollections } from './read-model-collections.js';
import { publicDocument, type Page, type Paging } from './paging.js';

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

  /** Totals per district (or one district), each by channel and year, plus the city's. */
  async totals(
    district: string | undefined,
    year: string | undefined,
  ): Promise<{ city: FundingTotal[]; districts: FundingTotal[] }> {
    const where = await this.collections.of(FUNDING);
    const codes =
      district === undefined ? this.divisions.data.districts.map((d) => d.code) : [district];
    const read = async (code: string): Promise<FundingTotal[]> => {
      const doc = where && (await this.store.get(where.rollups, fundingTotalsRollup(code)));
      const counts = (doc?.['counts'] as Record<string, number> | undefined) ?? {};
      const rows: FundingTotal[] = [];
      for (const [key, amountFen] of Object.entries(counts)) {
        const [channel, y] = key.split('|') as [FundingChannel, string];
        if (!FUNDING_CHANNELS.includes(channel) || (year !== undefined && y !== year)) continue;
        rows.push({
          districtCode: code,
          districtName:
            code === '310000' ? '上海市' : (this.divisions.district(code)?.name ?? code),
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
    const districts = (await Promise.all(codes.map(read))).flat();
    return { city: district === undefined ? await read('310000') : [], districts };
  }
}

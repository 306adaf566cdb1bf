import { shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import type { Divisions } from '../divisions/divisions.js';
import type { Place } from '../divisions/places.js';
import type { FundingQueries } from '../funding/funding.queries.js';
import { ValidationProblem } from '../http/problem.js';
import {
  DISSOLUTION_KINDS,
  FUNDING_CHANNELS,
  type DissolutionKind,
  type FundingChannel,
} from '../organizations/domain/organization.types.js';
import type { StatisticsAsOf } from '../statistics/statistics-as-of.js';
import type {
  CommunityBelowTarget,
  Overview,
  StatisticsQueries,
  TargetFigures,
} from '../statistics/statistics.queries.js';

/** Registrations, promotions and dissolutions (by kind) during the year. */
export interface Movements {
  readonly registrations: number;
  readonly promotions: number;
  readonly dissolutions: number;
  readonly dissolutionsByKind: Record<DissolutionKind, number>;
}

export interface ChannelFunding {
  readonly amountFen: number;
  readonly grants: number;
}

/** One row of the return: a place's figures at the year's end and during the year. */
export interface PlaceFigures {
  readonly place: Place;
  readonly overview: Overview;
  readonly targets: {
    readonly urban: TargetFigures;
    readonly rural: TargetFigures;
    /** Active organizations based in no community (outside the averages). */
    readonly notAttributed: number;
  };
  readonly movements: Movements;
  readonly funding: Record<FundingChannel, ChannelFunding>;
}

/** Everything the year-end return (年末分类统计) shows. */
export interface YearEndFigures {
  readonly year: string;
  /** The date the figures stand at: 31 December, or today for the current year. */
  readonly asOfDate: string;
  /** False for the current year: its figures so far. */
  readonly yearEnded: boolean;
  /** The caller's place first, then each place one level down. */
  readonly rows: readonly PlaceFigures[];
  /** The caller's communities below their target at the date, furthest below first. */
  readonly belowTarget: readonly CommunityBelowTarget[];
}

/**
 * The figures of a year-end return, from the read models (no log replay): the statistics as of
 * the year's last month-end (StatisticsAsOf), the timeline's months of the year, and the funding
 * totals of the year; a handful of rollup documents per place, whatever the number of
 * organizations.
 */
export class YearEndReturns {
  constructor(
    private readonly asOf: StatisticsAsOf,
    private readonly statistics: StatisticsQueries,
    private readonly funding: FundingQueries,
    private readonly divisions: Divisions,
    private readonly clock: Clock,
  ) {}

  /**
   * Refuses (400, `path:year`) a year after the current one. The current year is answered with
   * its figures so far (as of today); a year before anything counted, with zeros.
   */
  check(year: string): void {
    const current = shanghaiDate(this.clock.now()).slice(0, 4);
    if (year > current) {
      throw new ValidationProblem([
        { field: 'path:year', message: `year must not be after ${current}, the current year` },
      ]);
    }
  }

  /** The return of the city or a district for `year` (checked). */
  async figures(place: Place, year: string): Promise<YearEndFigures> {
    const today = shanghaiDate(this.clock.now());
    const yearEnded = year < today.slice(0, 4);
    const month = yearEnded ? `${year}-12` : today.slice(0, 7);
    const places = [place, ...this.childrenOf(place)];
    const rows: PlaceFigures[] = [];
    let belowTarget: readonly CommunityBelowTarget[] = [];
    for (const p of places) {
      const at = await this.asOf.statisticsAsOf(p, month);
      if (p === place) belowTarget = at.targets.belowTarget.items;
      rows.push({
        place: p,
        overview: at.overview,
        targets: {
          urban: at.targets.urban,
          rural: at.targets.rural,
          notAttributed: at.targets.notAttributed,
        },
        movements: await this.movements(p.code, year, month),
        funding: await this.fundingOf(p, year),
      });
    }
    return {
      year,
      asOfDate: yearEnded ? `${year}-12-31` : today,
      yearEnded,
      rows,
      belowTarget,
    };
  }

  /** City → its districts; a district → its streets and towns (special units included). */
  private childrenOf(place: Place): Place[] {
    if (place.level === 'city')
      return this.divisions.data.districts.map((d) => ({
        code: d.code,
        name: d.name,
        level: 'district',
      }));
    return this.divisions.data.streets
      .filter((s) => s.district === place.code)
      .map((s) => ({ code: s.code, name: s.name, level: 'street' }));
  }

  private async movements(code: string, year: string, last: string): Promise<Movements> {
    const months = await this.statistics.timeline(code, `${year}-01`, last);
    const byKind = Object.fromEntries(DISSOLUTION_KINDS.map((k) => [k, 0])) as Record<
      DissolutionKind,
      number
    >;
    let registrations = 0;
    let promotions = 0;
    let dissolutions = 0;
    for (const m of months) {
      registrations += m.registrations;
      promotions += m.promotions;
      dissolutions += m.dissolutions;
      for (const kind of DISSOLUTION_KINDS) byKind[kind] += m.dissolutionsByKind[kind];
    }
    return { registrations, promotions, dissolutions, dissolutionsByKind: byKind };
  }

  private async fundingOf(
    place: Place,
    year: string,
  ): Promise<Record<FundingChannel, ChannelFunding>> {
    const { totals } = await this.funding.totals(place, year);
    return Object.fromEntries(
      FUNDING_CHANNELS.map((channel) => {
        const row = totals.find((t) => t.channel === channel);
        return [channel, { amountFen: row?.amountFen ?? 0, grants: row?.grants ?? 0 }];
      }),
    ) as Record<FundingChannel, ChannelFunding>;
  }
}

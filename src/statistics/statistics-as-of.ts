import { shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import type { Divisions } from '../divisions/divisions.js';
import { placeOf, type Place } from '../divisions/places.js';
import { ValidationProblem } from '../http/problem.js';
import type { PlatformCoverage, PlatformQueries } from './platform-coverage.queries.js';
import type { Overview, StatisticsQueries, Targets } from './statistics.queries.js';

/** Every figure of a place as of a month-end: what a dated return (e.g. 年末) is built from. */
export interface StatisticsAtMonthEnd {
  readonly asOf: string;
  readonly overview: Overview;
  /** The targets with every community below target (one page holds them all). */
  readonly targets: Targets;
  /** Platform coverage: of the city or a district (a street or community: of its district). */
  readonly platforms: PlatformCoverage;
}

/** Communities in one district at most: a page this size holds a whole city's list. */
const ALL_COMMUNITIES = 100_000;

/**
 * Statistics as of a past month-end (`asOf=YYYY-MM`, issue #19): which months may be asked, and
 * all the figures of a place at one of them. Any month up to the current Shanghai month (its
 * figures so far) is answered; a month before the first one anything counts in answers the
 * empty figures it had (not a 400: the first month moves back whenever a registration is entered
 * late with an earlier business date, and a refusal would then turn into an answer). A later
 * month is refused with a 400 naming the current one.
 */
export class StatisticsAsOf {
  constructor(
    private readonly statistics: StatisticsQueries,
    private readonly platforms: PlatformQueries,
    private readonly divisions: Divisions,
    private readonly clock: Clock,
  ) {}

  /** Refuses (400, `query:asOf`) a month after the current one: its end has not come. */
  check(asOf: string | undefined): void {
    if (asOf === undefined) return;
    const current = shanghaiDate(this.clock.now()).slice(0, 7);
    if (asOf > current) {
      throw new ValidationProblem([
        { field: 'query:asOf', message: `asOf must not be after ${current}, the current month` },
      ]);
    }
  }

  /** Every figure of `place` at the end of `month` (`YYYY-MM`); the month is not checked. */
  async statisticsAsOf(place: Place, month: string): Promise<StatisticsAtMonthEnd> {
    return {
      asOf: month,
      overview: await this.statistics.overview(place, month),
      targets: await this.statistics.targetsFor(
        place,
        { page: 1, pageSize: ALL_COMMUNITIES },
        month,
      ),
      platforms: await this.platforms.coverage(
        place.level === 'city' || place.level === 'district'
          ? place
          : placeOf(this.divisions, { district: place.code.slice(0, 6) }),
        month,
      ),
    };
  }
}

/** Public read routes a dashboard and the disclosure page use, over the whole city or a district. */
export const REGISTRY_PATHS = [
  '/registry',
  '/registry?district=310104',
  '/registry?district=310104&tier=team&page=3',
  '/registry?category=charity&status=active&pageSize=50',
  '/registry?q=%E4%B9%A6%E7%94%BB',
  '/registry?street=310104003&tier=group',
] as const;

export const STATISTICS_PATHS = [
  '/statistics/overview',
  '/statistics/overview?district=310104',
  '/statistics/targets?district=310104',
  '/statistics/targets',
  '/statistics/timeline',
  '/statistics/funding',
] as const;

/** Heavier reads that hold whole result sets: the CSV export of the city, deep pages, lists. */
export const HEAVY_PATHS = [
  '/registry.csv',
  '/registry?pageSize=100&page=50',
  '/registry?status=dissolved&pageSize=100',
  '/fundings',
  '/activity-reports',
] as const;

/** GETs `path` and reads the whole body; throws on any answer but 2xx. Answers the latency (ms). */
export async function timedGet(base: string, path: string, token?: string): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await fetch(
    base + path,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  const body = await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(
      `${path} answered ${String(response.status)}: ${Buffer.from(body).toString('utf8', 0, 300)}`,
    );
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * `workers` concurrent loops, each going `rounds` times over every path, or fewer rounds when the
 * budget runs out (the first round always completes, so every path is exercised).
 */
export async function queryLoad(
  base: string,
  paths: readonly string[],
  workers: number,
  rounds: number,
  budgetMs: number,
): Promise<void> {
  const deadline = Date.now() + budgetMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let round = 0; round < rounds; round++) {
        if (round > 0 && Date.now() > deadline) return;
        for (let i = 0; i < paths.length; i++)
          await timedGet(base, paths[(i + worker) % paths.length] ?? '/');
      }
    }),
  );
}

/**
 * Managing users opening organizations one after another: ids from the registry's pages, then
 * `GET /organizations/{id}` for each (the server folds and caches each stream), `workers` at a
 * time, up to `count` organizations or the budget. Answers how many were read.
 */
export async function organizationReads(
  base: string,
  token: string,
  count: number,
  workers: number,
  budgetMs: number,
): Promise<number> {
  const deadline = Date.now() + budgetMs;
  const ids: string[] = [];
  for (let page = 1; ids.length < count && Date.now() < deadline; page++) {
    const response = await fetch(`${base}/registry?pageSize=100&page=${String(page)}`);
    if (!response.ok) throw new Error(`/registry page ${String(page)}: ${String(response.status)}`);
    const { items } = (await response.json()) as { items: { id: string }[] };
    ids.push(...items.map((item) => item.id));
    if (items.length < 100) break;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < Math.min(count, ids.length) && Date.now() < deadline)
        await timedGet(base, `/organizations/${ids[next++] ?? ''}`, token);
    }),
  );
  return next;
}

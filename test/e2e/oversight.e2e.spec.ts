/**
 * The bureaus' oversight over real HTTP (API.md "Writes", DOMAIN.md §4): annual work reports,
 * spot checks (a `rectify` result opens a correction notice), formal grades shown in the
 * registry only while valid on the day of the query, and the abnormal-activity list — each in
 * the history, the registry and its CSV.
 */
import type { Clock } from '../../src/event-sourcing/clock.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  createGroup,
  createSocialGroup,
  createTeam,
  expectProblem,
  expectWriteAnswer,
  send,
  write,
} from '../support/e2e-kit.js';

/** 10:00 in Shanghai on the day set; the test moves it to show a grade lapse. */
let now = new Date('2026-01-15T02:00:00.000Z');
const clock: Clock = { now: () => now };

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp({ clock });
});
afterAll(async () => {
  await app.close();
});

const path = (id: string, suffix: string): string => `/organizations/${id}${suffix}`;

async function registryEntry(id: string, position: number): Promise<Record<string, unknown>> {
  const res = await send(app, undefined, 'GET', `/registry/${id}?minPosition=${position}`);
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

async function historyTypes(id: string): Promise<string[]> {
  const res = await send(app, 'auditor', 'GET', path(id, '/history'));
  expect(res.status).toBe(200);
  return (res.body as { type: string }[]).map((e) => e.type);
}

/** The CSV row of one organization, by its id in the last column, keyed by header. */
async function csvRow(id: string, position: number): Promise<Record<string, string>> {
  const res = await send(app, undefined, 'GET', `/registry.csv?minPosition=${position}`);
  expect(res.status).toBe(200);
  const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
  const header = (lines[0] ?? '').split(',');
  const line = lines.find((l) => l.endsWith(`,${id}`)) ?? '';
  const cells = line.split(',');
  return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
}

describe('POST /organizations/{id}/annual-reports', () => {
  it('201; the registry shows the latest year and whether it was on time; one per year', async () => {
    const { id } = await createSocialGroup(app, { registeredOn: '2022-01-10' });
    const body = {
      year: 2024,
      members: 36,
      incomeFen: 12_000_000,
      expenditureFen: 11_500_000,
      activities: 20,
      recordedOn: '2025-07-02',
    };
    const res = await send(app, 'xuhuiDistrict', 'POST', path(id, '/annual-reports'), body);
    const answer = expectWriteAnswer(res, 201);
    // An earlier year recorded later, on time, does not replace the latest year shown.
    const earlier = await write(app, 'xuhuiDistrict', 'POST', path(id, '/annual-reports'), {
      ...body,
      year: 2023,
      recordedOn: '2024-06-30',
    });
    const position = earlier.body.position as number;
    expect((await registryEntry(id, position))['annualReport']).toEqual({
      year: 2024,
      onTime: false,
    });
    expect(await csvRow(id, position)).toMatchObject({ 年报年度: '2024', 年报是否按时: '否' });
    expect(answer.revision).toBeGreaterThan(0);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(id, '/annual-reports'), body),
      422,
      { rule: 'annual-report-exists' },
    );
    expect(await historyTypes(id)).toContain('AnnualReportRecorded');
  });

  it('422 registered-only for a team; 403 for the street office', async () => {
    const { id } = await createTeam(app);
    const body = {
      year: 2024,
      members: 10,
      incomeFen: 0,
      expenditureFen: 0,
      activities: 2,
      recordedOn: '2025-03-01',
    };
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(id, '/annual-reports'), body),
      422,
      {
        rule: 'registered-only',
      },
    );
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(id, '/annual-reports'), body),
      403,
    );
  });
});

describe('POST /organizations/{id}/spot-checks', () => {
  it('rectify answers checkId and noticeId; the notice is open and resolvable by the manager', async () => {
    const { id } = await createGroup(app);
    const res = await send(app, 'city', 'POST', path(id, '/spot-checks'), {
      checkedOn: '2025-11-20',
      result: 'rectify',
      findings: '活动台账不全',
      deadline: '2025-12-31',
    });
    const answer = expectWriteAnswer(res, 201, ['checkId', 'noticeId']);
    expect(await historyTypes(id)).toEqual([
      'OrganizationRegistered',
      'SpotCheckRecorded',
      'CorrectionNoticeIssued',
    ]);
    const state = await send(app, 'shanghaiXincunCommittee', 'GET', path(id, ''));
    expect((state.body as { openCorrectionNotices: string[] }).openCorrectionNotices).toEqual([
      answer.noticeId,
    ]);
    await write(
      app,
      'shanghaiXincunCommittee',
      'POST',
      path(id, `/correction-notices/${String(answer.noticeId)}/resolution`),
      { note: '已补齐台账' },
    );
  });

  it('passed answers no noticeId; rectify without a deadline is 422 deadline-required', async () => {
    const { id } = await createGroup(app);
    const passed = await send(app, 'xuhuiDistrict', 'POST', path(id, '/spot-checks'), {
      checkedOn: '2025-11-20',
      result: 'passed',
      findings: '运作规范',
    });
    expectWriteAnswer(passed, 201, ['checkId']);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(id, '/spot-checks'), {
        checkedOn: '2025-11-20',
        result: 'rectify',
        findings: '活动台账不全',
      }),
      422,
      { rule: 'deadline-required' },
    );
  });
});

describe('POST /organizations/{id}/grades', () => {
  it('the registry shows the grade while valid on the day of the query, and null after it lapses', async () => {
    const { id } = await createSocialGroup(app, { registeredOn: '2020-06-01' });
    const res = await write(app, 'xuhuiDistrict', 'POST', path(id, '/grades'), {
      grade: '4A',
      awardedOn: '2021-03-01',
    });
    const position = res.body.position as number;
    expect((await registryEntry(id, position))['grade']).toEqual({
      grade: '4A',
      validUntil: '2026-02-28',
    });
    expect(await csvRow(id, position)).toMatchObject({
      评估等级: '4A',
      等级有效期至: '2026-02-28',
    });
    // The same read model, asked on a later day: the grade has lapsed.
    now = new Date('2026-03-01T02:00:00.000Z');
    try {
      expect((await registryEntry(id, position))['grade']).toBeNull();
      expect(await csvRow(id, position)).toMatchObject({ 评估等级: '', 等级有效期至: '' });
      const listed = await send(app, undefined, 'GET', `/registry?q=${encodeURIComponent('睦邻')}`);
      const item = (listed.body as { items: Record<string, unknown>[] }).items.find(
        (i) => i['id'] === id,
      );
      expect(item?.['grade']).toBeNull();
    } finally {
      now = new Date('2026-01-15T02:00:00.000Z');
    }
  });

  it('422 registered-only for a group; 1A–5A only', async () => {
    const { id } = await createGroup(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(id, '/grades'), {
        grade: '3A',
        awardedOn: '2025-01-15',
      }),
      422,
      { rule: 'registered-only' },
    );
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(id, '/grades'), {
        grade: 'AAAA',
        awardedOn: '2025-01-15',
      }),
      400,
      { field: 'grade' },
    );
  });
});

describe('POST /organizations/{id}/abnormal-listing · abnormal-clearance', () => {
  it('listed: shown in the registry and its CSV; cleared: null', async () => {
    const { id, position } = await createGroup(app);
    const fresh = await registryEntry(id, position);
    expect(fresh).toMatchObject({ abnormal: null, grade: null, annualReport: null });
    const listed = await write(app, 'xuhuiDistrict', 'POST', path(id, '/abnormal-listing'), {
      reason: '通过登记的住所无法联系',
      listedOn: '2025-10-01',
    });
    expect((await registryEntry(id, listed.body.position as number))['abnormal']).toEqual({
      listedOn: '2025-10-01',
      reason: '通过登记的住所无法联系',
    });
    expect(await csvRow(id, listed.body.position as number)).toMatchObject({
      列入异常名录日期: '2025-10-01',
      列入异常名录原因: '通过登记的住所无法联系',
    });
    expectProblem(
      await send(app, 'city', 'POST', path(id, '/abnormal-listing'), {
        reason: '重复列入',
        listedOn: '2025-10-02',
      }),
      422,
      { rule: 'abnormal-already-listed' },
    );
    const cleared = await write(app, 'city', 'POST', path(id, '/abnormal-clearance'), {
      clearedOn: '2025-12-01',
    });
    expect((await registryEntry(id, cleared.body.position as number))['abnormal']).toBeNull();
    expect(await historyTypes(id)).toEqual([
      'OrganizationRegistered',
      'AbnormalListed',
      'AbnormalCleared',
    ]);
  });

  it('clearing an organization that is not listed is 422 abnormal-not-listed', async () => {
    const { id } = await createGroup(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(id, '/abnormal-clearance'), {
        clearedOn: '2025-12-01',
      }),
      422,
      { rule: 'abnormal-not-listed' },
    );
  });
});

/**
 * The CSV export makes one row per registry entry. How it makes the row decides the server's
 * peak memory: copies of the whole entry (`{ ...entry, labels }`) were promoted by V8 to the old
 * space, ~3 KB each, which the server's collector lets pile up to several times its live heap (one
 * city export: 147 -> 330 MB). Rows of the exported columns alone die young.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import type { Document } from '../../src/event-sourcing/ports/read-store.port.js';
import { publicDocument } from '../../src/event-sourcing/projection/paging.js';
import { csvRecord, registryCsvColumns } from '../../src/registry/registry-csv.js';

/** A registry document as the read store answers it: parsed from its JSON text. */
function storedEntry(n: number): string {
  return JSON.stringify({
    id: `0b0c3f5e-8d7a-4c43-9a5e-${String(n).padStart(12, '0')}`,
    name: `徐汇区天平路街道书画社${String(n)}`,
    category: 'culture-sports',
    tier: 'team',
    legalForm: null,
    uscc: null,
    filingNumber: `XH-2024-${String(n)}`,
    districtCode: '310104',
    districtName: '徐汇区',
    streetCode: '310104003',
    streetName: '天平路街道',
    communityCode: null,
    communityName: null,
    status: n % 10 === 0 ? 'dissolved' : 'active',
    foundedOn: '2020-01-01',
    registeredOn: '2020-02-01',
    dissolvedOn: null,
    fundingTotalFen: n * 100,
    activityCount: n % 7,
    latestEvaluation: { grade: 'excellent', year: 2024 },
    _position: n,
  });
}

function oldSpaceUsed(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')
    ?.space_used_size as number;
}

describe('CSV rows of the registry export', () => {
  it('hold the exported columns only, labels in place of codes', () => {
    const record = csvRecord(publicDocument(JSON.parse(storedEntry(10)) as Document), '2025-06-15');
    expect(Object.keys(record)).toEqual(registryCsvColumns.map((column) => column.key));
    expect(record).toMatchObject({
      categoryLabel: expect.any(String) as unknown,
      tierLabel: expect.any(String) as unknown,
      legalFormLabel: '',
      statusLabel: '已注销',
      evaluationGrade: '优秀',
      communityName: null,
    });
  });

  // Growth of the old space summed page by page (a mark-compact in between only hides some):
  // 110-120 MB for 40,000 entries copied whole, about 6 MB for these rows. The least of three
  // runs: the worker shares its heap with whatever else it ran, and one run can meet a promotion
  // of someone else's objects (seen once at 90 MB in a loaded full run; 6 MB alone).
  it('die young: making 40,000 rows promotes little to the old space', () => {
    const runs = [0, 1, 2].map(() => {
      let promoted = 0;
      let before = oldSpaceUsed();
      let cells = 0;
      for (let page = 0; page < 40; page++) {
        const texts = Array.from({ length: 1000 }, (_, i) => storedEntry(page * 1000 + i));
        for (const text of texts) {
          const entry = publicDocument(JSON.parse(text) as Document);
          cells += Object.keys(csvRecord(entry, '2025-06-15')).length;
        }
        const after = oldSpaceUsed();
        promoted += Math.max(0, after - before);
        before = after;
      }
      expect(cells).toBe(40_000 * registryCsvColumns.length);
      return promoted;
    });
    expect(Math.min(...runs) / 1e6).toBeLessThan(40);
  });
});

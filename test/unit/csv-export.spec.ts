/**
 * CSV injection: every export (registry, history over HTTP and from the CLI) writes through
 * csvExport, which keeps a cell that a spreadsheet would run as a formula as text.
 */
import { csvExport, safeCell } from '../../src/http/csv-export.js';

async function render(rows: readonly Record<string, unknown>[]): Promise<string> {
  const csv = csvExport(['name', 'amount']);
  let text = '';
  csv.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ended = new Promise((resolve) => csv.on('end', resolve));
  for (const row of rows) csv.write(row);
  csv.end();
  await ended;
  return text;
}

describe('CSV exports keep formula-leading cells as text', () => {
  it.each(['=HYPERLINK("http://x","点击查看社区")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    '%j gets a leading apostrophe',
    (value) => {
      expect(safeCell(value)).toBe(`'${value}`);
    },
  );

  it.each(['天平路书画小组', '2025-01-06', 'a=b', ''])('%j is left as it is', (value) => {
    expect(safeCell(value)).toBe(value);
  });

  it('an export writes the BOM, the header, CRLF records and escaped cells; numbers stay numbers', async () => {
    const text = await render([
      { name: '=HYPERLINK("http://x","看")', amount: 5 },
      { name: '书画小组', amount: 0 },
    ]);
    expect(text).toBe(
      '\uFEFFname,amount\r\n"\'=HYPERLINK(""http://x"",""看"")",5\r\n书画小组,0\r\n',
    );
  });
});

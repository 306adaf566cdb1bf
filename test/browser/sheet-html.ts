/**
 * One worksheet as a plain HTML table (merged cells as colspan / rowspan, numbers shown through
 * their number format), so a browser can picture a spreadsheet without an office suite: the
 * docs' screenshot of the year-end return.
 */
import type ExcelJS from 'exceljs';

const escape = (text: string): string =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  );

/** A number as its cell's format shows it (the formats the return uses). */
function shown(value: number, numFmt: string | undefined): string {
  switch (numFmt) {
    case '0.0%':
      return `${(value * 100).toFixed(1)}%`;
    case '0.000':
      return value.toFixed(3);
    case '#,##0.00':
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    default:
      return value.toLocaleString('en-US');
  }
}

/** Column letters to a 1-based index: `A` → 1, `AB` → 28. */
const columnIndex = (letters: string): number =>
  letters.split('').reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

/** `B3:D4` → its top-left cell and its spans. */
function parseRange(range: string): { row: number; col: number; rows: number; cols: number } {
  const match = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
  if (!match) throw new Error(`not a range: ${range}`);
  const [, c1 = '', r1 = '', c2 = '', r2 = ''] = match;
  return {
    row: Number(r1),
    col: columnIndex(c1),
    rows: Number(r2) - Number(r1) + 1,
    cols: columnIndex(c2) - columnIndex(c1) + 1,
  };
}

export function sheetHtml(ws: ExcelJS.Worksheet, maxRows = ws.rowCount): string {
  const merges = (ws.model as { merges?: string[] }).merges ?? [];
  const spans = new Map<string, { rows: number; cols: number }>();
  const covered = new Set<string>();
  for (const range of merges) {
    const m = parseRange(range);
    spans.set(`${m.row}:${m.col}`, m);
    for (let r = m.row; r < m.row + m.rows; r++)
      for (let c = m.col; c < m.col + m.cols; c++)
        if (r !== m.row || c !== m.col) covered.add(`${r}:${c}`);
  }
  const rows: string[] = [];
  for (let r = 1; r <= Math.min(ws.rowCount, maxRows); r++) {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      if (covered.has(`${r}:${c}`)) continue;
      const cell = ws.getRow(r).getCell(c);
      const span = spans.get(`${r}:${c}`);
      const attrs = [
        span && span.cols > 1 ? ` colspan="${span.cols}"` : '',
        span && span.rows > 1 ? ` rowspan="${span.rows}"` : '',
        typeof cell.value === 'number' ? ' class="n"' : '',
        (cell.font as ExcelJS.Font | undefined)?.bold === true ? ' style="font-weight:bold"' : '',
      ].join('');
      const text =
        typeof cell.value === 'number'
          ? shown(cell.value, cell.numFmt)
          : typeof cell.value === 'string'
            ? escape(cell.value)
            : '';
      cells.push(`<td${attrs}>${text}</td>`);
    }
    rows.push(`<tr class="r${r}">${cells.join('')}</tr>`);
  }
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body{margin:12px;font:13px "Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;background:#fff}
table{border-collapse:collapse}
td{border:1px solid #c8c8c8;padding:3px 6px;white-space:nowrap}
td.n{text-align:right}
tr.r1 td{font-size:16px;border:none;padding-bottom:2px}
tr.r2 td{border:none;color:#555;padding-bottom:8px}
tr.r3 td,tr.r4 td{background:#eef2f7;text-align:center}
</style></head><body><table>${rows.join('\n')}</table></body></html>`;
}

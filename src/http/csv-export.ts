import { stringify, type Options, type Stringifier } from 'csv-stringify';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, e.g. a
 * team named `=HYPERLINK(…)`); such a cell is written with a leading apostrophe, which
 * spreadsheets show as text and do not display.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The registry's CSV exports: a header row, a byte-order mark so Excel reads UTF-8, CRLF
 * records, and every text cell safe to open in a spreadsheet.
 */
export function csvExport(columns: NonNullable<Options['columns']>): Stringifier {
  return stringify({
    header: true,
    bom: true,
    record_delimiter: 'windows',
    columns,
    cast: { string: safeCell },
  });
}

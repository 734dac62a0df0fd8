// Spreadsheet formula injection (CWE-1236): Excel, LibreOffice and Google Sheets run a cell that
// starts with = + - or @ (and treat a leading tab or carriage return the same way) as a formula, so
// an address like "=HYPERLINK(…)@example.gov" or a hostile consent source could run when an
// administrator opens the export. Our choice, after OWASP's CSV injection guidance: such a value is
// written with a single quote in front, which spreadsheets show as text and hide. Quotes already in
// front of such a value get one more, so the import can take exactly one off and every value,
// however odd, survives an export and a re-import unchanged.

const FORMULA_START = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA_START = /^'+[=+\-@\t\r]/;

/** A value safe to put in a cell: formula-looking text gets a leading single quote. */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes escapeFormula for a cell read from an import file. */
export function unescapeFormula(value: string): string {
  return ESCAPED_FORMULA_START.test(value) ? value.slice(1) : value;
}

/**
 * CSV for spreadsheets (RFC 4180). Titles are written by users, so a cell that a spreadsheet
 * would read as a formula (`=HYPERLINK(…)`, `+1+1`, `@SUM(…)`, `-2+3`) gets a leading `'`,
 * which spreadsheets show as text: opening your own stats must never run someone's formula.
 */

export type CsvValue = string | number;

/** Characters that make a spreadsheet treat a cell as a formula (tab and CR too, per OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  // Numbers are ours (counts, ids, dates), never user input: only text can smuggle a formula.
  let text = typeof value === "number" ? String(value) : value;
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The whole file: a byte-order mark (so spreadsheets read the titles as UTF-8 rather than
 * the system code page), a header row, then one line per row, CRLF-terminated.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(","));
  return "\uFEFF" + lines.map((line) => line + "\r\n").join("");
}

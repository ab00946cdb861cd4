/**
 * A streaming RFC 4180 reader for the AO3 data dump (issue 14): fields separated by commas,
 * records by CRLF or LF, double-quoted fields that may hold commas, line breaks and `""`.
 * The full dump's works file is about 1 GB, so records are read as the text arrives and
 * never all at once. A UTF-8 byte-order mark is skipped. Quirks of real files are accepted
 * where they are unambiguous (a lone `"` inside an unquoted field is kept as a character);
 * what cannot be read (text after a closing quote, a quote left open at the end of the file)
 * stops the reader with the line it is on.
 */
import { createReadStream } from "node:fs";

export interface CsvRecord {
  fields: string[];
  /** The line the record starts on (1-based), for messages. */
  line: number;
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

interface Parsed {
  fields: string[];
  next: number;
  lines: number;
}

/**
 * One record starting at `pos`, or null when the text ends before the record does and more
 * may follow (`final` false).
 */
function parseRecord(buf: string, pos: number, final: boolean, line: number): Parsed | null {
  const fields: string[] = [];
  const len = buf.length;
  let lines = 0;
  for (;;) {
    let value: string;
    if (buf.charCodeAt(pos) === QUOTE) {
      let i = pos + 1;
      value = "";
      for (;;) {
        const j = buf.indexOf('"', i);
        if (j < 0) {
          if (!final) return null;
          throw new CsvError(line, "a quoted field is not closed before the end of the file");
        }
        if (j + 1 >= len && !final) return null;
        const part = buf.slice(i, j);
        for (let k = part.indexOf("\n"); k >= 0; k = part.indexOf("\n", k + 1)) lines++;
        if (buf.charCodeAt(j + 1) === QUOTE) {
          value += `${part}"`;
          i = j + 2;
          continue;
        }
        value += part;
        pos = j + 1;
        break;
      }
      const c = pos < len ? buf.charCodeAt(pos) : -1;
      if (c !== COMMA && c !== LF && c !== CR && c !== -1)
        throw new CsvError(line + lines, 'text follows a closing quote (write a quote as "")');
    } else {
      let i = pos;
      while (i < len) {
        const c = buf.charCodeAt(i);
        if (c === COMMA || c === LF || c === CR) break;
        i++;
      }
      if (i >= len && !final) return null;
      value = buf.slice(pos, i);
      pos = i;
    }
    fields.push(value);
    if (pos >= len) return { fields, next: pos, lines };
    const c = buf.charCodeAt(pos);
    if (c === COMMA) {
      pos++;
      continue;
    }
    if (c === CR) {
      if (pos + 1 >= len && !final) return null;
      pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
    } else pos++;
    return { fields, next: pos, lines: lines + 1 };
  }
}

/** Records from text arriving in chunks (split anywhere); blank lines are skipped. */
export async function* readCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let buf = "";
  let line = 1;
  let first = true;
  const drain = function* (final: boolean): Generator<CsvRecord> {
    let pos = 0;
    while (pos < buf.length) {
      const r = parseRecord(buf, pos, final, line);
      if (!r) break;
      const start = line;
      line += r.lines;
      pos = r.next;
      if (r.fields.length === 1 && r.fields[0] === "") continue;
      yield { fields: r.fields, line: start };
    }
    buf = buf.slice(pos);
  };
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    buf += first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    yield* drain(false);
  }
  yield* drain(true);
}

/** A CSV file's records, read as UTF-8 a megabyte at a time. */
export function readCsvFile(path: string): AsyncGenerator<CsvRecord> {
  return readCsv(
    createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 }) as AsyncIterable<string>,
  );
}

/**
 * Rendered chapter texts kept in memory, so a reading page need not read a chapter's text
 * (tens of KB: most of what its statements cost) on every view. An entry is found only by
 * the chapter's id together with its work's `version`, which every chapter change a reader
 * sees bumps in the change's own transaction (works/commands.ts: `refreshWorkStats`), and
 * the chapter's position and edit time; the page reads these anyway, and a stored text is
 * kept under the ones read in the same statement as the text. An edit or a move therefore
 * makes the old entry unreachable: never stale, in any process. Bounded in bytes, least
 * recently used first out; one cache per database handle (tests open many). Each text is kept
 * with its UTF-8 bytes too, which the page sends as they are (core/views/page-bytes.ts).
 */
import type { SanitizedHtml } from "../core/text/sanitize.ts";

/** What a rendered text is valid for, besides its chapter id. */
export interface RenderedStamp {
  /** The work's `version`. */
  version: number;
  position: number;
  editedAt: number;
}

/** A kept text: the markup, and the same as UTF-8. */
export interface KeptText {
  html: SanitizedHtml;
  utf8: Buffer;
}

interface Entry extends RenderedStamp {
  text: KeptText;
  bytes: number;
}

/** Default budget per process and database: some 300 chapters of 5,000 words. */
export const RENDERED_CACHE_BYTES = 32 * 1024 * 1024;

export class RenderedTexts {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  readonly #entries = new Map<number, Entry>();
  #bytes = 0;

  constructor(readonly maxBytes = RENDERED_CACHE_BYTES) {}

  get(chapterId: number, stamp: RenderedStamp): KeptText | undefined {
    const entry = this.#entries.get(chapterId);
    if (
      !entry ||
      entry.version !== stamp.version ||
      entry.position !== stamp.position ||
      entry.editedAt !== stamp.editedAt
    )
      return undefined;
    this.#entries.delete(chapterId);
    this.#entries.set(chapterId, entry);
    return entry.text;
  }

  /** Keeps `html` and its UTF-8 for the chapter (unless larger than the budget); returns both. */
  set(chapterId: number, stamp: RenderedStamp, html: SanitizedHtml): KeptText {
    this.#drop(chapterId);
    const text = { html, utf8: Buffer.from(html, "utf8") };
    // The string at two bytes a character at most (V8's two-byte strings), and the bytes.
    const bytes = html.length * 2 + text.utf8.length;
    if (bytes > this.maxBytes) return text;
    const { version, position, editedAt } = stamp;
    this.#entries.set(chapterId, { version, position, editedAt, text, bytes });
    this.#bytes += bytes;
    for (const id of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#drop(id);
    }
    return text;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #drop(chapterId: number) {
    const entry = this.#entries.get(chapterId);
    if (!entry) return;
    this.#entries.delete(chapterId);
    this.#bytes -= entry.bytes;
  }
}

const byDatabase = new WeakMap<object, RenderedTexts>();

/** The cache for one database handle (the `db` that pages query). */
export function renderedTextsOf(db: object): RenderedTexts {
  let cache = byDatabase.get(db);
  if (!cache) {
    cache = new RenderedTexts();
    byDatabase.set(db, cache);
  }
  return cache;
}

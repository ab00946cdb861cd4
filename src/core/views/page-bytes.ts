/**
 * Markup kept in memory as UTF-8 bytes (a chapter's rendered text) joins the page as those
 * bytes. Sending a page string costs a UTF-8 pass to size it and another to write it, over
 * every character, each time: for a 5,000-word chapter that was more than the rest of the
 * response's HTTP work (issue 16). The renderer writes a marker where kept bytes go;
 * `renderPage` then sends one Buffer with the markers replaced by the bytes.
 */
import { randomBytes } from "node:crypto";

/**
 * Per process and unguessable: no text a writer types can contain it (and the sanitizer drops
 * HTML comments anyway), so splitting at it cuts only where a marker was written.
 */
const MARKER = `<!--kept-bytes:${randomBytes(12).toString("hex")}-->`;

/** One page's kept byte fragments, in the order their markers appear. */
export class PageBytes {
  readonly #fragments: Buffer[] = [];

  /** The marker to render in place of `bytes` (which must be the UTF-8 of that markup). */
  add(bytes: Buffer): string {
    this.#fragments.push(bytes);
    return MARKER;
  }

  get count(): number {
    return this.#fragments.length;
  }

  /** The rendered page with each marker replaced by its bytes; the string itself when none. */
  join(html: string): string | Buffer {
    if (this.#fragments.length === 0) return html;
    const parts = html.split(MARKER);
    // A marker the renderer dropped (a conditional that later hid it) would shift the rest.
    if (parts.length !== this.#fragments.length + 1)
      throw new Error(
        `page bytes: ${parts.length - 1} markers rendered for ${this.#fragments.length} fragments`,
      );
    const chunks: Buffer[] = [];
    parts.forEach((part, i) => {
      if (part) chunks.push(Buffer.from(part, "utf8"));
      const fragment = this.#fragments[i];
      if (fragment) chunks.push(fragment);
    });
    return Buffer.concat(chunks);
  }
}

/**
 * What every piece of text typed into the archive goes through on its way in (the form and
 * query parsers in core/http/server.tsx call it for every field): line breaks made plain and
 * invisible control characters dropped, so titles, tags and chapters never store or serve
 * them. Tab and newline stay; CR LF (what browsers send for a line break) and a lone CR
 * become LF.
 */

/**
 * C0 controls other than tab and newline, DEL and the C1 controls, plus lone surrogates (half
 * of a 4-byte character; valid UTF-8 cannot carry one, but JSON's `\ud800` can).
 */
const UNWANTED =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// eslint-disable-next-line no-control-regex
const QUICK_CHECK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]/;

/** `text` with CR LF and CR turned into LF and control characters (but tab and LF) removed. */
export function cleanInputText(text: string): string {
  // Most fields hold none: skip the replacing (chapters run to megabytes).
  if (!QUICK_CHECK.test(text)) return text;
  return text.replace(/\r\n?/g, "\n").replace(UNWANTED, "");
}

/**
 * The length of `text` as a reader counts it: Unicode code points, so an emoji or a CJK
 * extension-B character is one character, not two UTF-16 units.
 */
export function charCount(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

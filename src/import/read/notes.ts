/**
 * Author's notes in imported texts (issue 14): fan fiction often opens with a paragraph that
 * talks to the reader, not the story ("Feel free to tell me what you think … Mark's POV is bold;
 * Lexie's is plain"). Such paragraphs are offered as the work's beginning (or end) notes, so the
 * chapter starts with the story.
 *
 * The rule: a paragraph is a note when it starts with a label writers use ("A/N", "Author's
 * note", "Disclaimer", "Summary", "Dedication"…), or when it is not dialogue and carries at
 * least two of the phrases writers use to address readers (review, feel free, let me know,
 * tell me what you think, enjoy, "I don't own", "this fic", ":)"…). One phrase is not enough:
 * a story may well mention a review or wish someone to enjoy something.
 */
const LABEL =
  /^\s*[([]?\s*(?:a\/n\b|a\.n\.|an\s*:|author'?s?'?\s+notes?\b|notes?\s*:|disclaimer\b|dedication\b|dedicated to\b|summary\s*:|warnings?\s*:|spoilers?\s*:|pairings?\s*:|rating\s*:|beta(?:'d)?\s+by\b|thanks? to\b)/i;

/** Phrases that address the reader; each counts once, however often it occurs. */
const CUES: RegExp[] = [
  /\breview(?:s|ing|ed)?\b/i,
  /\bfeel free\b/i,
  /\blet me know\b/i,
  /\btell me what you think\b/i,
  /\bhope (?:you|y'all|u) (?:like|enjoy|liked|enjoyed)\b/i,
  /\benjoy(?:ed)?\b.*[!:)]|\benjoy!/i,
  /\b(?:i|I) (?:decided|wanted|had) to write\b/,
  /\b(?:this|my|the) (?:fic|fanfic|fanfiction|story|one-?shot|drabble|chapter|update)\b/i,
  /\b(?:don'?t|do not|doesn'?t) own\b|\bown nothing\b|\bbelongs? to\b.*\b(?:shonda|abc|network|creator)/i,
  /\bpov\b/i,
  /\b(?:r&r|r\s*\/\s*r|read and review|kudos|comments? (?:are|is) (?:love|appreciated))\b/i,
  /(?:^|\s)(?::\)|;\)|:D|:P|xD|<3)(?=\s|$)/,
  /\bmuch appreciated\b|\bthanks? (?:for|so much)\b/i,
];

/** Dialogue and quotations open with a quotation mark; notes don't. */
const DIALOGUE = /^\s*["“‘'«„]/;

export function isAuthorsNote(paragraph: string): boolean {
  const text = paragraph.trim();
  if (text === "") return false;
  if (LABEL.test(text)) return true;
  if (DIALOGUE.test(text)) return false;
  let cues = 0;
  for (const cue of CUES) if (cue.test(text) && ++cues >= 2) return true;
  return false;
}

/**
 * How many of the leading (or, `fromEnd`, trailing) paragraphs are notes, blank ones between
 * them included: at most three notes, and never all the text, so a chapter keeps its story.
 */
export function countNoteParagraphs(paragraphs: readonly string[], fromEnd = false): number {
  const order = fromEnd ? [...paragraphs].reverse() : paragraphs;
  let take = 0;
  let notes = 0;
  for (let i = 0; i < order.length; i++) {
    const p = order[i] ?? "";
    if (p.trim() === "") continue;
    if (notes >= 3 || !isAuthorsNote(p)) break;
    notes++;
    take = i + 1;
  }
  const storyLeft = order.slice(take).some((p) => /\p{L}/u.test(p));
  return storyLeft ? take : 0;
}

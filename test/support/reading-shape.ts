/**
 * What a reader sees of a chapter's stored HTML, for tests that keep the demo corpus readable
 * (issue #11, "walls of text"): how many paragraphs, how many words, and how bold is used.
 */
import { Parser } from "htmlparser2";
import { paragraphTexts } from "../../src/core/text/paragraphs.ts";
import { countWords } from "../../src/core/text/word-count.ts";

export interface ReadingShape {
  words: number;
  /** Leaf text blocks (paragraphs.ts): what a reader sees as paragraphs. */
  paragraphs: number;
  /** `<p>`s whose text is all bold, and `<p>`s holding both bold and plain text. */
  boldParagraphs: number;
  mixedParagraphs: number;
  /** Bold elements outside any `<p>` (spanning paragraphs, or around a block). */
  looseBold: number;
}

/**
 * A chapter a real reader would call readable has at least one paragraph per this many words.
 * The seed stories run at about 60 words a paragraph, the generated demo at most about 60; the
 * walls of text of issue #11 were 500 to 700.
 */
export const MAX_WORDS_PER_PARAGRAPH = 250;

const BOLD = new Set(["b", "strong"]);
/** Elements that never split a word ("ca<b>fé</b>" is one). */
const INLINE = new Set(["a", "b", "strong", "i", "em", "u", "s", "span", "small", "sup", "sub"]);

export function readingShape(html: string): ReadingShape {
  const shape: ReadingShape = {
    words: 0,
    paragraphs: paragraphTexts(html).length,
    boldParagraphs: 0,
    mixedParagraphs: 0,
    looseBold: 0,
  };
  const open: string[] = [];
  const text: string[] = [];
  let bold = false;
  let plain = false;
  new Parser(
    {
      onopentag(name) {
        if (!INLINE.has(name)) text.push(" ");
        if (name === "p") bold = plain = false;
        if (BOLD.has(name) && !open.includes("p")) shape.looseBold++;
        open.push(name);
      },
      ontext(t) {
        text.push(t);
        if (!/\S/.test(t) || !open.includes("p")) return;
        const inBold = open.slice(open.lastIndexOf("p")).some((name) => BOLD.has(name));
        if (inBold) bold = true;
        else plain = true;
      },
      onclosetag(name) {
        if (!INLINE.has(name)) text.push(" ");
        open.pop();
        if (name !== "p") return;
        if (bold && !plain) shape.boldParagraphs++;
        if (bold && plain) shape.mixedParagraphs++;
      },
    },
    { decodeEntities: true },
  ).end(html);
  shape.words = countWords(text.join(""));
  return shape;
}

/** Why a chapter is a wall of text, or null when it is readable. */
export function wallOfText(shape: ReadingShape): string | null {
  const { words, paragraphs } = shape;
  const needed = Math.ceil(words / MAX_WORDS_PER_PARAGRAPH);
  return paragraphs >= needed ? null : `${paragraphs} paragraphs for ${words} words`;
}

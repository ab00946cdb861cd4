/** Generated English titles, summaries, notes and chapter titles. */
import type { Random } from "./random.ts";
import type { Person, Scene } from "./template.ts";
import { compileAll, renderTemplate } from "./template.ts";
import {
  AU_NAMES,
  BETA_NAMES,
  DEED_PHRASES,
  EXCHANGES,
  PROMPTS,
  TITLE_ADJECTIVES,
  TITLE_GERUNDS,
  TITLE_NOUNS,
  TITLE_PLURALS,
  TITLE_VERBS_PAST,
  WEEKDAYS,
} from "./vocabulary.ts";

const NUMBER_WORDS = [
  "One",
  "Two",
  "Three",
  "Four",
  "Five",
  "Six",
  "Seven",
  "Eight",
  "Nine",
  "Ten",
  "Eleven",
  "Twelve",
];

export function englishTitle(r: Random, a: Person, b: Person): string {
  const N = () => r.pick(TITLE_NOUNS);
  const A = () => r.pick(TITLE_ADJECTIVES);
  const Ns = () => r.pick(TITLE_PLURALS);
  switch (r.int(0, 15)) {
    case 0:
    case 1:
      return `The ${N()} of ${A()} ${Ns()}`;
    case 2:
    case 3: {
      const x = N();
      let y = N();
      if (y === x) y = Ns();
      return `${x} and ${y}`;
    }
    case 4:
      return `${A()} ${N()}`;
    case 5:
      return N();
    case 6:
      return `What the ${N()} ${r.pick(TITLE_VERBS_PAST)}`;
    case 7:
      return `${r.pick(TITLE_GERUNDS)} the ${N()}`;
    case 8:
      return `All the ${A()} ${Ns()}`;
    case 9:
      return `Where the ${Ns()} Go`;
    case 10:
      return `A ${N()} for ${b.name}`;
    case 11: {
      const deed = r.pick(DEED_PHRASES);
      return `Five Times ${a.name} ${deed[1]} (And One Time ${a.S} Didn't)`;
    }
    case 12: {
      const deed = r.pick(DEED_PHRASES);
      return `in which ${a.name} ${deed[0]}`;
    }
    case 13:
      return `${A()} ${Ns()} in ${A()} ${N()}`.toLowerCase();
    case 14:
      return `${N()}, ${N()}, ${N()}`;
    default:
      return r.chance(0.5) ? `${N()} — ${A()} ${Ns()}` : `Untitled ${a.name}/${b.name} Fic`;
  }
}

const SUMMARIES = compileAll([
  "{S} has spent six years keeping the lamp lit at {place}. Then {O} arrives with the {weatherN} and a secret.",
  "{S} never meant to fall in love with {O}. {O}, for the record, saw it coming from a mile away.",
  "{S} and {O} are stuck at {place} for the night. It goes about as well as you'd expect.",
  "Post-finale. {S} is fine. {S} is absolutely, completely fine.",
  "What do you owe the people who stayed?",
  "Missing scene from the second season. {S} finds {O} at {place}, and neither of them is ready to talk.",
  "I'm bad at summaries, please just read it.",
  "{S} has a plan. {O} has a terrible plan. Guess which one they go with.",
  "Five years after the war, {S} comes home to {place} and finds {O} waiting.",
  "The one where {S} keeps leaving notes on {thing} and {O} keeps answering them.",
  "There are rules about this sort of thing. {S} has broken most of them by Tuesday.",
  "A quiet evening at {place}, and a conversation that is years overdue.",
]);

const SUMMARY_TAILS = [
  "Slow burn.",
  "Rated for later chapters.",
  "Now with a sequel!",
  "Complete.",
  "Title from a song I had stuck in my head for a week.",
  "Mostly fluff, I promise.",
  "Please mind the tags.",
  "Updated tags!",
  "(Or: the one with the snowstorm.)",
];

export function englishSummary(c: Scene): string {
  const r = c.r;
  const roll = r.int(0, 9);
  let first: string;
  if (roll === 0) {
    const deed = r.pick(DEED_PHRASES);
    first = `In which ${c.S.name} ${deed[0]} and ${c.O.name} is very patient about it.`;
  } else if (roll === 1) {
    const deed = r.pick(DEED_PHRASES);
    first = `Five times ${c.S.name} ${deed[0]}, and one time ${c.S.s} didn't.`;
  } else if (roll === 2) {
    first = `A ${r.pick(AU_NAMES)} AU, because someone had to.`;
  } else if (roll === 3) {
    first = `Written for the prompt: "${r.pick(PROMPTS)}"`;
  } else {
    first = renderTemplate(r.pick(SUMMARIES), c);
  }
  if (r.chance(0.45)) first += ` ${r.pick(SUMMARY_TAILS)}`;
  return first;
}

export function povNote(r: Random, x: Person, y: Person): string {
  switch (r.int(0, 3)) {
    case 0:
      return `${x.name}'s POV is bold; ${y.name}'s is plain.`;
    case 1:
      return `A note on formatting: ${x.name}'s point of view is in bold, ${y.name}'s is in regular text.`;
    case 2:
      return `Bold = ${x.name}'s POV, plain text = ${y.name}'s POV. Hope that's not too confusing!`;
    default:
      return `The POV switches between ${x.name} (bold) and ${y.name} (plain).`;
  }
}

const NOTE_LINES: readonly ((r: Random, fandom: string) => string)[] = [
  (r) => `Thank you to ${r.pick(BETA_NAMES)} for the beta read!`,
  () => "Title from a poem I can't stop thinking about.",
  (_r, fandom) => `This is my first fic for ${fandom}, so please be gentle.`,
  () => "Not beta read, all mistakes are my own.",
  () => "Comments and kudos are always appreciated!",
  (r) => `Updates every ${r.pick(WEEKDAYS)}, hopefully.`,
  () => "Mind the tags.",
  () => "This got away from me a little.",
  (r) => `Written for ${r.pick(EXCHANGES)}.`,
  () => "Set somewhere after the season two finale, so spoilers ahead.",
  () => "I have no idea what this is. Enjoy?",
  () => "English isn't my first language, so please let me know if anything reads strangely.",
];

const END_NOTES = [
  "Thank you for reading! <3",
  "Come say hi on my blog, I take prompts!",
  "Kudos and comments feed the muse.",
  "See you next time!",
  "The next part should be up soon.",
  "I'm thinking about writing a sequel & would love to hear what you think.",
  "Thanks for sticking with this one :)",
];

const CHAPTER_NOTES = [
  "Sorry this one took so long!",
  "Content note: some canon-typical violence in this chapter.",
  "Short chapter, but an important one.",
  "Thank you all so much for the comments on the last chapter.",
  "A little bit of fluff before things get worse.",
  "Posting from my phone, will fix formatting later.",
];

/** 1–3 lines of author's notes; `bold` for works typed with inline HTML. */
export function englishNotes(r: Random, fandom: string, html: boolean): string {
  const n = r.int(1, 3);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const line = r.pick(NOTE_LINES)(r, fandom);
    if (!out.includes(line)) out.push(line);
  }
  if (html && r.chance(0.2)) out.unshift("<b>Please read the tags!</b>");
  return out.join("\n\n");
}

export function englishEndNotes(r: Random): string {
  return r.pick(END_NOTES);
}

export function englishChapterNote(r: Random): string {
  return r.pick(CHAPTER_NOTES);
}

/** A chapter title in the work's style: "numbered" parts or short phrases. */
export function englishChapterTitle(
  r: Random,
  style: "phrase" | "part" | "bookend",
  index: number,
  total: number,
  a: Person,
  b: Person,
): string {
  if (style === "part") return `Part ${NUMBER_WORDS[index] ?? String(index + 1)}`;
  if (style === "bookend" && index === 0) return "Prologue";
  if (style === "bookend" && index === total - 1 && total > 2) return "Epilogue";
  const t = englishTitle(r, a, b);
  return t.length <= 80 ? t : t.slice(0, 80);
}

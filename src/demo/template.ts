/**
 * A tiny template language for generated English prose, compiled once at module load.
 *
 *   {S} {O}            the focal (speaking) character and the other one, by short name
 *   {S.s} {S.S}        subject pronoun, lower/capitalised (she/he/they)
 *   {S.o} {S.p} {S.P}  object, possessive, capitalised possessive; {S.r} reflexive
 *   {S.was} {S.wasnt}  agreeing verb forms (they were / she was)
 *   {thing} {place} …  a word from a list (see SLOTS); {Place}: the same, capitalised
 *   {athing}           "a chipped mug", "an old letter"
 *   _word_             emphasis: <em>word</em> in works that use inline HTML, plain otherwise
 */
import type { Random } from "./random.ts";
import type { Gender } from "./vocabulary.ts";
import {
  ASKED,
  CLOTHING,
  COLORS,
  EMOTIONS,
  MEMORIES,
  PARTICIPLES,
  SAID,
  SMELLS,
  SOUNDS,
  SURFACES,
  THING_ADJECTIVES,
  THINGS,
  TIMES,
  WEATHER_CLAUSES,
  WEATHER_NOUNS,
  WET_WEATHER,
} from "./vocabulary.ts";

export interface Person {
  name: string;
  gender: Gender;
  s: string;
  S: string;
  o: string;
  p: string;
  P: string;
  r: string;
  was: string;
  wasnt: string;
}

const PRONOUNS: Record<Gender, Omit<Person, "name" | "gender">> = {
  f: {
    s: "she",
    S: "She",
    o: "her",
    p: "her",
    P: "Her",
    r: "herself",
    was: "was",
    wasnt: "wasn't",
  },
  m: { s: "he", S: "He", o: "him", p: "his", P: "His", r: "himself", was: "was", wasnt: "wasn't" },
  n: {
    s: "they",
    S: "They",
    o: "them",
    p: "their",
    P: "Their",
    r: "themself",
    was: "were",
    wasnt: "weren't",
  },
};

export function makePerson(name: string, gender: Gender): Person {
  return { name, gender, ...PRONOUNS[gender] };
}

export type EmTag = "em" | "i";

/** What a template needs at render time. Mutated between sentences; never copied. */
export interface Scene {
  r: Random;
  /** Focal / speaking character. */
  S: Person;
  /** The other character. */
  O: Person;
  /** Settings for this work (fandom places + generic ones). */
  places: readonly string[];
  /** Emphasis tag, or null for works typed as plain text. */
  em: EmTag | null;
}

type SlotFn = (c: Scene) => string;
export type Part = string | SlotFn;
export type Template = readonly Part[];

function capitalize(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

const personSlot = (who: "S" | "O", key: keyof Person): SlotFn => {
  return (c) => c[who][key];
};

const SLOTS: Record<string, SlotFn> = {
  thing: (c) =>
    (c.r.chance(0.45) ? `the ${c.r.pick(THING_ADJECTIVES)} ` : "the ") + c.r.pick(THINGS),
  athing: (c) => {
    const word = c.r.chance(0.45)
      ? `${c.r.pick(THING_ADJECTIVES)} ${c.r.pick(THINGS)}`
      : c.r.pick(THINGS);
    return (/^[aeiou]/.test(word) ? "an " : "a ") + word;
  },
  place: (c) => c.r.pick(c.places),
  surface: (c) => c.r.pick(SURFACES),
  smell: (c) => c.r.pick(SMELLS),
  sound: (c) => c.r.pick(SOUNDS),
  weather: (c) => c.r.pick(WEATHER_CLAUSES),
  weatherN: (c) => c.r.pick(WEATHER_NOUNS),
  wet: (c) => c.r.pick(WET_WEATHER),
  time: (c) => c.r.pick(TIMES),
  color: (c) => c.r.pick(COLORS),
  emotion: (c) => c.r.pick(EMOTIONS),
  clothing: (c) => c.r.pick(CLOTHING),
  memory: (c) => c.r.pick(MEMORIES),
  said: (c) => c.r.pick(SAID),
  asked: (c) => c.r.pick(ASKED),
  participle: (c) => renderTemplate(c.r.pick(COMPILED_PARTICIPLES), c),
};
for (const who of ["S", "O"] as const) {
  SLOTS[who] = personSlot(who, "name");
  for (const key of ["s", "S", "o", "p", "P", "r", "was", "wasnt"] as const) {
    SLOTS[`${who}.${key}`] = personSlot(who, key);
  }
}

const TOKEN = /\{([A-Za-z.]+)\}|_([^_\s][^_]*)_/g;

export function compile(src: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of src.matchAll(TOKEN)) {
    const index = m.index;
    if (index > last) parts.push(src.slice(last, index));
    last = index + m[0].length;
    const slotName = m[1];
    const emphasised = m[2];
    if (slotName !== undefined) {
      const direct = SLOTS[slotName];
      if (direct !== undefined) {
        parts.push(direct);
        continue;
      }
      const lower = SLOTS[slotName.charAt(0).toLowerCase() + slotName.slice(1)];
      if (lower === undefined) throw new Error(`unknown template slot {${slotName}} in: ${src}`);
      parts.push((c) => capitalize(lower(c)));
    } else if (emphasised !== undefined) {
      parts.push((c) => (c.em === null ? emphasised : `<${c.em}>${emphasised}</${c.em}>`));
    }
  }
  if (last < src.length) parts.push(src.slice(last));
  // Merge adjacent literals so rendering does as little work as possible.
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if (typeof p === "string" && typeof prev === "string") merged[merged.length - 1] = prev + p;
    else merged.push(p);
  }
  return merged;
}

export function compileAll(sources: readonly string[]): Template[] {
  return sources.map(compile);
}

export function renderTemplate(t: Template, c: Scene): string {
  if (t.length === 1 && typeof t[0] === "string") return t[0];
  let out = "";
  for (const p of t) out += typeof p === "string" ? p : p(c);
  return out;
}

const COMPILED_PARTICIPLES = compileAll(PARTICIPLES);

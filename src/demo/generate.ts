/**
 * Deterministic, seeded, streaming generator of a demo fan-fiction corpus: accounts and
 * works as their authors would have typed them. Plain data only; storing it is the
 * caller's business.
 *
 * - Work `i` of a seed is generated from its own PRNG streams, so the metadata of a work does
 *   not depend on `bodies` (except that `bodies: "full"` caps chapter counts at 12) nor on
 *   the works before it. `opts.works` influences works only through the generated long-tail
 *   fandoms added for large runs (see `GenerateOptions.extraFandoms`).
 * - Proportions of ratings, warnings and categories follow AO3's published tag counts.
 */
import { CATEGORIES, RATINGS, WARNINGS, type Rating } from "../tags/fixed.ts";
import {
  englishChapterNote,
  englishChapterTitle,
  englishEndNotes,
  englishNotes,
} from "./blurbs.ts";
import { englishSummary, englishTitle, povNote } from "./blurbs.ts";
import type { ForeignLanguage } from "./foreign.ts";
import {
  foreignChapterTitle,
  foreignNote,
  foreignSentence,
  foreignSummary,
  foreignText,
  foreignTitle,
  isForeignLanguage,
} from "./foreign.ts";
import { loadFreeformTags } from "./freeform-source.ts";
import type { ProseCast, TextStyle } from "./prose.ts";
import { englishChapter, englishSentence, englishShort } from "./prose.ts";
import { Random, WeightTable, zipfTable } from "./random.ts";
import type { Person, Scene } from "./template.ts";
import { makePerson } from "./template.ts";
import type { DemoFandom, Gender } from "./vocabulary.ts";
import {
  EXTRA_FANDOM_MEDIA,
  FANDOMS,
  FIRST_NAMES_F,
  FIRST_NAMES_M,
  FIRST_NAMES_N,
  GENERIC_PLACES,
  LANGUAGES,
  LOGIN_ADJECTIVES,
  LOGIN_NOUNS,
  SCENE_BREAKS,
  SURNAMES,
  TITLE_ADJECTIVES,
  TITLE_GERUNDS,
  TITLE_NOUNS,
  TITLE_PLURALS,
} from "./vocabulary.ts";

// ---------------------------------------------------------------------------------------
// Public types

export interface DemoUser {
  login: string;
  email: string;
  password: string;
  /** The first is the default pseud and equals the login. */
  pseuds: string[];
}

export interface DemoChapter {
  title: string | null;
  summary: string;
  notes: string;
  endNotes: string;
  /** As typed by an author: plain text with blank lines between paragraphs, maybe with HTML. */
  text: string;
}

export type { Rating };

export interface DemoWork {
  /** Index into the users array. */
  userIndex: number;
  /** One of that user's pseuds. */
  pseud: string;
  title: string;
  summary: string;
  notes: string;
  endNotes: string;
  rating: Rating;
  /** At least one; "No Archive Warnings Apply" never with another. */
  warnings: string[];
  /** Zero to two. */
  categories: string[];
  /** At least one. */
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  /** "en", "es", "fr", "de", "ru", "ja", "zh". */
  language: string;
  /** null: unknown ("3/?"). Complete when equal to chapters.length. */
  expectedChapters: number | null;
  /** Only visible to logged-in users. */
  restricted: boolean;
  /** Epoch ms. */
  publishedAt: number;
  /** Epoch ms, ≥ publishedAt. */
  updatedAt: number;
  /** At least one. */
  chapters: DemoChapter[];
}

export interface GenerateOptions {
  works: number;
  /**
   * How many of the given users author works (the first `users`); default all of them.
   * Authorship is Zipf-like: a few prolific authors, many with one or two works.
   */
  users?: number;
  seed?: number;
  /** full: 300–4,000 words per chapter; short: 1–3 paragraphs; none: one sentence. */
  bodies?: "full" | "short" | "none";
  /** "Now" in epoch ms; dates spread over the three years before it. Default: today 00:00 UTC. */
  now?: number;
  /** Where the shared material lives (see loadFreeformTags). */
  sharedDir?: string;
  /**
   * Generated long-tail fandoms added after the built-in twelve, so that big benchmark runs
   * have a realistic spread of fandom tags. Default: none below 10,000 works, then
   * works / 500 (at most 2,000).
   */
  extraFandoms?: number;
}

/** The one password every demo account shares. Printed in the README; demo use only. */
export const DEMO_PASSWORD = "fanfold-demo-password";

export { CATEGORIES, RATINGS, WARNINGS };
/** AO3 work counts per rating, in RATINGS order. */
const RATING_WEIGHTS = [2_115_153, 2_272_688, 1_151_260, 1_238_331, 825_385];
/**
 * A freeform named like a rating, warning or category is refused when posted ("Underage Sex"
 * is a popular freeform on AO3 too). Skipped when drawn, not left out of the table, so that
 * only the works that drew one change.
 */
const FIXED_TAG_NAMES: ReadonlySet<string> = new Set(
  [...RATINGS, ...WARNINGS, ...CATEGORIES].map((name) => name.toLowerCase()),
);
const CNTW = WARNINGS[0];
const NAWA = WARNINGS[3];
type Category = (typeof CATEGORIES)[number];
/** AO3 work counts per category, in CATEGORIES order. */
const CATEGORY_WEIGHTS = [654_059, 1_839_948, 1_423_967, 3_744_166, 369_718, 231_426];

export const USER_TAG_LIMIT = 75;
export const TAG_NAME_MAX = 150;

// ---------------------------------------------------------------------------------------
// Accounts

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const LOGIN_RE = /^[A-Za-z0-9_]{3,40}$/;
const PSEUD_RE = /^[A-Za-z0-9_ -]{1,40}$/;

function makeLogin(r: Random): string {
  const adj = r.pick(LOGIN_ADJECTIVES);
  const noun = r.pick(LOGIN_NOUNS);
  switch (r.int(0, 9)) {
    case 0:
    case 1:
      return adj + noun;
    case 2:
    case 3:
      return `${adj}_${noun}`;
    case 4:
      return capitalize(adj) + capitalize(noun);
    case 5:
      return noun + String(r.chance(0.5) ? r.int(1970, 2009) : r.int(1, 99));
    case 6:
      return `the_${adj}_${noun}`;
    case 7: {
      const other = r.pick(LOGIN_NOUNS);
      return other === noun ? `${noun}_${noun}` : `${noun}_and_${other}`;
    }
    case 8:
      return `${adj}${noun}_writes`;
    default:
      return `${noun}_of_the_${r.pick(LOGIN_NOUNS)}`;
  }
}

function makePseud(r: Random, login: string): string {
  switch (r.int(0, 4)) {
    case 0:
      return `${capitalize(r.pick(LOGIN_ADJECTIVES))} ${capitalize(r.pick(LOGIN_NOUNS))}`;
    case 1:
      return `${r.pick(LOGIN_NOUNS)}-writes`;
    case 2: {
      const first = r.pick(
        r.chance(0.5) ? FIRST_NAMES_F : r.chance(0.5) ? FIRST_NAMES_M : FIRST_NAMES_N,
      );
      return `${first} ${r.pick(SURNAMES)}`;
    }
    case 3:
      return `the ${r.pick(LOGIN_ADJECTIVES)} ${r.pick(LOGIN_NOUNS)}`;
    default:
      return `${login.slice(0, 30)}_archive`;
  }
}

/**
 * Deterministic demo accounts: logins like "amberquill" or "sleepless_reader" (3–40 chars of
 * [A-Za-z0-9_], unique case-insensitively), `login@example.org`, the shared DEMO_PASSWORD,
 * and sometimes one or two pen names besides the default pseud (= login).
 */
export function demoUsers(count: number, seed = 1): DemoUser[] {
  const r = new Random(seed, 0x75736572);
  const seen = new Set<string>();
  const users: DemoUser[] = [];
  for (let i = 0; i < count; i++) {
    let login = "";
    for (let attempt = 0; ; attempt++) {
      login = makeLogin(r);
      if (attempt >= 8) login = `${login.slice(0, 32)}${r.int(1, 9999)}`;
      if (LOGIN_RE.test(login) && !seen.has(login.toLowerCase())) break;
    }
    seen.add(login.toLowerCase());
    const pseuds = [login];
    if (r.chance(0.35)) {
      const extra = r.chance(0.7) ? 1 : 2;
      const lower = new Set([login.toLowerCase()]);
      for (let k = 0, attempts = 0; k < extra && attempts < 10; attempts++) {
        const p = makePseud(r, login);
        if (!PSEUD_RE.test(p) || lower.has(p.toLowerCase())) continue;
        lower.add(p.toLowerCase());
        pseuds.push(p);
        k++;
      }
    }
    users.push({ login, email: `${login}@example.org`, password: DEMO_PASSWORD, pseuds });
  }
  return users;
}

// ---------------------------------------------------------------------------------------
// Precomputed tables

interface CharEntry {
  name: string;
  lower: string;
  person: Person;
  gender: Gender;
  /** Order key for canonical relationship tags: fandom rank, then character rank. */
  order: number;
}

interface FandomEntry {
  name: string;
  lower: string;
  chars: CharEntry[];
  byGender: Record<Gender, CharEntry[]>;
  places: string[];
}

interface Tables {
  fandoms: FandomEntry[];
  fandomTable: WeightTable;
  freeNames: string[];
  freeLower: string[];
  freeTable: WeightTable;
  /** 1 where a freeform names sexual content: only drawn for Mature, Explicit, Not Rated. */
  freeAdult: Uint8Array;
  crossoverTag: string | null;
  ratingTable: WeightTable;
  categoryTable: WeightTable;
  languageTable: WeightTable;
}

function fandomEntry(f: DemoFandom, rank: number): FandomEntry {
  const chars = f.characters.map((c, i): CharEntry => ({
    name: c.name,
    lower: c.name.toLowerCase(),
    person: makePerson(c.short, c.gender),
    gender: c.gender,
    order: rank * 1000 + i,
  }));
  const byGender: Record<Gender, CharEntry[]> = { f: [], m: [], n: [] };
  for (const c of chars) byGender[c.gender].push(c);
  return {
    name: f.name,
    lower: f.name.toLowerCase(),
    chars,
    byGender,
    places: [...f.places, ...f.places, ...GENERIC_PLACES],
  };
}

/** Invented long-tail fandoms ("The Borrowed Harbour (TV)") with invented casts. */
function extraFandoms(count: number, seed: number, taken: Set<string>): DemoFandom[] {
  const r = new Random(seed, 0x66616e64);
  const out: DemoFandom[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 50) {
    const [medium, suffix] = r.pick(EXTRA_FANDOM_MEDIA);
    let base: string;
    switch (r.int(0, 4)) {
      case 0:
        base = `The ${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)}`;
        break;
      case 1:
        base = `${r.pick(TITLE_NOUNS)} & ${r.pick(TITLE_NOUNS)}`;
        break;
      case 2:
        base = `${r.pick(TITLE_GERUNDS)} the ${r.pick(TITLE_NOUNS)}`;
        break;
      case 3:
        base = `Chronicles of the ${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_PLURALS)}`;
        break;
      default:
        base = `${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_PLURALS)}`;
    }
    const name = base + suffix;
    if (taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    const n = r.int(6, 10);
    const genders: Gender[] = ["f", "m", "f", "m"];
    while (genders.length < n) genders.push(r.pick<Gender>(["f", "m", "f", "m", "n"]));
    r.shuffle(genders);
    const names = new Set<string>();
    const characters = [];
    for (const g of genders) {
      const list = g === "f" ? FIRST_NAMES_F : g === "m" ? FIRST_NAMES_M : FIRST_NAMES_N;
      for (let attempt = 0; attempt < 10; attempt++) {
        const first = r.pick(list);
        const full = `${first} ${r.pick(SURNAMES)}`;
        if (names.has(full) || taken.has(full.toLowerCase())) continue;
        names.add(full);
        characters.push({ name: full, short: first, gender: g });
        break;
      }
    }
    out.push({ name, medium, characters, places: [] });
  }
  return out;
}

/** Freeform names that announce sexual content (the shared AO3 list has many). */
const ADULT_TAG = new RegExp(
  [
    // Word starts ("Sexual Tension", "Masturbation").
    "\\b(?:sex|smut|porn|pwp|kink|masturbat|prostitut|erotic|orgasm|fuck|felching|rimming|fingering",
    "|frottage|cunnilingus|bdsm|bondage|incest|twincest|omegaverse|knotting|mpreg|lactation|voyeur",
    "|exhibitionis|spanking|fisting|pegging|tentacle|bestiality|nipple|lingerie|slut|hickey|nsfw",
    "|non-?con|dub-?con|underage)",
    // Whole words ("Anal Sex" but not "Analysis").
    "|\\b(?:rape[ds]?|anal|oral|cock|cum|top|bottom|heat|rut|alpha|omega|virgin|explicit|lemon",
    "|d/s|dom/sub|submissive|dominant|breeding|choking|biting|nude|naked|aftercare|humping|grinding",
    "|snogging|making out|first time|blow ?jobs?|deep ?throat|threesome|foursome|wet dreams?",
    "|come ?play|strap-?ons?|vibrators?|sex toys?|watersports|dirty talk|lap dances?)\\b",
  ].join(""),
  "i",
);

const tablesCache = new Map<string, Tables>();

function buildTables(seed: number, extra: number, sharedDir: string | undefined): Tables {
  const key = `${seed}\u0000${extra}\u0000${sharedDir ?? ""}`;
  const hit = tablesCache.get(key);
  if (hit !== undefined) return hit;
  const taken = new Set<string>();
  for (const f of FANDOMS) {
    taken.add(f.name.toLowerCase());
    for (const c of f.characters) taken.add(c.name.toLowerCase());
  }
  const all = [...FANDOMS, ...extraFandoms(extra, seed, taken)];
  const fandoms = all.map((f, i) => fandomEntry(f, i));
  const free = loadFreeformTags(sharedDir);
  // Freeforms that clash with a fandom or character name would only be dropped as
  // duplicates; leave them out of the table instead.
  const freeNames: string[] = [];
  const freeWeights: number[] = [];
  for (let i = 0; i < free.names.length; i++) {
    const name = free.names[i] as string;
    if (taken.has(name.toLowerCase())) continue;
    freeNames.push(name);
    freeWeights.push(free.weights[i] as number);
  }
  const crossoverTag = freeNames.find((n) => n === "Crossover") ?? null;
  const tables: Tables = {
    fandoms,
    fandomTable: zipfTable(fandoms.length, 1.0),
    freeNames,
    freeLower: freeNames.map((n) => n.toLowerCase()),
    freeTable: new WeightTable(freeWeights),
    freeAdult: Uint8Array.from(freeNames, (n) => (ADULT_TAG.test(n) ? 1 : 0)),
    crossoverTag,
    ratingTable: new WeightTable(RATING_WEIGHTS),
    categoryTable: new WeightTable(CATEGORY_WEIGHTS),
    languageTable: new WeightTable(LANGUAGES.map((l) => l[1])),
  };
  if (tablesCache.size > 16) tablesCache.clear();
  tablesCache.set(key, tables);
  return tables;
}

// ---------------------------------------------------------------------------------------
// Per-work pieces

function drawWarnings(r: Random, rating: Rating): string[] {
  // P(NAWA) = 4.10M / 7.27M works. Otherwise CNTW and/or specific warnings, with
  // conditional probabilities chosen so the marginals match AO3's counts.
  if (r.chance(0.563)) return [NAWA];
  const out: string[] = [];
  if (r.chance(0.44)) out.push(CNTW);
  if (r.chance(0.164)) out.push(WARNINGS[1]);
  if (r.chance(0.119)) out.push(WARNINGS[2]);
  const general = rating === "General Audiences";
  if (r.chance(0.061) && !general) out.push(WARNINGS[4]);
  if (r.chance(0.056) && !general) out.push(WARNINGS[5]);
  if (out.length === 0) out.push(CNTW);
  return out;
}

function drawCategories(r: Random, t: Tables): Category[] {
  const roll = r.next();
  const n = roll < 0.04 ? 0 : roll < 0.82 ? 1 : 2;
  if (n === 0) return [];
  const first = r.weighted(t.categoryTable);
  if (n === 1) return [CATEGORIES[first] as Category];
  let second = first;
  for (let i = 0; i < 8 && second === first; i++) second = r.weighted(t.categoryTable);
  if (second === first) return [CATEGORIES[first] as Category];
  const [a, b] = first < second ? [first, second] : [second, first];
  return [CATEGORIES[a] as Category, CATEGORIES[b] as Category];
}

/** A plausible typo of a name: two letters swapped, one dropped, or one doubled. */
export function misspell(r: Random, name: string): string {
  for (let attempt = 0; attempt < 10; attempt++) {
    const i = r.int(1, Math.max(1, name.length - 2));
    const a = name.charAt(i);
    const b = name.charAt(i + 1);
    const isLetter = (c: string) => /\p{L}/u.test(c);
    let out: string;
    const op = r.int(0, 2);
    if (op === 0 && isLetter(a) && isLetter(b) && a !== b) {
      out = name.slice(0, i) + b + a + name.slice(i + 2);
    } else if (op === 1 && isLetter(a) && name.length > 3) {
      out = name.slice(0, i) + name.slice(i + 1);
    } else if (op === 2 && isLetter(a)) {
      out = name.slice(0, i) + a + name.slice(i);
    } else {
      continue;
    }
    if (out.toLowerCase() !== name.toLowerCase()) return out;
  }
  return `${name}e`;
}

/** Mutable per-work tag collector that rejects case-insensitive duplicates. */
class TagSet {
  readonly seen = new Set<string>();
  size = 0;
  add(list: string[], name: string, lower = name.toLowerCase()): boolean {
    if (this.seen.has(lower)) return false;
    this.seen.add(lower);
    list.push(name);
    this.size++;
    return true;
  }
}

class WorkCast {
  constructor(
    readonly r: Random,
    readonly fandoms: FandomEntry[],
  ) {}

  private fandom(): FandomEntry {
    const fs = this.fandoms;
    if (fs.length === 1 || this.r.chance(0.55)) return fs[0] as FandomEntry;
    return fs[this.r.int(0, fs.length - 1)] as FandomEntry;
  }

  pick(gender?: Gender): CharEntry {
    let f = this.fandom();
    if (gender !== undefined) {
      let list = f.byGender[gender];
      if (list.length === 0) {
        f = this.fandoms.find((x) => x.byGender[gender].length > 0) ?? f;
        list = f.byGender[gender];
      }
      if (list.length > 0) return list[this.r.zipfIndex(list.length, 1.1)] as CharEntry;
    }
    return f.chars[this.r.zipfIndex(f.chars.length, 1.1)] as CharEntry;
  }

  /** Distinct characters of the given genders (any gender where undefined). */
  group(genders: readonly (Gender | undefined)[]): CharEntry[] | null {
    for (let attempt = 0; attempt < 12; attempt++) {
      const out: CharEntry[] = [];
      for (const g of genders) {
        const c = this.pick(attempt < 8 ? g : undefined);
        if (out.includes(c)) break;
        out.push(c);
      }
      if (out.length === genders.length) return out.sort((a, b) => a.order - b.order);
    }
    return null;
  }
}

const ROMANCE_GENDERS: Record<
  Exclude<Category, "Gen">,
  readonly (readonly (Gender | undefined)[])[]
> = {
  "F/F": [["f", "f"]],
  "F/M": [["f", "m"]],
  "M/M": [["m", "m"]],
  Multi: [
    [undefined, undefined, undefined],
    ["f", "m", "m"],
    ["f", "f", "m"],
  ],
  Other: [["n", undefined]],
};

interface TagResult {
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  main: FandomEntry;
  x: CharEntry;
  y: CharEntry;
}

function drawTags(
  r: Random,
  t: Tables,
  categories: readonly Category[],
  rating: Rating,
): TagResult {
  const allowAdult = rating === "Mature" || rating === "Explicit" || rating === "Not Rated";
  const total = Math.max(1, Math.min(40, Math.round(r.logNormal(12, 0.6))));
  const tags = new TagSet();

  // Fandoms: mostly one, sometimes a crossover of two or three.
  const roll = r.next();
  const wantFandoms = Math.min(total, roll < 0.88 ? 1 : roll < 0.98 ? 2 : 3);
  const fandomEntries: FandomEntry[] = [];
  const fandoms: string[] = [];
  for (let attempt = 0; fandomEntries.length < wantFandoms && attempt < 20; attempt++) {
    const f = t.fandoms[r.weighted(t.fandomTable)] as FandomEntry;
    if (tags.add(fandoms, f.name, f.lower)) fandomEntries.push(f);
  }
  const cast = new WorkCast(r, fandomEntries);
  let remaining = total - fandoms.length;

  // Relationships, consistent with the categories.
  const romantic = categories.filter((c): c is Exclude<Category, "Gen"> => c !== "Gen");
  const planned =
    romantic.length > 0
      ? romantic.length + (r.chance(0.35) ? r.int(1, 3) : 0)
      : r.chance(0.45)
        ? r.int(1, 2)
        : 0;
  const nRel = Math.min(planned, Math.ceil(remaining * 0.4));
  const relationships: string[] = [];
  const relChars: CharEntry[] = [];
  for (
    let i = 0, attempts = 0;
    relationships.length < nRel && attempts < nRel * 4;
    attempts++, i++
  ) {
    const cat = i < romantic.length ? romantic[i] : r.chance(0.4) ? romantic[0] : undefined;
    let group: CharEntry[] | null;
    let sep: string;
    if (cat !== undefined) {
      group = cast.group(r.pick(ROMANCE_GENDERS[cat]));
      sep = "/";
    } else {
      group = cast.group([undefined, undefined]);
      sep = " & ";
    }
    if (group === null) continue;
    const name = group.map((c) => c.name).join(sep);
    if (name.length > 150) continue;
    if (tags.add(relationships, name)) {
      for (const c of group) if (!relChars.includes(c)) relChars.push(c);
    }
  }
  remaining = total - tags.size;

  // Characters: those in the relationships first, then others from the fandoms.
  const nChar = Math.round(remaining * r.float(0.25, 0.6));
  const characters: string[] = [];
  const charEntries: CharEntry[] = [];
  for (const c of relChars) {
    if (characters.length >= nChar) break;
    if (tags.add(characters, c.name, c.lower)) charEntries.push(c);
  }
  for (let attempts = 0; characters.length < nChar && attempts < nChar * 3; attempts++) {
    const c = cast.pick();
    if (tags.add(characters, c.name, c.lower)) charEntries.push(c);
  }

  // Freeforms by popularity.
  const freeforms: string[] = [];
  if (fandoms.length > 1 && t.crossoverTag !== null && tags.size < total && r.chance(0.5)) {
    tags.add(freeforms, t.crossoverTag);
  }
  for (let attempts = 0; tags.size < total && attempts < 200; attempts++) {
    const i = r.weighted(t.freeTable);
    if (!allowAdult && t.freeAdult[i] === 1) continue;
    if (FIXED_TAG_NAMES.has(t.freeLower[i] as string)) continue;
    tags.add(freeforms, t.freeNames[i] as string, t.freeLower[i]);
  }

  // ~3% of works misspell a character's name, for tag wrangling to fix later.
  if (r.chance(0.03)) {
    const victim = charEntries.length > 0 ? r.pick(charEntries) : cast.pick();
    const typo = misspell(r, victim.name);
    if (!tags.seen.has(typo.toLowerCase())) {
      const at = characters.indexOf(victim.name);
      if (at >= 0) {
        characters[at] = typo;
      } else if (tags.size >= 40 && freeforms.length > 0) {
        freeforms.pop();
        characters.push(typo);
      } else {
        characters.push(typo);
      }
      tags.seen.add(typo.toLowerCase());
    }
  }

  // The two leads of the story.
  const x = relChars[0] ?? charEntries[0] ?? cast.pick();
  let y = relChars[1] ?? charEntries.find((c) => c !== x);
  if (y === undefined) {
    for (let i = 0; i < 10 && (y === undefined || y === x); i++) y = cast.pick();
  }
  const main = fandomEntries[0];
  if (main === undefined) throw new Error("a work without a fandom");
  return { fandoms, relationships, characters, freeforms, main, x, y: y ?? x };
}

const DAY = 86_400_000;
const SPAN = 3 * 365 * DAY;

function drawStyle(r: Random, english: boolean): TextStyle {
  const roll = r.next();
  const markup: TextStyle["markup"] = !english
    ? "plain"
    : roll < 0.6
      ? "plain"
      : roll < 0.92
        ? "inline"
        : "html";
  const tagged = markup !== "plain";
  return {
    markup,
    em: r.chance(0.6) ? "em" : "i",
    bold: r.chance(0.5) ? "b" : "strong",
    povBold: tagged && r.chance(0.3),
    blockquoteLetters: tagged && r.chance(0.4),
    curly: r.chance(0.3),
    sceneBreak: r.pick(SCENE_BREAKS),
  };
}

function clampText(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}

function defaultNow(): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * Streams `opts.works` demo works authored by `users`. Never holds more than one work.
 */
export function* generateWorks(opts: GenerateOptions, users: DemoUser[]): Generator<DemoWork> {
  const seed = opts.seed ?? 1;
  const bodies = opts.bodies ?? "full";
  const now = opts.now ?? defaultNow();
  const works = Math.max(0, Math.floor(opts.works));
  if (works === 0) return;
  const authorCount = Math.min(users.length, opts.users ?? users.length);
  if (authorCount < 1) throw new Error("generateWorks needs at least one user");
  const extra =
    opts.extraFandoms ?? (works >= 10_000 ? Math.min(2000, Math.floor(works / 500)) : 0);
  const t = buildTables(seed, extra, opts.sharedDir);

  // Authorship: Zipf over a seeded permutation of the authors.
  const authorOrder = new Random(seed, 0x61757468).shuffle(
    Array.from({ length: authorCount }, (_, i) => i),
  );
  const authorTable = zipfTable(authorCount, authorCount <= 50 ? 0.8 : 1.0);
  const multiTable = zipfTable(bodies === "full" ? 11 : 59, 1.4);

  const r = new Random(seed);
  const rt = new Random(seed);
  for (let i = 0; i < works; i++) {
    r.reseed(seed, 2 * i);
    rt.reseed(seed, 2 * i + 1);

    const userIndex = authorOrder[r.weighted(authorTable)] as number;
    const user = users[userIndex] as DemoUser;
    const pseud =
      user.pseuds.length > 1 && r.chance(0.25)
        ? (user.pseuds[r.int(1, user.pseuds.length - 1)] as string)
        : (user.pseuds[0] ?? user.login);

    const language = LANGUAGES[r.weighted(t.languageTable)]?.[0] ?? "en";
    const foreign: ForeignLanguage | null = isForeignLanguage(language) ? language : null;
    const rating = RATINGS[r.weighted(t.ratingTable)] as Rating;
    const warnings = drawWarnings(r, rating);
    const categories = drawCategories(r, t);
    const tags = drawTags(r, t, categories, rating);
    const style = drawStyle(r, foreign === null);
    const x = tags.x.person;
    const y = tags.y.person;
    const places = tags.main.places;
    const scene: Scene = {
      r,
      S: x,
      O: y,
      places: places.length > 0 ? places : GENERIC_PLACES,
      em: null,
    };
    const cast: ProseCast = { x, y, places: scene.places };

    // Chapters and completion.
    let chapterCount = 1;
    let expectedChapters: number | null = 1;
    const single = r.chance(0.6);
    const u = r.next();
    const wip = r.next();
    const wipKind = r.next();
    if (single) {
      if (wip < 0.05) expectedChapters = wipKind < 0.5 ? null : 2 + Math.floor(wipKind * 16);
    } else {
      chapterCount = 2 + multiTable.indexAt(u);
      expectedChapters = chapterCount;
      if (wip < 0.3) {
        expectedChapters =
          wipKind < 0.4
            ? null
            : Math.min(
                1000,
                chapterCount + 1 + Math.floor(((wipKind - 0.4) / 0.6) * chapterCount * 1.5),
              );
      }
    }

    // Title, summary, notes.
    const title = clampText(
      (foreign ? foreignTitle(r, foreign) : englishTitle(r, x, y)).trim() || "Untitled",
      255,
    );
    const summary = clampText(
      foreign ? foreignSummary(r, foreign, x, y) : englishSummary(scene),
      1250,
    );
    let notes = "";
    if (style.povBold) {
      // A note that names whose POV is bold should name tagged characters.
      const named = [...tags.characters, ...tags.relationships].join("\n").toLowerCase();
      for (const lead of [tags.x, tags.y]) {
        if (!named.includes(lead.name.toLowerCase()) && !tags.characters.includes(lead.name)) {
          tags.characters.push(lead.name);
        }
      }
      // Named as tagged (first name), not by nickname, so readers can match note and tags.
      const first = (c: CharEntry) => ({ ...c.person, name: c.name.split(" ")[0] ?? c.name });
      notes = povNote(r, first(tags.x), first(tags.y));
      if (r.chance(0.4)) notes += `\n\n${englishNotes(r, tags.fandoms[0] ?? "", true)}`;
    } else if (r.chance(0.4)) {
      notes = foreign
        ? foreignNote(r, foreign)
        : englishNotes(r, tags.fandoms[0] ?? "", style.markup !== "plain");
    }
    notes = clampText(notes, 5000);
    const endNotes = r.chance(0.25) ? (foreign ? foreignNote(r, foreign) : englishEndNotes(r)) : "";

    // Chapters.
    const titled = chapterCount > 1 && r.chance(0.5);
    const titleStyle = r.pick(["phrase", "phrase", "phrase", "part", "bookend"] as const);
    const meanWords = Math.exp(rt.float(Math.log(300), Math.log(4000)));
    const chapters: DemoChapter[] = [];
    for (let c = 0; c < chapterCount; c++) {
      const chTitle = titled
        ? foreign
          ? foreignChapterTitle(r, foreign, c + 1)
          : englishChapterTitle(r, titleStyle, c, chapterCount, x, y)
        : null;
      const multi = chapterCount > 1;
      const chSummary =
        multi && r.chance(0.12) ? clampText(englishSummaryOr(foreign, r, scene, x, y), 1250) : "";
      const chNotes =
        multi && c > 0 && r.chance(0.2)
          ? foreign
            ? foreignNote(r, foreign)
            : englishChapterNote(r)
          : "";
      const chEnd =
        multi && r.chance(0.12) ? (foreign ? foreignNote(r, foreign) : englishEndNotes(r)) : "";
      let text: string;
      if (bodies === "full") {
        const words = Math.round(Math.min(4000, Math.max(300, meanWords * rt.float(0.7, 1.3))));
        text = foreign
          ? foreignText(rt, foreign, x, y, Math.min(words, rt.int(300, 1200)))
          : englishChapter(rt, cast, style, words);
      } else if (bodies === "short") {
        text = foreign
          ? foreignText(rt, foreign, x, y, rt.int(20, 90))
          : englishShort(rt, cast, style, rt.int(1, 3));
      } else {
        text = foreign ? foreignSentence(rt, foreign, x) : englishSentence(rt, cast, style);
      }
      while (text.length < 10)
        text += foreign ? foreignSentence(rt, foreign, y) : " Neither of them moved.";
      chapters.push({
        title: chTitle === null ? null : clampText(chTitle, 255),
        summary: chSummary,
        notes: chNotes,
        endNotes: chEnd,
        text: clampText(text, 510_000),
      });
    }

    // Dates: skewed towards the recent past, like a growing archive.
    const publishedAt = now - Math.floor(SPAN * Math.pow(r.next(), 1.4));
    let updatedAt = publishedAt;
    if (chapterCount > 1) {
      let gaps = 0;
      for (let c = 1; c < chapterCount; c++) gaps += r.int(1, 21) * DAY + r.int(0, DAY - 1);
      updatedAt = Math.min(now, publishedAt + gaps);
    } else if (r.chance(0.15)) {
      updatedAt = Math.min(now, publishedAt + r.int(0, 60 * DAY));
    }
    if (updatedAt < publishedAt) updatedAt = publishedAt;

    yield {
      userIndex,
      pseud,
      title,
      summary,
      notes,
      endNotes,
      rating,
      warnings,
      categories,
      fandoms: tags.fandoms,
      relationships: tags.relationships,
      characters: tags.characters,
      freeforms: tags.freeforms,
      language,
      expectedChapters,
      restricted: r.chance(0.05),
      publishedAt,
      updatedAt,
      chapters,
    };
  }
}

function englishSummaryOr(
  foreign: ForeignLanguage | null,
  r: Random,
  scene: Scene,
  x: Person,
  y: Person,
): string {
  return foreign ? foreignSummary(r, foreign, x, y) : englishSummary(scene);
}

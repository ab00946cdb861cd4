/**
 * Generated English chapter text, typed the way authors type it: plain text with blank
 * lines between paragraphs, optionally with inline HTML (bold for one character's point of
 * view, italics for thoughts and emphasis, a blockquoted letter), or fully HTML-authored
 * with <p> paragraphs. All sentences come from the templates below, written for Fanfold.
 */
import type { Random } from "./random.ts";
import type { EmTag, Person, Scene, Template } from "./template.ts";
import { compile, compileAll, renderTemplate } from "./template.ts";
import { FRAGMENTS, LETTER_CLOSINGS, POEM_ADJECTIVES, POEM_NOUNS } from "./vocabulary.ts";

/** How a work's text is typed. */
export interface TextStyle {
  /** plain: no markup; inline: plain paragraphs with inline tags; html: <p> paragraphs. */
  markup: "plain" | "inline" | "html";
  em: EmTag;
  bold: "b" | "strong";
  /** One character's sections are in bold (the notes say so). */
  povBold: boolean;
  /** Letters are wrapped in <blockquote>. */
  blockquoteLetters: boolean;
  /** Typographic quotes and apostrophes (“ ” ’), as word processors produce. */
  curly: boolean;
  sceneBreak: string;
}

const NARRATION = compileAll([
  "{S} set {thing} down on {surface} and didn't look up.",
  "{S.S} had been awake since {time}, and it showed.",
  "{O} was already at {place} when {S} arrived, {O.p} {clothing} still damp from the {wet}.",
  "It took {S} a long moment to realise {S.s} had been holding {S.p} breath.",
  "{S} turned {thing} over in {S.p} hands, the way {S.s} always did when the words wouldn't come.",
  "The silence stretched between them, not quite uncomfortable.",
  "{S.S} thought about {O} more than {S.s} would ever admit.",
  "{Sound} drifted in from {place}.",
  "{S} laughed despite {S.r}.",
  "{O} watched {S.o} with an expression {S.s} couldn't read.",
  "{S.S} wanted to say something, anything, but the words stuck in {S.p} throat.",
  "There was {athing} on {surface} that hadn't been there yesterday.",
  "{S} pressed {S.p} palm flat against {surface} and counted to ten.",
  "By the time {S.s} reached {place}, the light had gone {color}.",
  "{S.S} remembered the first time {S.s} had seen {O} — {memory}.",
  "{O} didn't answer, which was an answer in itself.",
  "{S} let the door fall shut behind {S.o}.",
  "It was {time}, and everything at {place} was quiet for once.",
  "{S} made two cups of tea out of habit and then stood staring at the second one.",
  "The {weatherN} hadn't let up for three days.",
  "{S} caught {O.p} wrist before {O.s} could pull away.",
  "{O.S} smelled of {smell} and something warmer underneath.",
  "{S} had rehearsed this conversation a hundred times, and none of the versions had gone like this.",
  "Neither of them moved.",
  "{S.S} felt {emotion} rise in {S.p} chest, sharp and unwelcome.",
  "{S} folded {thing} into {S.p} pocket and tried not to think about what it meant.",
  "{O} was asleep in the chair by the window, head tipped back, mouth slightly open.",
  "For a while, {S} just listened to {O} breathe.",
  "{S.S} should have left hours ago.",
  "The lamplight caught the edge of {O.p} face, and {S} forgot what {S.s} had been about to say.",
  "{S} knocked twice, waited, and knocked again.",
  "{S.S} didn't sleep that night.",
  "Later — much later — {S} would remember this as the moment everything changed.",
  "{O} shrugged, as if it didn't matter, as if it hadn't mattered for years.",
  "{S} swallowed hard.",
  "{S.S} {S.was} tired of pretending not to care.",
  "The walk back to {place} took longer than it should have.",
  "{S} wrapped {S.p} hands around {thing} and waited for {O} to say something.",
  "{O.S} {O.was} smiling, small and crooked, the way {O.s} only ever smiled at {S}.",
  "Outside, {weather}.",
  "{S} had never been good at goodbyes.",
  "{S.S} ran a hand through {S.p} hair and sighed.",
  "Something in {O.p} voice made {S} look up.",
  "They ate in silence, knees almost touching under the table.",
  "{S} found {O} at {place}, exactly where {S.s} had known {O.s} would be.",
  "The whole of {place} seemed to hold its breath.",
  "{O} reached over and, very gently, took {thing} from {S.p} hands.",
  "{S} told {S.r} it was nothing.",
  "Afterwards, neither of them talked about it.",
  "{S.S} had a terrible feeling that {S.s} knew exactly how this would end.",
  "{O} was late. {O} was never late.",
  "{S} leaned against {surface} and closed {S.p} eyes.",
  "The worst part was that {S.s} {S.wasnt} even surprised.",
  "{S} followed {O} down to {place} without asking why.",
  "{S.S} {S.was} _not_ going to cry, not here, not in front of {O}.",
  "It was, {S} decided, entirely {O.p} fault.",
  "{S} had known {O} for six years, and {S.s} still couldn't tell when {O.s} {O.was} lying.",
  "There were a hundred reasons to leave and only one to stay, and {O.s} {O.was} standing right there.",
  "{S} picked up {thing}, put it down, and picked it up again.",
  "The kettle clicked off; nobody moved to pour.",
  "Three steps, then four, and then {S} was close enough to touch.",
  "{O} had a way of filling a room without saying a word.",
  "Somewhere between {place} and home, {S} lost track of the time.",
  "{S} did the sensible thing, for once, and said nothing at all.",
]);

const DESCRIPTION = compileAll([
  "{Place} smelled of {smell} and {smell}.",
  "Outside, {weather}, and the windows rattled in their frames.",
  "Everything at {place} was exactly where it had always been, which somehow made it worse.",
  "Dust hung in the air, gold in the late sun.",
  "The sky over {place} was {color} and heavy with {wet}.",
  "Someone had left {athing} on {surface}, and no one had thought to move it.",
  "Far off, there was {sound}, and then nothing.",
  "It had been a long winter, and it wasn't over yet.",
  "The light was going {color} at the edges, the way it always did at {time}.",
  "At this hour there was nobody at {place}, only long shadows and the smell of {smell}.",
]);

/** Short conversations; speakers alternate line by line, {O} is always the listener. */
const CONVERSATIONS: readonly Template[][] = [
  ["You're late.", "I know. I'm sorry.", "Where were you?"],
  ["I didn't think you'd come back.", "Neither did I."],
  ["Don't look at me like that.", "Like what?", "Like you're about to forgive me."],
  ["We need to talk about {thing}.", "Do we have to?", "Yes, {O}. We do."],
  ["I'm fine. Really.", "You're not fine.", "I will be."],
  ["Stay. Please.", "Okay.", "Okay?", "Okay. I'll stay."],
  ["How long have you known?", "Long enough.", "And you didn't think to tell me?"],
  [
    "I _told_ you this would happen.",
    "You could have _stopped_ me.",
    "Since when has anyone been able to stop you?",
  ],
  ["It's not that simple, {O}.", "Then make it simple."],
  ["Do you trust me?", "That's not fair.", "It's a yes or no question."],
  ["I missed you.", "I missed you too. Every day."],
  ["That's the worst idea you've ever had.", "Well, it's the only one we've got."],
  [
    "Tell me what happened at {place}.",
    "You already know what happened.",
    "I want to hear it from you.",
  ],
  ["You kept it. All this time, you kept it.", "Of course I kept it."],
  ["Have you eaten anything today?", "Define 'eaten'.", "{O}."],
  ["You're impossible.", "And you love it.", "Unfortunately."],
  [
    "Are you going to tell me what's wrong, or do I have to guess?",
    "Nothing's wrong.",
    "Guessing it is, then.",
  ],
  ["I didn't mean it like that.", "Then how did you mean it?"],
  ["Come here.", "Why?", "Just — come here."],
  ["We don't have time for this.", "We have all the time in the world."],
  ["Promise me.", "I can't promise that.", "Then lie to me."],
  ["What happens now?", "Now we go home.", "Home. Right."],
  ["If you laugh, I'm leaving.", "I'm not laughing.", "You're _definitely_ laughing."],
  ["Is this okay?", "It's more than okay."],
  ["Can I ask you something?", "You're going to anyway.", "Why did you stay?"],
  ["Meet me at {place}. Tonight.", "Is that a good idea?", "Probably not."],
  ["Go to sleep, {O}.", "Only if you do."],
  ["Thank you. For everything.", "Don't thank me yet."],
  ["Why does it always have to be you?", "Because nobody else will."],
  ["Say that again.", "Which part?", "All of it."],
  ["I was _worried_ about you.", "I know.", "Do you? Do you really?"],
  ["Since when do you care?", "Since always, you idiot."],
].map((lines) => lines.map(compile));

const BEATS = compileAll([
  "{S} sighed.",
  "{S} looked away.",
  "{S} set down {thing}.",
  "{S.S} didn't turn around.",
  "{S} rubbed {S.p} eyes.",
  "{S} took a breath.",
  "{S} crossed {S.p} arms.",
  "{S.S} tried for a smile and didn't quite manage it.",
]);

const THOUGHTS = compileAll([
  "This is a terrible idea.",
  "Don't be stupid.",
  "Say something.",
  "Not again. Not now.",
  "Of course it's {O}.",
  "Breathe.",
  "You could just tell {O.o} the truth.",
  "It doesn't matter. It doesn't.",
  "Stay.",
]);

const LETTER_SENTENCES = compileAll([
  "I don't know if this will reach you.",
  "The {weatherN} here hasn't stopped since you left.",
  "I kept {thing} you gave me.",
  "I think about {place} more than I should.",
  "Write back, if you can. Or don't. But I'll be waiting.",
  "Everyone asks about you. I tell them you're well, and I hope that isn't a lie.",
  "I'm sorry for what I said at {place}. I was wrong, and I think you knew it before I did.",
  "There's so much I meant to tell you and never did.",
]);

const POEM_LINES = compileAll(
  [
    "the {pn} remembers what the {pn} forgot",
    "and I am {pa} again,",
    "salt on the tongue, {pn} in the mouth,",
    "every {pn} a door I did not open",
    "hold still, hold still, the {pn} is listening",
    "I kept your {pn} in a jar by the window",
    "we were {pa} once, and {pa}",
    "somewhere the {pn} is still burning",
    "and you, {pa} as the {pn}, came home",
  ].map((s) => s.replaceAll("{pn}", "\u0001").replaceAll("{pa}", "\u0002")),
);

const COMPILED_FRAGMENTS = compileAll(FRAGMENTS);

const SHORT_SENTENCES = compileAll([
  "{S} set {thing} down and didn't look up.",
  "{S.S} had been awake since {time}.",
  "{O} was already waiting at {place}.",
  "Neither of them moved.",
  "{S} laughed despite {S.r}.",
  "Outside, {weather}.",
  "{S} knocked twice and waited.",
  "The {weatherN} hadn't let up for days.",
]);

const DEAR = compile("Dear {O},");

/** Accumulates paragraphs for one chapter and tracks an approximate word count. */
class Page {
  readonly blocks: string[] = [];
  words = 0;
  constructor(
    readonly style: TextStyle,
    readonly r: Random,
  ) {}

  private wrapInline(text: string, bold: boolean): string {
    return bold ? `<${this.style.bold}>${text}</${this.style.bold}>` : text;
  }

  para(text: string, bold = false): void {
    this.words += countWords(text);
    const t = this.wrapInline(text, bold && this.style.markup !== "plain");
    this.blocks.push(this.style.markup === "html" ? `<p>${t}</p>` : t);
  }

  /** Lines with single line breaks (a poem or a short letter). */
  lines(lines: readonly string[], bold = false): void {
    for (const l of lines) this.words += countWords(l);
    if (this.style.markup === "html") {
      this.blocks.push(`<p>${this.wrapInline(lines.join("<br />\n"), bold)}</p>`);
    } else {
      this.blocks.push(this.wrapInline(lines.join("\n"), bold && this.style.markup !== "plain"));
    }
  }

  letter(greeting: string, body: readonly string[], closing: string, signature: string): void {
    for (const l of body) this.words += countWords(l);
    this.words += 4;
    const markup = this.style.markup;
    if (markup === "html") {
      const inner = [`<p>${greeting}</p>`, ...body.map((b) => `<p>${b}</p>`)];
      inner.push(`<p>${closing},<br />\n${signature}</p>`);
      this.blocks.push(
        this.style.blockquoteLetters
          ? `<blockquote>\n${inner.join("\n")}\n</blockquote>`
          : inner.join("\n"),
      );
    } else if (markup === "inline" && this.style.blockquoteLetters) {
      this.blocks.push(
        `<blockquote>${greeting}\n\n${body.join("\n\n")}\n\n${closing},\n${signature}</blockquote>`,
      );
    } else {
      this.blocks.push([greeting, ...body, `${closing},`, signature].join("\n"));
    }
  }

  sceneBreak(): void {
    const b = this.style.sceneBreak;
    if (this.style.markup === "html") this.blocks.push(b === "---" ? "<hr />" : `<p>${b}</p>`);
    else this.blocks.push(b);
  }

  toString(): string {
    let text = this.blocks.join(this.style.markup === "html" ? "\n" : "\n\n");
    if (this.style.curly) text = curlify(text);
    return text;
  }
}

export function countWords(s: string): number {
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 32) n++;
  return n;
}

/** Straight quotes → typographic ones, as a word processor would have typed them. */
export function curlify(text: string): string {
  return text.replace(/"([^"\n]*)"/g, "“$1”").replaceAll("'", "’");
}

/** One line of dialogue as a paragraph, tagged ("she said"), with a beat, or bare. */
function dialogue(c: Scene, line: string, first: boolean): string {
  const form = c.r.int(0, 9);
  if (form < (first ? 6 : 3)) {
    const who = c.r.chance(0.5) ? c.S.name : c.S.s;
    const verb = line.endsWith("?")
      ? renderTemplateSlot(c, "asked")
      : renderTemplateSlot(c, "said");
    const spoken = line.endsWith(".") ? `${line.slice(0, -1)},` : line;
    const tail = c.r.chance(0.25) ? `, ${renderTemplateSlot(c, "participle")}` : "";
    return `"${spoken}" ${who} ${verb}${tail}.`;
  }
  if (form < 6) return `${renderTemplate(c.r.pick(BEATS), c)} "${line}"`;
  return `"${line}"`;
}

const SLOT_CACHE = new Map<string, Template>();
function renderTemplateSlot(c: Scene, slot: string): string {
  let t = SLOT_CACHE.get(slot);
  if (t === undefined) {
    t = compile(`{${slot}}`);
    SLOT_CACHE.set(slot, t);
  }
  return renderTemplate(t, c);
}

function narrationParagraph(c: Scene, sentences: number): string {
  let text = "";
  const used: Template[] = [];
  for (let i = 0; i < sentences; i++) {
    const pool = c.r.chance(0.2) ? DESCRIPTION : NARRATION;
    let t = c.r.pick(pool);
    // No sentence twice in one paragraph.
    for (let k = 0; k < 4 && used.includes(t); k++) t = c.r.pick(pool);
    if (used.includes(t)) continue;
    used.push(t);
    text += (text === "" ? "" : " ") + renderTemplate(t, c);
  }
  return text;
}

function thought(c: Scene): string {
  const t = renderTemplate(c.r.pick(THOUGHTS), c);
  if (c.em === null) {
    return c.r.chance(0.5) ? `${t.replace(/[.]$/, "")}, ${c.S.s} thought.` : `${t}`;
  }
  const tagged = `<${c.em}>${t}</${c.em}>`;
  return c.r.chance(0.5) ? tagged : `${tagged} ${renderTemplate(c.r.pick(NARRATION), c)}`;
}

function poem(c: Scene): string[] {
  const n = c.r.int(3, 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = c.r.pick(POEM_LINES);
    let line = "";
    for (const p of t) {
      if (typeof p !== "string") {
        line += p(c);
        continue;
      }
      for (const ch of p) {
        if (ch === "\u0001") line += c.r.pick(POEM_NOUNS);
        else if (ch === "\u0002") line += c.r.pick(POEM_ADJECTIVES);
        else line += ch;
      }
    }
    out.push(line);
  }
  return out;
}

function swap(c: Scene): void {
  const t = c.S;
  c.S = c.O;
  c.O = t;
}

/** Appends one "beat" of story (a paragraph or a short run of dialogue) to the page. */
function addBeat(page: Page, c: Scene, bold: boolean, allowLetters: boolean): void {
  const r = c.r;
  const roll = r.int(0, 99);
  if (roll < 48) {
    page.para(narrationParagraph(c, r.int(1, 6)), bold);
  } else if (roll < 74) {
    const lines = r.pick(CONVERSATIONS);
    const turns = r.chance(0.8) ? lines.length : r.int(1, lines.length);
    for (let i = 0; i < turns; i++) {
      page.para(dialogue(c, renderTemplate(lines[i] as Template, c), i === 0), bold);
      swap(c);
    }
    if (turns % 2 === 1) swap(c);
  } else if (roll < 84) {
    page.para(thought(c), bold);
  } else if (roll < 92) {
    page.para(renderTemplate(r.pick(COMPILED_FRAGMENTS), c), bold);
  } else if (roll < 97 || !allowLetters) {
    page.para(narrationParagraph(c, r.int(2, 4)), bold);
  } else if (roll < 99) {
    const body: string[] = [];
    const n = r.int(1, 3);
    for (let i = 0; i < n; i++) body.push(renderTemplate(r.pick(LETTER_SENTENCES), c));
    page.letter(renderTemplate(DEAR, c), body, r.pick(LETTER_CLOSINGS), c.S.name);
  } else {
    page.lines(poem(c), bold);
  }
}

export interface ProseCast {
  /** The point-of-view character (bold in POV-bold works). */
  x: Person;
  /** The second point of view / the other lead. */
  y: Person;
  places: readonly string[];
}

function sceneFor(r: Random, cast: ProseCast, style: TextStyle): Scene {
  return {
    r,
    S: cast.x,
    O: cast.y,
    places: cast.places,
    em: style.markup === "plain" ? null : style.em,
  };
}

/** A full chapter of roughly `targetWords` words. */
export function englishChapter(
  r: Random,
  cast: ProseCast,
  style: TextStyle,
  targetWords: number,
): string {
  const page = new Page(style, r);
  const c = sceneFor(r, cast, style);
  const most = Math.max(1, Math.min(5, Math.ceil(targetWords / 700)));
  // POV-bold works alternate points of view, so they need at least two sections.
  const sections = style.povBold
    ? Math.max(2, r.int(1, most))
    : targetWords < 600
      ? 1
      : r.int(1, most);
  const perSection = targetWords / sections;
  let xPov = style.povBold ? r.chance(0.5) : true;
  for (let s = 0; s < sections; s++) {
    if (s > 0) page.sceneBreak();
    if (style.povBold) xPov = s === 0 ? xPov : !xPov;
    else xPov = r.chance(0.7);
    c.S = xPov ? cast.x : cast.y;
    c.O = xPov ? cast.y : cast.x;
    const bold = style.povBold && xPov;
    const until = page.words + perSection;
    while (page.words < until) {
      // Keep dialogue speakers honest: every beat starts from the section's POV.
      c.S = xPov ? cast.x : cast.y;
      c.O = xPov ? cast.y : cast.x;
      addBeat(page, c, bold, true);
    }
  }
  return page.toString();
}

/** One to three paragraphs. */
export function englishShort(
  r: Random,
  cast: ProseCast,
  style: TextStyle,
  paragraphs: number,
): string {
  const page = new Page(style, r);
  const c = sceneFor(r, cast, style);
  for (let i = 0; i < paragraphs; i++) {
    const xPov = style.povBold ? i % 2 === 0 : r.chance(0.7);
    c.S = xPov ? cast.x : cast.y;
    c.O = xPov ? cast.y : cast.x;
    const bold = style.povBold && xPov;
    if (i === 0) page.para(narrationParagraph(c, r.int(1, 4)), bold);
    else if (i === 1 && style.markup !== "plain") page.para(thought(c), bold);
    else addBeat(page, c, bold, false);
  }
  return page.toString();
}

/** A single short sentence (at least 10 characters). */
export function englishSentence(r: Random, cast: ProseCast, style: TextStyle): string {
  const c = sceneFor(r, cast, style);
  const s = renderTemplate(r.pick(SHORT_SENTENCES), c);
  return style.markup === "html" ? `<p>${s}</p>` : s;
}

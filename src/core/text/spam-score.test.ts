import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatUserText } from "./sanitize.ts";
import {
  isHeld,
  repeatedShare,
  SPAM_MAX,
  SPAM_THRESHOLD,
  spamScore,
  spamTextOf,
  type SpamSignals,
} from "./spam-score.ts";

const DAY = 86_400_000;

/** Scores an author's input the way the writers do: formatted, then read back as text. */
function scoreOf(input: string, extra: Partial<SpamSignals> = {}) {
  return spamScore({
    ...spamTextOf(formatUserText(input)),
    recentDuplicates: 0,
    recentPosts: 0,
    accountAgeMs: null,
    ...extra,
  });
}

/** An original scene of about 350 words: prose repeats words, hardly ever four in a row. */
const CHAPTER = [
  "The night shift had a sound of its own, Lexie decided, somewhere between the hum of the",
  "vending machines and the soft squeak of nurses' shoes on linoleum. She had counted the",
  "ceiling tiles above the residents' lounge twice already, forty-two of them, one cracked in",
  "the corner like a map of a river nobody had named.",
  "",
  "Mark found her there just after three. He leaned in the doorway with two paper cups and the",
  "expression he wore when he wanted to pretend he had not been looking for her at all.",
  "",
  '"Coffee," he said, as though it explained everything. "Terrible coffee. The good machine',
  'on four is broken again, so this is what we have."',
  "",
  "She took the cup anyway. It was too hot to drink and too bitter to enjoy, and she held it",
  "with both hands because her fingers were cold. Outside, rain traced slow lines down the",
  "window, blurring the lights of the parking structure into orange smudges.",
  "",
  '"You should sleep," Mark told her. "Interns who do not sleep make mistakes, and then I have',
  'to fix their sutures, and you know how much I hate doing charity work."',
  "",
  '"Your bedside manner is legendary."',
  "",
  '"It is. Ask anyone." He sat beside her, close enough that their shoulders touched, and for',
  "a while neither of them said anything. A pager went off down the hall; somebody laughed at",
  "the nurses' station; an elevator chimed and opened on an empty car.",
  "",
  "Lexie thought about the patient in bed eleven, the little girl with the broken wrist who had",
  "asked whether the cast could be purple. She thought about her sister, asleep across town,",
  "and about the exam she had not studied for. Mostly she thought about how warm he was.",
  "",
  '"Tell me something true," she said finally.',
  "",
  "Mark considered the question with more seriousness than she expected. He turned his cup",
  "slowly, watching the steam curl away, and when he answered his voice was quieter than",
  'before. "I like it better when you are here. The hospital, I mean. It is less loud."',
  "",
  "She did not laugh, though she could have. Instead she leaned her head against his arm and",
  "closed her eyes, and listened to the rain until the pager called them both back to work.",
].join("\n");

test("a short happy comment scores nothing", () => {
  const s = scoreOf("yay! loved Mark's POV");
  assert.equal(s.score, 0);
  assert.deepEqual(s.reasons, []);
  assert.equal(isHeld(s), false);
});

test("a few words around three links is held, and says why", () => {
  const s = scoreOf("cheap meds http://a http://b http://c");
  assert.ok(s.score >= SPAM_THRESHOLD, `score ${s.score}`);
  assert.ok(isHeld(s));
  assert.ok(
    s.reasons.some((r) => /3 links in 8 words/.test(r)),
    s.reasons.join("; "),
  );
  assert.ok(s.reasons.some((r) => /cheap meds/.test(r)));
});

test("one link in a short comment is fine; two are held", () => {
  assert.ok(!isHeld(scoreOf("my fic is here: https://example.org/fic")));
  assert.ok(isHeld(scoreOf("see https://a.example and https://b.example")));
});

test("property: no signal but links holds content on its own", () => {
  const quiet = { text: "", links: 0, recentDuplicates: 0, recentPosts: 0, accountAgeMs: null };
  fc.assert(
    fc.property(fc.nat({ max: 1000 }), fc.nat({ max: 30 * DAY }), (n, age) => {
      assert.ok(!isHeld(spamScore({ ...quiet, recentDuplicates: n })));
      assert.ok(!isHeld(spamScore({ ...quiet, recentPosts: n })));
      assert.ok(!isHeld(spamScore({ ...quiet, accountAgeMs: age })));
      assert.ok(!isHeld(spamScore({ ...quiet, text: "lovely story ".repeat(1 + (n % 50)) })));
    }),
  );
});

test("a long chapter with one link stays low, even from a new account", () => {
  const withLink = `${CHAPTER}\n\nMy tumblr: <a href="https://example.org/me">here</a>`;
  const s = scoreOf(withLink, { accountAgeMs: 60_000 });
  assert.ok(s.score < SPAM_THRESHOLD, `score ${s.score}: ${s.reasons.join("; ")}`);
  assert.equal(spamTextOf(formatUserText(withLink)).links, 1);
});

test("links: an anchor whose text is its URL counts once; bare URLs count", () => {
  assert.equal(spamTextOf('<p><a href="https://x.example">https://x.example</a></p>').links, 1);
  assert.equal(spamTextOf("<p>see www.x.example and https://y.example/a?b=c</p>").links, 2);
  assert.equal(spamTextOf("<p><a>no href</a></p>").links, 0);
});

test("repeated text: pasted lines and looping phrases, not ordinary prose", () => {
  assert.equal(repeatedShare("yay"), 0);
  assert.ok(repeatedShare(CHAPTER) < 0.2, String(repeatedShare(CHAPTER)));
  assert.ok(repeatedShare("buy now buy now buy now buy now buy now buy now buy now") > 0.8);
  assert.equal(repeatedShare("visit us\nvisit us\nvisit us"), 1);
  const s = scoreOf("buy my stuff at the shop\n".repeat(8));
  assert.ok(s.reasons.some((r) => /repeats itself/.test(r)));
});

test("the same comment pasted again and again, quickly, is held", () => {
  const text = "This is a wonderful story, please read mine too, it is on my profile page!";
  assert.ok(!isHeld(scoreOf(text)));
  assert.ok(!isHeld(scoreOf(text, { recentDuplicates: 20 })), "copies alone never hold");
  assert.ok(!isHeld(scoreOf(text, { recentPosts: 40 })), "a burst alone never holds");
  assert.ok(isHeld(scoreOf(text, { recentDuplicates: 2, recentPosts: 6 })));
  // "Loved it!" twice in a day is just two readers.
  assert.ok(!isHeld(scoreOf("Loved it!", { recentDuplicates: 1 })));
});

const signals = fc.record({
  text: fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom("yay! loved it", "cheap meds http://a", CHAPTER, "buy now ".repeat(10)),
  ),
  links: fc.nat({ max: 30 }),
  recentDuplicates: fc.nat({ max: 20 }),
  recentPosts: fc.nat({ max: 50 }),
  accountAgeMs: fc.option(fc.nat({ max: 30 * DAY }), { nil: null }),
});

test("property: the score stays in 0..SPAM_MAX, with a reason whenever it is above 0", () => {
  fc.assert(
    fc.property(signals, (s) => {
      const r = spamScore(s);
      assert.ok(r.score >= 0 && r.score <= SPAM_MAX);
      assert.equal(r.score > 0, r.reasons.length > 0);
      assert.deepEqual(spamScore(s), r, "deterministic");
    }),
  );
});

test("property: more links, copies or posts, or a younger account, never lower the score", () => {
  fc.assert(
    fc.property(signals, fc.nat({ max: 10 }), (s, more) => {
      const base = spamScore(s).score;
      assert.ok(spamScore({ ...s, links: s.links + more }).score >= base, "links");
      assert.ok(
        spamScore({ ...s, recentDuplicates: s.recentDuplicates + more }).score >= base,
        "duplicates",
      );
      assert.ok(spamScore({ ...s, recentPosts: s.recentPosts + more }).score >= base, "rate");
      if (s.accountAgeMs !== null)
        assert.ok(
          spamScore({ ...s, accountAgeMs: Math.max(0, s.accountAgeMs - more * DAY) }).score >= base,
          "age",
        );
    }),
  );
});

test("property: spamTextOf counts every anchor and bare URL once, and only those", () => {
  // fc.webUrl() is slow to generate; a plain URL shape is enough here.
  const url = fc
    .tuple(
      fc.constantFrom("http://", "https://", "www."),
      fc.stringMatching(/^[a-z0-9]{1,12}$/),
      fc.constantFrom(".org", ".example", ".com/a?b=1&c=2", ".net/x_y-z"),
    )
    .map((parts) => parts.join(""));
  const part = fc.oneof(
    fc.constantFrom("fic", "loved", "chapter", "Mark", "www", "http", "a.b"),
    url.map((u) => ({ url: u })),
    url.map((u) => ({ anchor: u })),
  );
  fc.assert(
    fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
      const html = parts
        .map((p) =>
          typeof p === "string" ? p : "url" in p ? p.url : `<a href="${p.anchor}">${p.anchor}</a>`,
        )
        .join(" ");
      const expected = parts.filter((p) => typeof p !== "string").length;
      assert.equal(spamTextOf(`<p>${html}</p>`).links, expected, html);
    }),
  );
});

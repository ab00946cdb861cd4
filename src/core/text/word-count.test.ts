import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { countWords, countWordsInHtml } from "./word-count.ts";

describe("countWords", () => {
  const cases: [string, number][] = [
    ["", 0],
    ["   \n\t ", 0],
    ["Hello", 1],
    ["Hello world", 2],
    ["  Hello,   world!  ", 2],
    ["one\ntwo\n\nthree", 3],
    // hyphens and apostrophes join
    ["well-known", 1],
    ["well\u2010known", 1],
    ["well\u2011known", 1],
    ["mother-in-law", 1],
    ["don't", 1],
    ["Lexie's", 1],
    ["Lexie\u2019s", 1],
    ["rock 'n' roll", 3],
    ["'Tis the season", 3],
    ["the dogs' bowls", 3],
    ["- dash - alone -", 2],
    ["-leading trailing-", 2],
    // numbers
    ["3.5", 1],
    ["3.5 kg", 2],
    ["1,000,000 dollars", 2],
    ["version 2.0.1", 2],
    ["It ended.Then", 3],
    ["42", 1],
    // separators
    ["word\u2014word", 2],
    ["word\u2013word", 2],
    ["word \u2014 word", 2],
    ["Mark/Lexie", 2],
    ["and/or", 2],
    ["word...word", 2],
    ["(parenthetical)", 1],
    ['"quoted"', 1],
    ["\u201csmart quotes\u201d", 2],
    ["e.g. this", 3],
    ["snake_case", 2],
    // CJK: one per ideograph / kana
    ["東京に行く", 5],
    ["Hello 世界", 3],
    ["Hello世界", 3],
    ["日本語", 3],
    ["ひらがな", 4],
    ["カタカナ", 4],
    ["コーヒー", 4],
    ["ｶﾀｶﾅ", 4],
    ["が", 1],
    ["か\u3099", 1],
    ["東京、大阪。", 4],
    ["「こんにちは」", 5],
    ["2024年", 2],
    // space-separated scripts
    ["안녕하세요 세계", 2],
    ["Привет, мир!", 2],
    ["Добро-пожаловать", 1],
    ["مرحبا بالعالم", 2],
    ["שָׁלוֹם עוֹלָם", 2],
    ["Γειά σου κόσμε", 3],
    ["สวัสดี ครับ", 2],
    ["नमस्ते दुनिया", 2],
    ["café naïve coöperate", 3],
    ["cafe\u0301", 1],
    // not words
    ["😀", 0],
    ["👍🏽 ❤️ 👨‍👩‍👧", 0],
    ["Hi 😀 there", 2],
    ["...", 0],
    ["— – / * # @", 0],
    ["\u0301", 0],
    ["\uFE0F", 0],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(countWords(input), expected);
    });
  }

  test("property: countWords(a + ' ' + b) === countWords(a) + countWords(b)", () => {
    const piece = fc.constantFrom(
      "a",
      "word",
      "Lexie's",
      "don't",
      "well-known",
      "3.5",
      "1,000",
      "東",
      "京に",
      "コーヒー",
      "Привет",
      "세계",
      "مرحبا",
      "—",
      "-",
      "'",
      "’",
      ".",
      ",",
      "/",
      "😀",
      "\u0301",
      "!",
      "\n",
      " ",
    );
    const text = fc.array(piece, { maxLength: 20 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, text, (a, b) => countWords(`${a} ${b}`) === countWords(a) + countWords(b)),
      { numRuns: 1000 },
    );
  });

  test("property: counting is the same as counting space-separated words of Latin text", () => {
    const latinWord = fc.stringMatching(/^[A-Za-z]{1,8}(?:['-][A-Za-z]{1,5})?$/);
    fc.assert(
      fc.property(fc.array(latinWord, { maxLength: 40 }), (words) => {
        assert.equal(countWords(words.join(" ")), words.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("countWordsInHtml", () => {
  test("counts text content, not markup or attributes", () => {
    assert.equal(
      countWordsInHtml(
        '<p class="chapter-text">Hello <b>bold</b> world</p><img alt="not counted" />',
      ),
      3,
    );
  });

  test("block boundaries and <br> separate words", () => {
    assert.equal(countWordsInHtml("<p>one</p><p>two</p>"), 2);
    assert.equal(countWordsInHtml("one<br />two"), 2);
    assert.equal(countWordsInHtml("<ul><li>one</li><li>two</li></ul>"), 2);
    assert.equal(countWordsInHtml("<table><tr><td>a</td><td>b</td></tr></table>"), 2);
  });

  test("inline markup inside a word does not split it", () => {
    assert.equal(countWordsInHtml("<p>un<i>believ</i>able</p>"), 1);
  });

  test("entities are decoded before counting", () => {
    assert.equal(countWordsInHtml("<p>Lexie&#x27;s&nbsp;book &amp; Mark&rsquo;s</p>"), 3);
    assert.equal(countWordsInHtml("word&mdash;word"), 2);
  });

  test("script and style content is not counted", () => {
    assert.equal(
      countWordsInHtml("<p>one</p><script>var a = b</script><style>p { x: y }</style>"),
      1,
    );
  });

  test("empty", () => {
    assert.equal(countWordsInHtml(""), 0);
    assert.equal(countWordsInHtml("<p></p>"), 0);
  });
});

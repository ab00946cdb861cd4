import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { foldAnchor } from "../../core/text/paragraphs.ts";
import { continueTarget, pickChapter, pickParagraph, resolvePosition } from "./position.ts";

const paragraphs = ["Once upon a time.", "The fog came in.", "Nobody minded.", "The end."];
const savedAt = (index: number, texts = paragraphs) => ({
  paragraph: index,
  anchor: foldAnchor(texts[index]!),
});

describe("pickParagraph", () => {
  test("unchanged text: the stored paragraph", () => {
    assert.equal(pickParagraph(savedAt(2), paragraphs), 2);
  });

  test("paragraphs inserted before it: follows the text", () => {
    const edited = ["A new opening.", "Another.", ...paragraphs];
    assert.equal(pickParagraph(savedAt(2), edited), 4);
  });

  test("a paragraph before it deleted: follows the text", () => {
    const edited = [paragraphs[0]!, paragraphs[2]!, paragraphs[3]!];
    assert.equal(pickParagraph(savedAt(2), edited), 1);
  });

  test("its own text edited: the stored index, clamped to what is there", () => {
    const edited = ["Once upon a time.", "The fog came in.", "Everybody minded.", "The end."];
    assert.equal(pickParagraph(savedAt(2), edited), 2);
    assert.equal(pickParagraph(savedAt(3), ["Short now."]), 0);
    assert.equal(pickParagraph({ paragraph: 50, anchor: null }, paragraphs), 3);
  });

  test("several paragraphs start alike: the one nearest the stored index", () => {
    const texts = ["* * *", "a", "* * *", "b", "* * *", "c"];
    assert.equal(pickParagraph({ paragraph: 3, anchor: foldAnchor("* * *") }, texts), 2);
    assert.equal(pickParagraph({ paragraph: 5, anchor: foldAnchor("* * *") }, texts), 4);
  });

  test("a long paragraph edited after its first 80 characters is still found", () => {
    const long = "x".repeat(100) + " the rest";
    const anchor = foldAnchor(long);
    assert.equal(pickParagraph({ paragraph: 0, anchor }, ["new", long + " and more"]), 1);
  });

  test("no paragraphs at all: 0", () => {
    assert.equal(pickParagraph(savedAt(2), []), 0);
  });
});

describe("pickChapter and resolvePosition", () => {
  const chapters = [
    { id: 10, position: 1 },
    { id: 20, position: 2 },
    { id: 30, position: 3 },
  ];
  const saved = { chapterId: 20, chapterPosition: 2, ...savedAt(1) };

  test("by id, even after the chapters were reordered", () => {
    const reordered = [
      { id: 20, position: 1 },
      { id: 10, position: 2 },
      { id: 30, position: 3 },
    ];
    assert.equal(pickChapter(saved, reordered)?.id, 20);
  });

  test("chapter deleted: the one now at its position; beyond the end, the last", () => {
    const without = [
      { id: 10, position: 1 },
      { id: 30, position: 2 },
    ];
    assert.equal(pickChapter(saved, without)?.id, 30);
    assert.equal(pickChapter({ chapterId: 99, chapterPosition: 7 }, without)?.id, 30);
    assert.equal(pickChapter(saved, []), undefined);
  });

  test("resolves chapter and paragraph, and knows the end of a chapter", () => {
    const r = resolvePosition(saved, chapters, () => paragraphs);
    assert.deepEqual(
      { chapter: r?.chapter.id, paragraph: r?.paragraph, atEnd: r?.atEnd, next: r?.next?.id },
      { chapter: 20, paragraph: 1, atEnd: false, next: 30 },
    );
    const end = resolvePosition({ ...saved, ...savedAt(3) }, chapters, () => paragraphs);
    assert.equal(end?.atEnd, true);
  });
});

describe("continueTarget", () => {
  const chapters = [
    { id: 10, position: 1 },
    { id: 20, position: 2 },
  ];
  const at = 1_000;

  test("mid-chapter: links the paragraph's id and says where", () => {
    const t = continueTarget(
      7,
      { chapterId: 10, chapterPosition: 1, ...savedAt(1), at },
      chapters,
      () => paragraphs,
    );
    assert.deepEqual(t, {
      url: "/works/7/chapters/10#chapter-1-p2",
      where: "Chapter 1, paragraph 2",
      label: "Continue reading",
      savedAt: at,
    });
  });

  test("end of a chapter with a next one: continues at the next chapter", () => {
    const t = continueTarget(
      7,
      { chapterId: 10, chapterPosition: 1, ...savedAt(3), at },
      chapters,
      () => paragraphs,
    );
    assert.equal(t?.url, "/works/7/chapters/20#chapter-2");
    assert.equal(t?.label, "Continue with Chapter 2");
    assert.equal(t?.where, "the end of Chapter 1");
  });

  test("end of the last chapter stays there; one-chapter works leave the chapter out", () => {
    const last = continueTarget(
      7,
      { chapterId: 20, chapterPosition: 2, ...savedAt(3), at },
      chapters,
      () => paragraphs,
    );
    assert.equal(last?.url, "/works/7/chapters/20#chapter-2-p4");
    const single = continueTarget(
      7,
      { chapterId: 10, chapterPosition: 1, ...savedAt(0), at },
      [chapters[0]!],
      () => paragraphs,
    );
    assert.equal(single?.where, "paragraph 1");
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countNoteParagraphs, isAuthorsNote } from "./notes.ts";

describe("author's notes", () => {
  test("labelled notes, and paragraphs that address the reader in two ways, are notes", () => {
    for (const note of [
      "A/N: This takes place after season five.",
      "Author's Note: thanks to my beta!",
      "(AN: I own nothing.)",
      "Disclaimer: Grey's Anatomy belongs to Shonda Rhimes.",
      "Summary: Lexie and Mark get stuck in an elevator.",
      "So the elevator scene... man it got me. And it kept bugging me so I decided to write about it :) Feel free to tell me what you think - hit the review button.",
      "This fic was a request. Hope you enjoy it, and let me know what you think!",
    ])
      assert.equal(isAuthorsNote(note), true, note);
  });

  test("story paragraphs are not, even with one such phrase or in dialogue", () => {
    for (const story of [
      '"Feel free to tell me what you think," she said. "I won\'t review it again."',
      "The review board met on Tuesday, and Mark was late.",
      "She hoped the story would end well; it didn't.",
      "He enjoyed the quiet of the on-call room more than he would admit.",
      "Notes were scattered across the desk, and Lexie let me know with a glare that I should leave.",
      "",
    ])
      assert.equal(isAuthorsNote(story), false, story);
  });

  test("leading notes are counted with the blank paragraphs between them, never the whole text", () => {
    assert.equal(countNoteParagraphs(["A/N: hi.", "", "Disclaimer: not mine.", "Story."]), 3);
    assert.equal(countNoteParagraphs(["Story.", "A/N: hi."]), 0);
    assert.equal(countNoteParagraphs(["Story.", "A/N: thanks for reading!"], true), 1);
    assert.equal(countNoteParagraphs(["A/N: everything is a note."]), 0);
    assert.equal(countNoteParagraphs(["A/N: 1", "A/N: 2", "A/N: 3", "A/N: 4", "Story."]), 3);
  });
});

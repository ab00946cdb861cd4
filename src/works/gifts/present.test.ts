import assert from "node:assert/strict";
import { test } from "node:test";
import { pseudAndLogin, recipientLink, splitRecipients } from "./present.ts";

test("the field splits at commas; blanks and repeats (any case) go, the first spelling stays", () => {
  assert.deepEqual(splitRecipients(" Aunt  May, ,bob,BOB ,  Starling (giftee)，x "), [
    "Aunt May",
    "bob",
    "Starling (giftee)",
    "x",
  ]);
  assert.deepEqual(splitRecipients(""), []);
});

test("“pseud (login)” splits in two; a bare name does not", () => {
  assert.deepEqual(pseudAndLogin("Star Ling (giftee)"), { pseud: "Star Ling", login: "giftee" });
  assert.equal(pseudAndLogin("giftee"), null);
  assert.equal(pseudAndLogin("(giftee)"), null);
  assert.equal(pseudAndLogin("a (two words)"), null);
});

test("a pseud gift links to the pseud's gifts page; a gift to a name is plain", () => {
  const base = { id: 1, workId: 2, recipientKey: "", userId: 3 };
  assert.deepEqual(
    recipientLink({
      ...base,
      pseudId: 4,
      recipientName: "x",
      pseudName: "Star Ling",
      login: "giftee",
    }),
    { name: "Star Ling (giftee)", url: "/users/giftee/pseuds/Star%20Ling/gifts" },
  );
  assert.deepEqual(
    recipientLink({
      ...base,
      pseudId: 5,
      recipientName: "x",
      pseudName: "giftee",
      login: "giftee",
    }),
    { name: "giftee", url: "/users/giftee/pseuds/giftee/gifts" },
  );
  assert.deepEqual(
    recipientLink({
      ...base,
      pseudId: null,
      recipientName: "Aunt May",
      pseudName: null,
      login: null,
    }),
    { name: "Aunt May", url: null },
  );
});

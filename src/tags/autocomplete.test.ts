import assert from "node:assert/strict";
import { test } from "node:test";
import { foldForSearch } from "./autocomplete.ts";

test("folding removes accents, case and punctuation", () => {
  assert.equal(foldForSearch("Éowyn (Tolkien)"), "eowyn tolkien");
  assert.equal(
    foldForSearch("Alternate Universe - Coffee Shops & Cafés"),
    "alternate universe coffee shops cafes",
  );
  assert.equal(foldForSearch("東京タワー"), "東京タワー");
  assert.equal(foldForSearch("Тёмный Лорд"), "темныи лорд");
  assert.equal(foldForSearch("  "), "");
});

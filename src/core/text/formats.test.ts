import { test } from "node:test";
import assert from "node:assert/strict";
import { formatText } from "./formats.ts";
import { describeRemoved, removedByAllowlist } from "./removed.ts";

test("markdown keeps bold, italics, tables and strikethrough", () => {
  const { html } = formatText(
    "**Mark** and *Lexie*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~",
    "markdown",
  );
  assert.match(html, /<strong>Mark<\/strong> and <em>Lexie<\/em>/);
  assert.match(html, /<table>/);
  assert.match(html, /<s>no<\/s>/);
});

test("plain text shows markup as typed and makes paragraphs", () => {
  const { html, removed } = formatText("I <3 <b>you</b>\n\nsecond", "plain");
  assert.equal(html, "<p>I &lt;3 &lt;b&gt;you&lt;/b&gt;</p>\n<p>second</p>");
  assert.equal(removed.size, 0);
});

test("html and rich text keep allowed markup and report what was removed", () => {
  const input =
    '<p style="color:red">Hi<script>alert(1)</script></p><p style="x" onclick="y">there</p>';
  const { html, removed } = formatText(input, "html");
  assert.doesNotMatch(html, /script|style|onclick/);
  assert.equal(
    describeRemoved(removed),
    "removed: 2 style attributes, 1 onclick attribute, 1 script",
  );
});

test("nothing removed describes as empty; unsafe links are counted", () => {
  assert.equal(describeRemoved(removedByAllowlist("<p><b>fine</b></p>")), "");
  assert.equal(
    describeRemoved(removedByAllowlist('<a href="javascript:alert(1)">x</a><a href="/ok">y</a>')),
    "removed: 1 unsafe link",
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNames, resolveName, writtenName, type PseudCandidate } from "./names.ts";

const pseud = (id: number, name: string, login: string, isDefault = name === login) =>
  ({
    pseudId: id,
    pseudName: name,
    pseudKey: name.toLowerCase(),
    isDefault,
    userId: id * 10,
    login,
    loginKey: login.toLowerCase(),
  }) satisfies PseudCandidate;

test("the field reads names separated by commas, 'pseud (login)' or bare, each once", () => {
  const names = parseNames(" Ink Wren (wren) , lamp_keeper,, ink wren (WREN), Gull ");
  assert.deepEqual(names, [
    { text: "Ink Wren (wren)", pseudKey: "ink wren", loginKey: "wren" },
    { text: "lamp_keeper", pseudKey: "lamp_keeper", loginKey: null },
    { text: "Gull", pseudKey: "gull", loginKey: null },
  ]);
  assert.deepEqual(parseNames(" , "), []);
});

test("a bare name is a login's default pseud first, else the one pseud of that name", () => {
  const candidates = [
    pseud(1, "keeper", "keeper"),
    pseud(2, "keeper", "other", false),
    pseud(3, "Wren", "wren_writer", false),
    pseud(4, "Fog", "a", false),
    pseud(5, "Fog", "b", false),
  ];
  const [keeper, wren, fog, nobody] = parseNames("keeper, wren, fog, nobody");
  assert.deepEqual(resolveName(keeper!, candidates), { ok: true, pseud: candidates[0] });
  assert.deepEqual(resolveName(wren!, candidates), { ok: true, pseud: candidates[2] });
  assert.deepEqual(resolveName(fog!, candidates), { ok: false, why: "ambiguous" });
  assert.deepEqual(resolveName(nobody!, candidates), { ok: false, why: "unknown" });
  const [exact, wrongUser] = parseNames("Fog (b), Wren (b)");
  assert.deepEqual(resolveName(exact!, candidates), { ok: true, pseud: candidates[4] });
  assert.deepEqual(resolveName(wrongUser!, candidates), { ok: false, why: "unknown" });
});

test("names are written back as bylines show them", () => {
  assert.equal(writtenName({ pseudName: "keeper", login: "keeper" }), "keeper");
  assert.equal(writtenName({ pseudName: "Ink Wren", login: "wren" }), "Ink Wren (wren)");
  const [again] = parseNames(writtenName({ pseudName: "Ink Wren", login: "wren" }));
  assert.deepEqual(again, { text: "Ink Wren (wren)", pseudKey: "ink wren", loginKey: "wren" });
});

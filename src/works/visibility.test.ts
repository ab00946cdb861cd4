import assert from "node:assert/strict";
import { test } from "node:test";
import { NO_EXCLUSIONS, type Viewer } from "../core/viewer.ts";
import { accessTo, audienceOf, chapterShown, needsAdultGate, seenBy } from "./visibility.ts";

const guest: Viewer = { user: null, adultConsent: false };
const member: Viewer = {
  user: {
    id: 1,
    login: "m",
    roles: new Set(),
    viewAdult: false,
    exclusions: NO_EXCLUSIONS,
    unreadNotifications: 0,
    suspendedUntil: null,
  },
  adultConsent: false,
};
const optedOut: Viewer = {
  user: {
    id: 2,
    login: "o",
    roles: new Set(),
    viewAdult: true,
    exclusions: NO_EXCLUSIONS,
    unreadNotifications: 0,
    suspendedUntil: null,
  },
  adultConsent: false,
};
const consented: Viewer = { user: null, adultConsent: true };

test("access: drafts are their creators' alone; restricted works need a login", () => {
  const posted = { posted: 1, restricted: 0 };
  const draft = { posted: 0, restricted: 0 };
  const restricted = { posted: 1, restricted: 1 };
  assert.equal(accessTo(guest, posted, false), "ok");
  assert.equal(accessTo(member, draft, false), "not-found");
  assert.equal(accessTo(member, draft, true), "ok");
  assert.equal(accessTo(guest, restricted, false), "login-required");
  assert.equal(accessTo(member, restricted, false), "ok");
});

test("the adult gate covers Mature, Explicit and Not Rated, unless consent, preference or creator", () => {
  for (const rating of ["Mature", "Explicit", "Not Rated"]) {
    assert.equal(needsAdultGate(guest, rating, false), true, rating);
    assert.equal(needsAdultGate(member, rating, false), true, rating);
    assert.equal(needsAdultGate(optedOut, rating, false), false, rating);
    assert.equal(needsAdultGate(consented, rating, false), false, rating);
    assert.equal(needsAdultGate(member, rating, true), false, rating);
  }
  for (const rating of ["General Audiences", "Teen And Up Audiences"]) {
    assert.equal(needsAdultGate(guest, rating, false), false, rating);
  }
});

test("draft chapters show only to creators", () => {
  assert.equal(chapterShown({ posted: 0 }, false), false);
  assert.equal(chapterShown({ posted: 0 }, true), true);
  assert.equal(chapterShown({ posted: 1 }, false), true);
});

test("tag counts: drafts count for nobody, restricted works for logged-in readers", () => {
  assert.equal(seenBy({ posted: 0, restricted: 0 }), "nobody");
  assert.equal(seenBy({ posted: 0, restricted: 1 }), "nobody");
  assert.equal(seenBy({ posted: 1, restricted: 1 }), "members");
  assert.equal(seenBy({ posted: 1, restricted: 0 }), "public");
  assert.equal(audienceOf(guest), "public");
  assert.equal(audienceOf(member), "members");
});

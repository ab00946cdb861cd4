// Invitation-only sign-up in Chromium (issue 13): a guest asks for an invitation, an admin sends
// the batch, the link comes from the queued mail, and the sign-up completes logged in. axe on
// the three pages; screenshots at 1280 and 390 px, and nothing wider than a phone.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { findUserByLogin, setRoles } from "../src/accounts/queries.ts";
import { saveSettings } from "../src/core/settings.ts";
import { Client } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  startServer,
  type Server,
  lookAtPage,
} from "./support/browser.ts";

const ADMIN = "gatekeeper";
const GUEST_EMAIL = "newcomer@example.org";

describe("invitation-only sign-up in a browser", () => {
  let server: Server;
  let browser: Browser;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const { testApp } = server;
    await new Client(testApp.app).signUp(ADMIN);
    await setRoles(testApp.deps.db, (await findUserByLogin(testApp.deps.db, ADMIN))!.id, ["admin"]);
    await saveSettings(
      testApp.deps.db,
      testApp.deps.db,
      { signupMode: "invitation", minimumAge: 16 },
      testApp.clock.now,
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    for (const list of blocked) assert.deepEqual(list, [], "nothing left the archive");
  });

  async function newContext() {
    // axe is injected as an inline script, which the CSP refuses otherwise.
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    return fenced.context;
  }

  test("ask, be invited by an admin's batch, sign up with the mailed link", async (t) => {
    if (skipWithoutChromium(t)) return;
    const guest = await (await newContext()).newPage();

    // Without an invitation the sign-up page says where to ask.
    await guest.goto("/signup");
    assert.equal(await guest.locator("form[action='/signup'][method='post']").count(), 0);
    await lookAtPage(guest, "signup-invitation-only");
    await guest.getByRole("link", { name: "ask for one" }).click();
    await guest.waitForURL((url) => url.pathname === "/invite_requests");
    await lookAtPage(guest, "invite-requests");
    await guest.getByRole("textbox", { name: /Email/ }).fill(GUEST_EMAIL);
    await guest.getByRole("button", { name: "Add me to the queue" }).click();
    await guest.getByText("You are number 1 in the queue of 1.").waitFor();

    // The admin sends the next one.
    const adminContext = await newContext();
    await logIn(adminContext, ADMIN);
    const admin = await adminContext.newPage();
    await admin.goto("/admin/invitations");
    assert.ok(await admin.getByRole("cell", { name: GUEST_EMAIL }).isVisible());
    await lookAtPage(admin, "admin-invitations");
    await admin.getByRole("spinbutton", { name: /How many/ }).fill("1");
    await admin.getByRole("button", { name: "Send invitations" }).click();
    await admin.getByText("1 invitation sent").waitFor();
    assert.ok(await admin.getByText("Nobody is waiting.").isVisible());

    // The queued mail carries the link.
    const job = await server.testApp.deps.db
      .selectFrom("jobs")
      .select("payload")
      .where("kind", "=", "mail.send")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const mail = JSON.parse(job.payload) as { to: string; text: string };
    assert.equal(mail.to, GUEST_EMAIL);
    const path = /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    assert.ok(path, mail.text);

    await guest.goto(path);
    await guest.waitForURL((url) => url.pathname === "/signup");
    assert.ok(await guest.getByText("You are signing up with an invitation.").isVisible());
    assert.ok(await guest.getByText(/at least 16 years old/).isVisible());
    await guest.locator("#field-login").fill("newcomer");
    await guest.locator("#field-email").fill(GUEST_EMAIL);
    await guest.locator("#field-password").fill("a perfectly fine test password");
    await guest.locator("#field-password_confirmation").fill("a perfectly fine test password");
    await lookAtPage(guest, "signup-invited");
    // Sent without the terms box: the browser's own check stops it, so ask the server too.
    await guest.locator("form[action='/signup']").evaluate((f: HTMLFormElement) => {
      f.noValidate = true;
    });
    await guest.getByRole("button", { name: "Create account" }).click();
    await guest.getByRole("alert").waitFor();
    assert.ok(
      await guest
        .getByText(/Please confirm that you accept the Terms/)
        .first()
        .isVisible(),
    );
    await guest.locator("#field-password").fill("a perfectly fine test password");
    await guest.locator("#field-password_confirmation").fill("a perfectly fine test password");
    await guest.getByRole("checkbox", { name: /Terms of Service/ }).check();
    await guest.getByRole("button", { name: "Create account" }).click();
    await guest.waitForURL((url) => url.pathname === "/users/newcomer");
    assert.ok(await guest.locator("a[href='/users/logout']").first().isVisible());

    // The new account shares an invitation of its own: the link is shown once, and fits.
    await server.testApp.deps.db
      .updateTable("users")
      .set({ invitations_left: 2 })
      .where("login", "=", "newcomer")
      .execute();
    await guest.goto("/users/newcomer/invitations");
    await guest.getByRole("button", { name: "Create an invitation link" }).click();
    await guest.getByText(/Here is your invitation link/).waitFor();
    assert.match(await guest.locator(".invitation-link").innerText(), /\/invitations\/\S{20,}/);
    await lookAtPage(guest, "user-invitations");
  });
});

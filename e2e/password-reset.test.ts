// Password reset end to end (issue 13): a real server whose mail goes over SMTP to a local sink;
// in Chromium the reader asks for a reset, follows the mailed link, sets a new password and logs
// in with it. axe on the two pages, screenshots at 1280 and 390 px.
import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { RESET_REQUESTED } from "../src/accounts/recovery/views.tsx";
import { Client, createTestApp, type TestApp } from "../test/support/app.ts";
import { decodedMessage, Sink } from "../test/support/smtp-sink.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  skipWithoutChromium,
  lookAtPage,
} from "./support/browser.ts";

const NEW_PASSWORD = "lanterns over the harbour";

/** A port free right now on 127.0.0.1, so the archive's public address can name it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("password reset through a real SMTP sink, in a browser", () => {
  const sink = new Sink();
  let app: TestApp;
  let origin = "";
  let browser: Browser;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    await sink.start();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    app = await createTestApp("sqlite", {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      FANFOLD_PUBLIC_URL: origin,
    });
    await app.app.listen({ port, host: "127.0.0.1" });
    await new Client(app.app).signUp("harbour_reader");
    await app.drainJobs();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await sink.stop();
    for (const list of blocked) assert.deepEqual(list, [], "nothing left the archive");
  });

  async function newPage(): Promise<Page> {
    // axe is injected as an inline script, which the CSP refuses otherwise.
    const fenced = await fencedContext(browser, origin, { bypassCSP: true });
    blocked.push(fenced.blocked);
    return fenced.context.newPage();
  }

  test("the reader asks for a link, follows it from the mail, sets a password, logs in", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await newPage();
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL((url) => url.pathname === "/users/password/new");
    await lookAtPage(page, "forgot-password");

    const sent = sink.messages.length;
    await page.getByLabel("Username or email").fill("harbour_reader@example.org");
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    assert.ok(await page.getByText(RESET_REQUESTED).isVisible());

    await app.drainJobs();
    const mail = sink.messages.slice(sent).find((m) => m.to.includes("harbour_reader@example.org"));
    assert.ok(mail, "the reset mail reached the SMTP sink");
    const body = decodedMessage(mail.raw);
    assert.match(body, /^Subject: \[Fanfold\] Reset your password/m);
    const link = new RegExp(
      `${origin}/users/password/edit\\?reset_password_token=[A-Za-z0-9_-]+`,
    ).exec(body)?.[0];
    assert.ok(link, body.slice(0, 2000));

    await page.goto(link);
    assert.equal(
      await page.getByRole("heading", { level: 1 }).innerText(),
      "Choose a new password",
    );
    await lookAtPage(page, "reset-password");
    await page.locator("#field-password").fill(NEW_PASSWORD);
    await page.locator("#field-password_confirmation").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    assert.ok(await page.getByText("Your password has been changed").isVisible());

    await page.getByLabel("Username or email").fill("harbour_reader");
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
    assert.ok(await page.getByText("Successfully logged in.").isVisible());

    // The link was single-use.
    await page.goto(link);
    assert.equal(
      await page.getByRole("heading", { level: 1 }).innerText(),
      "This link does not work",
    );
  });
});

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

/**
 * A chapter number as AO3 takes it: past the end puts the chapter last, zero, a negative
 * number or a non-number puts it first. Adding, editing and reordering all do.
 */
describeEachEngine("chapter positions over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("positioner");
  });
  after(() => t.close());

  /** A work with chapters titled A, B, C…, in that order. */
  async function workWith(titles: string[]) {
    const res = await writer.post("/works", workForm({ chapter_title: titles[0] }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const workId = workIdFrom(res.headers.location);
    for (const title of titles.slice(1)) await add(workId, title);
    return workId;
  }

  async function add(workId: number, title: string, position?: string) {
    const form: Record<string, string> = { chapter_title: title, text: `Text of ${title}.` };
    if (position !== undefined) form.position = position;
    const res = await writer.post(`/works/${workId}/chapters`, form);
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    return Number(/\/chapters\/(\d+)/.exec(res.headers.location as string)?.[1]);
  }

  async function chapters(workId: number) {
    return t.handle.db
      .selectFrom("chapters")
      .select(["id", "title", "position"])
      .where("work_id", "=", workId)
      .orderBy("position")
      .execute();
  }
  const order = async (workId: number) => (await chapters(workId)).map((c) => c.title).join("");
  const idOf = async (workId: number, title: string) =>
    (await chapters(workId)).find((c) => c.title === title)!.id;

  test("positions stay 1..n whatever is asked", async () => {
    const workId = await workWith(["A", "B"]);
    await add(workId, "C", "2000");
    await add(workId, "D", "-7");
    assert.deepEqual(
      (await chapters(workId)).map((c) => c.position),
      [1, 2, 3, 4],
    );
  });

  const addCases: [string | undefined, string][] = [
    [undefined, "ABCN"],
    ["", "ABCN"],
    ["4", "ABCN"],
    ["2000", "ABCN"],
    ["99999999999999999999999", "ABCN"],
    ["2", "ANBC"],
    ["1", "NABC"],
    ["0", "NABC"],
    ["-3", "NABC"],
    ["two", "NABC"],
    ["2nd", "ANBC"],
  ];
  for (const [position, expected] of addCases) {
    test(`adding a chapter at ${JSON.stringify(position)} gives ${expected}`, async () => {
      const workId = await workWith(["A", "B", "C"]);
      await add(workId, "N", position);
      assert.equal(await order(workId), expected);
    });
  }

  const editCases: [string, string][] = [
    ["", "ABC"],
    ["2", "ABC"],
    ["3", "ACB"],
    ["2000", "ACB"],
    ["1", "BAC"],
    ["0", "BAC"],
    ["-1", "BAC"],
    ["second", "BAC"],
  ];
  for (const [position, expected] of editCases) {
    test(`editing chapter B to ${JSON.stringify(position)} gives ${expected}`, async () => {
      const workId = await workWith(["A", "B", "C"]);
      const b = await idOf(workId, "B");
      const res = await writer.post(`/works/${workId}/chapters/${b}`, {
        position,
        chapter_title: "B",
        text: "Text of B, edited.",
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
      assert.equal(await order(workId), expected);
    });
  }

  const reorderCases: [Record<string, string>, string][] = [
    [{ A: "1", B: "2", C: "3" }, "ABC"],
    [{ A: "2000", B: "2", C: "3" }, "BCA"],
    [{ A: "3", B: "2", C: "3" }, "BCA"],
    [{ A: "1", B: "2", C: "-5" }, "CAB"],
    [{ A: "1", B: "2", C: "0" }, "CAB"],
    [{ A: "1", B: "first", C: "3" }, "BAC"],
    [{ A: "", B: "", C: "1" }, "CAB"],
    [{ A: "3", B: "1", C: "2" }, "BCA"],
    [{ A: "9", B: "8", C: "7" }, "CBA"],
  ];
  for (const [wanted, expected] of reorderCases) {
    test(`reordering to ${JSON.stringify(wanted)} gives ${expected}`, async () => {
      const workId = await workWith(["A", "B", "C"]);
      const form: Record<string, string> = {};
      for (const [title, position] of Object.entries(wanted))
        form[`position_${await idOf(workId, title)}`] = position;
      const res = await writer.post(`/works/${workId}/chapters/manage`, form);
      assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
      assert.equal(await order(workId), expected);
    });
  }

  test("the forms show the chapter number, and let any number through to the server", async () => {
    const workId = await workWith(["A", "B"]);
    const added = await writer.get(`/works/${workId}/chapters/new`);
    assert.match(added.body, /<label for="field-position">Chapter number<\/label>/);
    assert.match(added.body, /<input id="field-position" name="position" type="number" value="3"/);
    const b = await idOf(workId, "B");
    const edit = await writer.get(`/works/${workId}/chapters/${b}/edit`);
    assert.match(edit.body, /<input id="field-position" name="position" type="number" value="2"/);
    const manage = await writer.get(`/works/${workId}/chapters/manage`);
    assert.match(manage.body, new RegExp(`name="position_${b}" value="2"/>`));
    assert.doesNotMatch(manage.body, /name="position_\d+"[^>]* (min|max)=/);
  });

  test("an invalid chapter form keeps the number typed", async () => {
    const workId = await workWith(["A", "B"]);
    const res = await writer.post(`/works/${workId}/chapters`, { position: "1", text: "short" });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /name="position" type="number" value="1"/);
    assert.equal(await order(workId), "AB");
  });
});

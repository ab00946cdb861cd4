import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

type Form = Record<string, string | string[] | undefined>;

/** Control characters of every kind (C0, DEL, C1) inside "Rainy Days". */
const DIRTY = "Ra\u0000in\u0001y\u0007\u000b\u000c\u001b Da\u007fy\u0085s\u009f";
const CLEAN = "Rainy Days";
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A form posted as raw bytes (a Client encodes everything it is given). */
async function rawPost(c: Client, url: string, payload: string | Buffer) {
  return c.app.inject({
    method: "POST",
    url,
    payload,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    },
    remoteAddress: c.ip,
  });
}

/** The urlencoded form with `field`'s value replaced by `escaped`, sent as it is. */
async function withRawField(c: Client, url: string, form: Form, field: string, escaped: string) {
  const params = new URLSearchParams([["_csrf", await c.token()]]);
  for (const [k, v] of Object.entries(form)) {
    if (k === field || v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  }
  return rawPost(c, url, `${params.toString()}&${encodeURIComponent(field)}=${escaped}`);
}

describeEachEngine("input hygiene over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let workId: number;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("hygienic");
    reader = new Client(t.app);
    await reader.signUp("hygiene_reader");
    const res = await writer.post("/works", workForm({ title: "Plain Work" }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    workId = workIdFrom(res.headers.location);
  });
  after(() => t.close());

  /** Each text input: how to send a value in it, and the page that shows it back. */
  const fields: {
    name: string;
    send: (value: string) => Promise<{ statusCode: number; location?: string; body: string }>;
  }[] = [
    {
      name: "work title",
      send: (v) => post(writer, "/works", workForm({ title: `${v} title` })),
    },
    {
      name: "work summary",
      send: (v) => post(writer, "/works", workForm({ summary: `${v} summary` })),
    },
    {
      name: "fandom tag",
      send: (v) => post(writer, "/works", workForm({ fandoms: `${v} fandom` })),
    },
    {
      name: "additional tag",
      send: (v) => post(writer, "/works", workForm({ freeforms: `${v} freeform` })),
    },
    {
      name: "work text",
      send: (v) => post(writer, "/works", workForm({ text: `${v} in the chapter text.` })),
    },
    {
      name: "chapter title",
      send: (v) =>
        post(writer, `/works/${workId}/chapters`, {
          chapter_title: `${v} chapter`,
          text: "Enough text for a chapter.",
        }),
    },
    {
      name: "chapter text",
      send: (v) => post(writer, `/works/${workId}/chapters`, { text: `${v} in another chapter.` }),
    },
    {
      name: "comment",
      send: (v) => post(reader, `/works/${workId}/comments`, { comment_content: `${v} comment` }),
    },
    {
      name: "bookmark notes",
      send: (v) => post(reader, `/works/${workId}/bookmarks`, { notes: `${v} notes`, tags: "" }),
    },
    {
      name: "bookmark tags",
      send: async (v) => {
        const other = await writer.post("/works", workForm({ title: "Another Work" }));
        const id = workIdFrom(other.headers.location);
        return post(reader, `/works/${id}/bookmarks`, { notes: "", tags: `${v} tag` });
      },
    },
    {
      name: "search query",
      send: async (v) => {
        const res = await reader.get(`/works/search?q=${encodeURIComponent(v)}`);
        return { statusCode: res.statusCode, body: res.body };
      },
    },
  ];

  /** Posts, then follows the redirect to the page that shows what was posted. */
  async function post(c: Client, url: string, form: Form) {
    const res = await c.post(url, form);
    assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 1500)}`);
    const shown = await c.get(res.headers.location as string);
    assert.equal(shown.statusCode, 200);
    return { statusCode: 303, location: res.headers.location as string, body: shown.body };
  }

  for (const field of fields) {
    test(`${field.name}: control characters are stripped on input`, async () => {
      const shown = await field.send(DIRTY);
      assert.ok(shown.body.includes(CLEAN), `"${CLEAN}" is shown`);
      assert.doesNotMatch(shown.body, CONTROL);
    });
  }

  test("stored text holds no control characters; tabs and newlines stay, CR LF becomes LF", async () => {
    const res = await writer.post(
      "/works",
      workForm({
        title: `${DIRTY} stored`,
        text: `First\u0000 line\r\nsecond\tline\r\n\r\n${DIRTY}.`,
      }),
    );
    assert.equal(res.statusCode, 303);
    const id = workIdFrom(res.headers.location);
    const work = await t.handle.db
      .selectFrom("works")
      .select("title")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(work.title, `${CLEAN} stored`);
    const chapter = await t.handle.db
      .selectFrom("chapters")
      .select("text_html")
      .where("work_id", "=", id)
      .executeTakeFirstOrThrow();
    assert.doesNotMatch(chapter.text_html, CONTROL);
    assert.doesNotMatch(chapter.text_html, /\r/);
    assert.match(chapter.text_html, /First line/);
    assert.match(chapter.text_html, /second\tline/);
    assert.ok(chapter.text_html.includes(`${CLEAN}.`));
  });

  test("a JSON body is cleaned like a form", async () => {
    const res = await reader.app.inject({
      method: "POST",
      url: `/works/${workId}/comments`,
      payload: JSON.stringify({
        _csrf: await reader.token(),
        comment_content: `${DIRTY} in JSON \ud800`,
      }),
      headers: {
        "content-type": "application/json",
        cookie: [...reader.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      remoteAddress: reader.ip,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const shown = await reader.get(res.headers.location as string);
    assert.ok(shown.body.includes(`${CLEAN} in JSON`));
    assert.doesNotMatch(shown.body, CONTROL);
    assert.doesNotMatch(shown.body, /\ud800/);
  });

  test("character references to control characters do not bring them back", async () => {
    const res = await writer.post(
      "/works",
      workForm({
        summary: "Sum&#1;mary&#0; of&#x7F; it",
        text: "Chapter&#x1b; text&#8; with &lt;references&gt;&#xB;.",
      }),
    );
    assert.equal(res.statusCode, 303);
    const shown = await writer.get(res.headers.location as string);
    assert.doesNotMatch(shown.body, CONTROL);
    assert.match(shown.body, /Summary\uFFFD? of it/);
    assert.match(shown.body, /Chapter text with &lt;references&gt;\./);
  });

  describe("text that is not valid UTF-8 is refused, naming the field", () => {
    const forms: { name: string; url: () => string; form: () => Form; field: string }[] = [
      { name: "work", url: () => "/works", form: () => workForm(), field: "title" },
      { name: "work", url: () => "/works", form: () => workForm(), field: "text" },
      { name: "work", url: () => "/works", form: () => workForm(), field: "freeforms" },
      {
        name: "chapter",
        url: () => `/works/${workId}/chapters`,
        form: () => ({ text: "Enough text for a chapter." }),
        field: "chapter_title",
      },
      {
        name: "comment",
        url: () => `/works/${workId}/comments`,
        form: () => ({}),
        field: "comment_content",
      },
      {
        name: "bookmark",
        url: () => `/works/${workId}/bookmarks`,
        form: () => ({ tags: "" }),
        field: "notes",
      },
      {
        name: "bookmark",
        url: () => `/works/${workId}/bookmarks`,
        form: () => ({ notes: "" }),
        field: "tags",
      },
    ];
    // A lone byte, a sequence cut short, an overlong "/", a UTF-16 surrogate.
    const escapes = ["%FF", "caf%C3", "%C0%AF", "%ED%A0%80"];
    for (const f of forms) {
      for (const escaped of escapes) {
        test(`${f.name} form, ${f.field} = ${escaped}`, async () => {
          const c = f.name === "comment" || f.name === "bookmark" ? reader : writer;
          const res = await withRawField(c, f.url(), f.form(), f.field, escaped);
          assert.equal(res.statusCode, 400, res.body.slice(0, 500));
          assert.ok(
            res.body.includes(`${f.field}: is not valid UTF-8 text.`),
            res.body.slice(0, 3000),
          );
        });
      }
    }

    test("nothing is stored from a refused form", async () => {
      const before = await t.handle.db
        .selectFrom("works")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const res = await withRawField(writer, "/works", workForm(), "title", "Bad%FFTitle");
      assert.equal(res.statusCode, 400);
      const after = await t.handle.db
        .selectFrom("works")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
      const literal = await t.handle.db
        .selectFrom("works")
        .select("id")
        .where("title", "like", "%\\%FF%")
        .execute();
      assert.equal(literal.length, 0);
    });

    test("raw bytes that are not UTF-8 are refused too", async () => {
      const params = new URLSearchParams([["_csrf", await writer.token()]]);
      for (const [k, v] of Object.entries(workForm()))
        if (k !== "summary" && v !== undefined)
          for (const item of [v].flat()) params.append(k, item);
      const payload = Buffer.concat([
        Buffer.from(`${params.toString()}&summary=caf`),
        Buffer.from([0xe9]),
      ]);
      const res = await rawPost(writer, "/works", payload);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /summary: is not valid UTF-8 text\./);
    });

    test("raw UTF-8 bytes are fine", async () => {
      const params = new URLSearchParams([["_csrf", await writer.token()]]);
      for (const [k, v] of Object.entries(workForm()))
        if (k !== "title" && v !== undefined) for (const item of [v].flat()) params.append(k, item);
      const res = await rawPost(
        writer,
        "/works",
        Buffer.from(`${params.toString()}&title=Caf\u00e9 \u{1F600}`, "utf8"),
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
      const shown = await writer.get(res.headers.location as string);
      assert.ok(shown.body.includes("Café \u{1F600}"));
    });

    for (const escaped of escapes) {
      test(`search query q = ${escaped}`, async () => {
        const res = await reader.get(`/works/search?q=${escaped}`);
        assert.equal(res.statusCode, 400);
        assert.ok(res.body.includes("q: is not valid UTF-8 text."), res.body.slice(0, 3000));
      });
    }

    test("a query parameter's name is named even inside brackets", async () => {
      const res = await reader.get(`/works?work_search[query]=%FF`);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /work_search\[query\]: is not valid UTF-8 text\./);
    });

    test("a stray % that starts no escape is kept as typed", async () => {
      const res = await reader.get(`/works/search?q=100%`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.match(res.body, /value="100%"/);
    });

    test("scripts asking for JSON get the error as JSON", async () => {
      const res = await reader.app.inject({
        method: "GET",
        url: "/autocomplete/fandom?term=%FF",
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { error: "term: is not valid UTF-8 text.", status: 400 });
    });
  });

  describe("a chapter up to the character limit, in any script", () => {
    const MAX = 510_000;
    // A CJK extension-B character and an emoji: one character each, two UTF-16 units, four
    // bytes of UTF-8, twelve bytes percent-encoded.
    const atLimit = (ch: string) => ch.repeat(MAX);
    const overLimit = (ch: string) => ch.repeat(MAX + 1);
    const TOO_LONG =
      '<p class="field-error" id="field-text-error">Chapter text must be at most 510,000 characters long; this has 510,001.</p>';

    /** The chapter's stored text and what its edit form gives back. */
    async function readBack(workId: number, chapterId: number) {
      const row = await t.handle.db
        .selectFrom("chapters")
        .select("text_html")
        .where("id", "=", chapterId)
        .executeTakeFirstOrThrow();
      const edit = await writer.get(`/works/${workId}/chapters/${chapterId}/edit`);
      assert.equal(edit.statusCode, 200);
      return { stored: row.text_html, edit: edit.body };
    }
    const chapterIdFrom = (location: string | undefined) =>
      Number(/\/chapters\/(\d+)/.exec(location ?? "")?.[1]);

    /** The text in a form's textarea, whole and unescaped. */
    const textareaOf = (body: string) =>
      /<textarea id="field-text" name="text"[^>]*>([^<]*)<\/textarea>/
        .exec(body)?.[1]
        ?.replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, "&");
    /** Equal, without printing a megabyte of text when not. */
    const same = (actual: string | undefined, expected: string, what: string) =>
      assert.ok(
        actual === expected,
        `${what}: ${actual?.length ?? "nothing"} UTF-16 units, expected ${expected.length}`,
      );

    test("posting a work: 510,000 four-byte characters are accepted and read back equal", async () => {
      const text = atLimit("\u{20000}");
      const res = await writer.post("/works", workForm({ title: "Long Ext-B", text }));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const workId = workIdFrom(res.headers.location);
      const chapterId = (
        await t.handle.db
          .selectFrom("chapters")
          .select("id")
          .where("work_id", "=", workId)
          .executeTakeFirstOrThrow()
      ).id;
      const { stored, edit } = await readBack(workId, chapterId);
      same(stored, `<p>${text}</p>`, "stored");
      same(textareaOf(edit), `<p>${text}</p>`, "the edit form");
      const reading = await writer.get(`/works/${workId}`);
      assert.ok(reading.body.includes(`-p1">${text}</p>`), "the work page shows it whole");
    });

    test("posting a work: 510,001 characters re-show the form with everything typed", async () => {
      const text = overLimit("\u{1F600}");
      const res = await writer.post(
        "/works",
        workForm({ title: "Too Long By One", summary: "Kept summary.", text }),
      );
      assert.equal(res.statusCode, 422);
      assert.ok(res.body.includes(TOO_LONG), "the error is beside the text field");
      same(textareaOf(res.body), text, "the re-shown form");
      assert.match(res.body, /name="title" type="text" value="Too Long By One"/);
      assert.match(res.body, />Kept summary\.<\/textarea>/);
    });

    test("adding and editing a chapter: 510,000 accepted, 510,001 re-shown with the text", async () => {
      const made = await writer.post("/works", workForm({ title: "Room For More" }));
      const workId = workIdFrom(made.headers.location);

      const text = atLimit("\u{1F600}");
      const added = await writer.post(`/works/${workId}/chapters`, { chapter_title: "Two", text });
      assert.equal(added.statusCode, 303, added.body.slice(0, 500));
      const chapterId = chapterIdFrom(added.headers.location);
      same((await readBack(workId, chapterId)).stored, `<p>${text}</p>`, "added");

      const over = overLimit("\u{20000}");
      const refused = await writer.post(`/works/${workId}/chapters`, {
        chapter_title: "Three",
        text: over,
      });
      assert.equal(refused.statusCode, 422);
      assert.ok(refused.body.includes(TOO_LONG), "the error is beside the text field");
      same(textareaOf(refused.body), over, "the re-shown new chapter form");
      assert.match(refused.body, /name="chapter_title" type="text" value="Three"/);

      const edited = atLimit("\u{20000}");
      const saved = await writer.post(`/works/${workId}/chapters/${chapterId}`, {
        chapter_title: "Two",
        text: edited,
      });
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
      same((await readBack(workId, chapterId)).stored, `<p>${edited}</p>`, "edited");

      const editOver = await writer.post(`/works/${workId}/chapters/${chapterId}`, {
        chapter_title: "Two, longer",
        text: over,
      });
      assert.equal(editOver.statusCode, 422);
      assert.ok(editOver.body.includes(TOO_LONG), "the error is beside the text field");
      same(textareaOf(editOver.body), over, "the re-shown edit form");
      same((await readBack(workId, chapterId)).stored, `<p>${edited}</p>`, "unchanged");
    });

    test("a body over the posting limit gets a page saying so, with a way back", async () => {
      const res = await c413(writer, "/works", "x".repeat(8 * 1024 * 1024 + 1), "/works/new");
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /Nothing was saved\./);
      assert.match(res.body, /larger than the 8 MB this form accepts/);
      assert.match(res.body, /<a href="\/works\/new">Go back to the form<\/a>/);
    });

    test("other forms keep the small limit", async () => {
      const res = await c413(reader, `/works/${workId}/comments`, "x".repeat(2 * 1024 * 1024 + 1));
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /larger than the 2 MB this form accepts/);
      assert.match(res.body, /<a href="\/">Go back to the form<\/a>/, "no referer: the front page");
    });

    async function c413(c: Client, url: string, text: string, from?: string) {
      const params = new URLSearchParams([
        ["_csrf", await c.token()],
        ["text", text],
      ]);
      return c.app.inject({
        method: "POST",
        url,
        payload: params.toString(),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
          ...(from ? { referer: `http://localhost:80${from}` } : {}),
        },
        remoteAddress: c.ip,
      });
    }
  });
});

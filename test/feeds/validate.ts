/**
 * Validates feed documents against the Atom schema of RFC 4287 (Appendix B, as RELAX NG
 * compact syntax in test/fixtures/schemas/atom.rnc) with jing, one JVM for many documents, and
 * checks what the RNC cannot say: the schema's Schematron rules (RFC 4287 §4.1.1, §4.1.2) and
 * the OPDS 1.2 rules a catalog must follow (no OPDS RELAX NG schema is published to check
 * against: opds-community/specs links one it does not contain).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { isTag, isText, type Element } from "domhandler";
import { parseDocument } from "htmlparser2";

export const JING = "/usr/bin/jing";
export const jingAvailable = () => existsSync(JING);
const SCHEMA = join(import.meta.dirname, "../fixtures/schemas/atom.rnc");

/** jing's complaints per document name (empty: valid). */
export async function jingErrors(docs: Record<string, string>): Promise<Record<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-feeds-"));
  const names = Object.keys(docs);
  const files = names.map((name, i) => {
    const file = join(dir, `${i}.xml`);
    writeFileSync(file, docs[name]!);
    return file;
  });
  let out = "";
  try {
    await promisify(execFile)(JING, ["-c", SCHEMA, ...files], { maxBuffer: 1 << 24 });
  } catch (err) {
    const e = err as { stdout?: string; code?: number };
    if (typeof e.code !== "number" || e.code !== 1) throw err;
    out = e.stdout ?? "";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const errors: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of out.split("\n").filter(Boolean)) {
    const i = files.findIndex((f) => line.startsWith(`${f}:`));
    errors[i >= 0 ? names[i]! : "(jing)"] = [...(errors[names[i] ?? "(jing)"] ?? []), line];
  }
  return errors;
}

export interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

function toNode(el: Element): Node {
  const children = el.children.filter((c): c is Element => isTag(c));
  const text = el.children.map((c) => (isText(c) ? c.data : "")).join("");
  return { name: el.name, attrs: el.attribs, children: children.map(toNode), text };
}

/** The document's root element (names as written, prefixes kept). */
export function parseXml(body: string): Node {
  const doc = parseDocument(body, { xmlMode: true, decodeEntities: true });
  const root = doc.children.find((c): c is Element => isTag(c));
  assert.ok(root, "no root element");
  return toNode(root);
}

export const kids = (n: Node, name: string) => n.children.filter((c) => c.name === name);
export const kid = (n: Node, name: string) => kids(n, name)[0];
export const links = (n: Node, rel?: string) =>
  kids(n, "link").filter((l) => rel === undefined || l.attrs.rel === rel);

/** RFC 4287's Schematron rules, which the RNC carries only as annotations. */
export function checkAtomRules(body: string, where: string) {
  const feed = parseXml(body);
  assert.equal(feed.name, "feed", where);
  assert.equal(feed.attrs.xmlns, "http://www.w3.org/2005/Atom", where);
  const feedAuthor = kids(feed, "author").length > 0;
  for (const e of kids(feed, "entry")) {
    assert.ok(feedAuthor || kids(e, "author").length > 0, `${where}: an entry without author`);
    assert.ok(
      links(e, "alternate").length > 0 || kid(e, "content"),
      `${where}: an entry without alternate link or content`,
    );
  }
  return feed;
}

export const OPDS_NAV = "application/atom+xml;profile=opds-catalog;kind=navigation";
export const OPDS_ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition";

/** OPDS 1.2's rules for catalog feeds (§2, §5, §7.1): what clients rely on. */
export function checkOpdsRules(body: string, kind: "navigation" | "acquisition", where: string) {
  const feed = checkAtomRules(body, where);
  const self = links(feed, "self")[0];
  assert.equal(self?.attrs.type, kind === "navigation" ? OPDS_NAV : OPDS_ACQ, `${where}: self`);
  assert.equal(links(feed, "start")[0]?.attrs.type, OPDS_NAV, `${where}: start`);
  const search = links(feed, "search")[0];
  assert.equal(search?.attrs.type, "application/opensearchdescription+xml", `${where}: search`);
  for (const l of kids(feed, "link").concat(kids(feed, "entry").flatMap((e) => kids(e, "link"))))
    assert.match(l.attrs.href ?? "", /^https?:\/\//, `${where}: relative link ${l.attrs.href}`);
  for (const e of kids(feed, "entry")) {
    const acquisitions = kids(e, "link").filter((l) =>
      (l.attrs.rel ?? "").startsWith("http://opds-spec.org/acquisition"),
    );
    if (kind === "acquisition") {
      assert.ok(acquisitions.length > 0, `${where}: an entry without acquisition link`);
      for (const a of acquisitions) assert.match(a.attrs.type ?? "", /.+\/.+/, where);
      assert.ok(kid(e, "dc:language"), `${where}: dc:language`);
    } else {
      assert.equal(acquisitions.length, 0, `${where}: navigation entries acquire nothing`);
      const target = kids(e, "link")[0];
      assert.match(target?.attrs.type ?? "", /profile=opds-catalog;kind=/, where);
      assert.ok(kid(e, "content"), `${where}: navigation entries describe themselves`);
    }
  }
  return feed;
}

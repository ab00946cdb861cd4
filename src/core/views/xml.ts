/**
 * XML documents (Atom feeds) built with a tagged template that escapes every interpolated
 * value; nested `xml` fragments pass through. The only way feeds are written.
 */
export class XmlFragment {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(value: string): string {
  // Characters XML 1.0 forbids outright are dropped rather than escaped.
  return (
    value
      // eslint-disable-next-line no-control-regex -- matching them is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
  );
}

type Value = string | number | XmlFragment | readonly XmlFragment[] | null | undefined;

export function xml(strings: TemplateStringsArray, ...values: Value[]): XmlFragment {
  let out = strings[0]!;
  values.forEach((v, i) => {
    if (v instanceof XmlFragment) out += v.text;
    else if (Array.isArray(v)) out += (v as readonly XmlFragment[]).map((f) => f.text).join("");
    else if (v !== null && v !== undefined) out += escapeXml(String(v));
    out += strings[i + 1]!;
  });
  return new XmlFragment(out);
}

/**
 * Just enough of a PDF reader for tests of pdfkit's uncompressed output (`compress: false`):
 * the fonts (their base names and ToUnicode maps) and the text drawn in each font, decoded
 * from the content streams' `Tf` and `TJ`/`Tj` operators.
 */

interface PdfObject {
  dict: string;
  stream: string | undefined;
}

function objects(pdf: string): Map<number, PdfObject> {
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = re.exec(pdf); m; m = re.exec(pdf)) {
    const body = m[2]!;
    const s = body.indexOf("stream");
    const dict = s >= 0 ? body.slice(0, s) : body;
    const stream =
      s >= 0 ? body.slice(s + 6, body.lastIndexOf("endstream")).replace(/^\r?\n/, "") : undefined;
    out.set(Number(m[1]), { dict, stream });
  }
  return out;
}

/** ToUnicode CMap: code → text (bfchar and bfrange, both forms). */
function cmap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (h: string) => {
    let s = "";
    for (let i = 0; i + 4 <= h.length; i += 4)
      s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(parseInt(m[1]!, 16), hexText(m[2]!));
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:\[([^\]]*)\]|<([0-9a-fA-F]+)>)/g;
    for (const m of block[1]!.matchAll(re)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      if (m[3] !== undefined) {
        // A ligature maps to several characters, written `<0066 0066>`.
        const list = [...m[3].matchAll(/<([0-9a-fA-F ]+)>/g)].map((x) =>
          hexText(x[1]!.replace(/ /g, "")),
        );
        list.forEach((t, i) => map.set(lo + i, t));
      } else {
        const start = parseInt(m[4]!, 16);
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCharCode(start + c - lo));
      }
    }
  }
  return map;
}

export interface PdfText {
  /** Base font names, e.g. `BZZZZZ+DejaVuSerif-Bold`. */
  fonts: string[];
  /** Each run of text with the base name of the font it was drawn in. */
  runs: { font: string; text: string }[];
  /** Every run joined. */
  text: string;
}

export function readPdf(bytes: Uint8Array): PdfText {
  const pdf = Buffer.from(bytes).toString("latin1");
  const objs = objects(pdf);
  // Resource name (/F1) → font object, in every page's resources.
  const fontsByResource = new Map<string, { name: string; map: Map<number, string> }>();
  const fontNames: string[] = [];
  for (const o of objs.values()) {
    for (const m of o.dict.matchAll(/\/(F\d+)\s+(\d+) 0 R/g)) {
      const font = objs.get(Number(m[2]));
      if (!font || !/\/Type\s*\/Font/.test(font.dict)) continue;
      const base = /\/BaseFont\s*\/([^\s/>]+)/.exec(font.dict)?.[1] ?? "?";
      const tu = /\/ToUnicode\s+(\d+) 0 R/.exec(font.dict)?.[1];
      const map = tu ? cmap(objs.get(Number(tu))?.stream ?? "") : new Map<number, string>();
      fontsByResource.set(m[1]!, { name: base, map });
      if (!fontNames.includes(base)) fontNames.push(base);
    }
  }
  const runs: PdfText["runs"] = [];
  for (const o of objs.values()) {
    if (o.stream === undefined || !/\bTf\b/.test(o.stream)) continue;
    let font: { name: string; map: Map<number, string> } | undefined;
    const ops = /\/(F\d+)\s+[\d.]+\s+Tf|\[((?:[^\]]|\n)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    for (const m of o.stream.matchAll(ops)) {
      if (m[1]) {
        font = fontsByResource.get(m[1]);
        continue;
      }
      const hexes =
        m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]!) : [m[3]!];
      let text = "";
      for (const h of hexes)
        for (let i = 0; i + 4 <= h.length; i += 4)
          text += font?.map.get(parseInt(h.slice(i, i + 4), 16)) ?? "";
      if (text) runs.push({ font: font?.name ?? "?", text });
    }
  }
  return { fonts: fontNames, runs, text: runs.map((r) => r.text).join("") };
}

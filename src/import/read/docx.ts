/**
 * Word documents (issue 14), through mammoth: bold, italics, underline (mammoth leaves it out
 * unless mapped, hence `u => u`), strikethrough, headings, lists, tables and footnotes become
 * HTML, which then goes the HTML file's way (html.ts). Images are dropped, with a notice; the
 * title and author come from the document's properties, else its first heading.
 */
import mammoth from "mammoth";
import type { ImportedWork, ImportOptions } from "../types.ts";
import { ImportError } from "../types.ts";
import { assembleWork, splitBlocks } from "./chapters.ts";
import {
  blocksOf,
  dropElements,
  findAllElements,
  parseHtml,
  renderHtmlBlocks,
  textOf,
} from "./html.ts";
import { titleFromFileName } from "./text.ts";
import { unzipAll, zipText } from "./zip.ts";

const STYLE_MAP = ["u => u", "strike => s", "comment-reference => !"];

/** dc:title and dc:creator of docProps/core.xml. */
function coreProperties(bytes: Uint8Array, fileName: string): { title: string; creator: string } {
  // The properties, and the document's parts counted against the expansion limit before mammoth
  // inflates them.
  const files = unzipAll(bytes, `"${fileName}"`, (name) => !name.startsWith("word/media/"));
  const core = zipText(files, "docProps/core.xml") ?? "";
  const field = (name: string) => {
    const doc = parseHtml(core);
    const el = findAllElements(doc, (e) => e.name === name)[0];
    return el ? textOf(el).replace(/\s+/g, " ").trim() : "";
  };
  return { title: field("dc:title"), creator: field("dc:creator") };
}

export async function readDocxFile(
  bytes: Uint8Array,
  fileName: string,
  options: ImportOptions,
): Promise<ImportedWork> {
  const props = coreProperties(bytes, fileName);
  let images = 0;
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        // Images are not imported (the archive hosts no files): count them, keep nothing.
        convertImage: mammoth.images.imgElement(() => {
          images++;
          return Promise.resolve({ src: "" });
        }),
      },
    );
    html = result.value;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ImportError(400, `"${fileName}" is not a readable Word document: ${reason}`);
  }
  const doc = parseHtml(html);
  // The <img src=""> mammoth made for each image.
  dropElements(doc, new Set(["img"]));
  const notices = new Set<string>();
  if (images > 0)
    notices.add(`${images.toLocaleString("en-US")} ${images === 1 ? "image" : "images"} dropped.`);
  const blocks = blocksOf(doc.children, options.split, notices);
  const split = splitBlocks(blocks, options.split);
  return assembleWork({
    format: "docx",
    meta: {
      title: props.title,
      fallbackTitle: titleFromFileName(fileName),
      creators: props.creator ? [props.creator] : [],
    },
    preamble: split.preamble,
    sections: split.sections,
    render: renderHtmlBlocks,
    notices: [...notices, split.how],
  });
}

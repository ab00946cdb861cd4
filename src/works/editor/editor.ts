/**
 * The rich-text editor of the posting forms (browser code, bundled by core/http/assets.ts with
 * esbuild and loaded only on those forms).
 *
 * Progressive enhancement: the form is a textarea with a "Text format" choice and works
 * without this file. With it, choosing "Rich text" shows a Tiptap editor with a toolbar in
 * place of the textarea; every change writes the editor's HTML back into the textarea, so the
 * form posts exactly what it posted before. Choosing another format shows the textarea again,
 * holding that HTML. Text the editor could not keep whole (a table, a class: supported.ts)
 * stays in the textarea, with a message saying why.
 */
import { Editor } from "@tiptap/core";
import Link from "@tiptap/extension-link";
import StarterKit from "@tiptap/starter-kit";
import MarkdownIt from "markdown-it";
import { describeLost, lostInEditor } from "./supported.ts";

/**
 * Links as the sanitizer writes them: `href`, then `rel="nofollow"` on links that leave the
 * site (sanitize.ts sets that `rel` itself), and nothing else (no `target`), so what the
 * editor writes is stored unchanged.
 */
const SiteLink = Link.extend({
  renderHTML({ HTMLAttributes }) {
    const href = typeof HTMLAttributes.href === "string" ? HTMLAttributes.href : null;
    // As sanitize.ts decides: controls and spaces inside the address do not count.
    // eslint-disable-next-line no-control-regex
    const bare = href?.replace(/[\x00-\x20]+/g, "") ?? null;
    const external = bare !== null && /^(?:https?:|[\\/]{2})/i.test(bare);
    return ["a", { href, rel: external ? "nofollow" : null }, 0];
  },
}).configure({
  openOnClick: false,
  autolink: false,
  linkOnPaste: true,
  defaultProtocol: "https",
  protocols: [],
  isAllowedUri: (url, ctx) =>
    /^(?:https?:|mailto:|\/|#|\.)/i.test(url.trim()) && ctx.defaultValidate(url),
});

/** The markdown the server reads (core/text/formats.ts), to bring Markdown into the editor. */
const markdown = new MarkdownIt("default", { html: true, linkify: false, typographer: false });

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Plain text as HTML the way the paragraph rules read it: blank lines part paragraphs. */
function plainAsHtml(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** The textarea's text, in `format`, as HTML for the editor. */
function asHtml(text: string, format: string): string {
  if (format === "markdown") return markdown.render(text);
  if (format === "plain") return plainAsHtml(text);
  return text;
}

/** What the editor would drop from `html` (empty when it can hold all of it). */
function lostFrom(html: string): string[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const lost: string[] = [];
  // Inside an element that is lost already (a table's rows), only that element is named.
  const dropped = new Set<Element>();
  for (const el of Array.from(doc.body.querySelectorAll("*"))) {
    if (el.parentElement && dropped.has(el.parentElement)) {
      dropped.add(el);
      continue;
    }
    const here = lostInEditor(
      el.tagName,
      Array.from(el.attributes, (a) => a.name),
    );
    if (here[0] === el.tagName.toLowerCase()) dropped.add(el);
    lost.push(...here);
  }
  return lost;
}

/**
 * The editor's HTML as it is stored: empty paragraphs (blank lines typed between paragraphs)
 * go, as the paragraph rules drop them on the server anyway.
 */
const outputHtml = (editor: Editor) => editor.getHTML().replace(/<p><\/p>/g, "");

interface Tool {
  name: string;
  label: string;
  /** As `aria-keyshortcuts` writes it. */
  keys?: string;
  run: (editor: Editor) => void;
  /** For toggles: whether it is on where the cursor is (aria-pressed). */
  active?: (editor: Editor) => boolean;
}

function askForLink(editor: Editor) {
  const current = editor.getAttributes("link").href as string | undefined;
  const url = window.prompt("Link address (leave empty to remove the link)", current ?? "https://");
  if (url === null) return;
  const chain = editor.chain().focus().extendMarkRange("link");
  if (url.trim() === "" || url.trim() === "https://") chain.unsetLink().run();
  else chain.setLink({ href: url.trim() }).run();
}

const TOOLS: (Tool | "|")[] = [
  {
    name: "bold",
    label: "Bold",
    keys: "Control+B",
    run: (e) => e.chain().focus().toggleBold().run(),
    active: (e) => e.isActive("bold"),
  },
  {
    name: "italic",
    label: "Italic",
    keys: "Control+I",
    run: (e) => e.chain().focus().toggleItalic().run(),
    active: (e) => e.isActive("italic"),
  },
  {
    name: "underline",
    label: "Underline",
    keys: "Control+U",
    run: (e) => e.chain().focus().toggleUnderline().run(),
    active: (e) => e.isActive("underline"),
  },
  {
    name: "strike",
    label: "Strikethrough",
    keys: "Control+Shift+S",
    run: (e) => e.chain().focus().toggleStrike().run(),
    active: (e) => e.isActive("strike"),
  },
  "|",
  {
    name: "heading",
    label: "Heading",
    keys: "Control+Alt+2",
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
    active: (e) => e.isActive("heading", { level: 2 }),
  },
  {
    name: "subheading",
    label: "Subheading",
    keys: "Control+Alt+3",
    run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
    active: (e) => e.isActive("heading", { level: 3 }),
  },
  {
    name: "bullet-list",
    label: "Bulleted list",
    keys: "Control+Shift+8",
    run: (e) => e.chain().focus().toggleBulletList().run(),
    active: (e) => e.isActive("bulletList"),
  },
  {
    name: "ordered-list",
    label: "Numbered list",
    keys: "Control+Shift+7",
    run: (e) => e.chain().focus().toggleOrderedList().run(),
    active: (e) => e.isActive("orderedList"),
  },
  {
    name: "blockquote",
    label: "Quote",
    keys: "Control+Shift+B",
    run: (e) => e.chain().focus().toggleBlockquote().run(),
    active: (e) => e.isActive("blockquote"),
  },
  "|",
  {
    name: "link",
    label: "Link",
    keys: "Control+K",
    run: askForLink,
    active: (e) => e.isActive("link"),
  },
  {
    name: "horizontal-rule",
    label: "Horizontal line",
    run: (e) => e.chain().focus().setHorizontalRule().run(),
  },
  {
    name: "hard-break",
    label: "Line break",
    keys: "Shift+Enter",
    run: (e) => e.chain().focus().setHardBreak().run(),
  },
  "|",
  { name: "undo", label: "Undo", keys: "Control+Z", run: (e) => e.chain().focus().undo().run() },
  {
    name: "redo",
    label: "Redo",
    keys: "Control+Shift+Z",
    run: (e) => e.chain().focus().redo().run(),
  },
];

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A toolbar in the ARIA pattern: one tab stop, arrow keys move between buttons. */
function buildToolbar(editorId: string, getEditor: () => Editor | null) {
  const bar = element("div", {
    role: "toolbar",
    "aria-label": "Formatting",
    "aria-controls": editorId,
    class: "editor-toolbar",
  });
  const buttons: { tool: Tool; button: HTMLButtonElement }[] = [];
  for (const tool of TOOLS) {
    if (tool === "|") {
      bar.append(element("span", { class: "editor-toolbar-gap", "aria-hidden": "true" }));
      continue;
    }
    const attrs: Record<string, string> = {
      type: "button",
      class: `editor-tool editor-tool-${tool.name}`,
      "data-tool": tool.name,
      tabindex: buttons.length === 0 ? "0" : "-1",
      title: tool.keys ? `${tool.label} (${tool.keys.replace(/\+/g, " + ")})` : tool.label,
    };
    if (tool.keys) attrs["aria-keyshortcuts"] = tool.keys;
    if (tool.active) attrs["aria-pressed"] = "false";
    const button = element("button", attrs, tool.label);
    button.addEventListener("click", () => {
      const editor = getEditor();
      if (editor) tool.run(editor);
    });
    buttons.push({ tool, button });
    bar.append(button);
  }
  bar.addEventListener("keydown", (event) => {
    const at = buttons.findIndex((b) => b.button === document.activeElement);
    if (at < 0) return;
    let to = at;
    if (event.key === "ArrowRight") to = (at + 1) % buttons.length;
    else if (event.key === "ArrowLeft") to = (at - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = buttons.length - 1;
    else return;
    event.preventDefault();
    buttons[at]?.button.setAttribute("tabindex", "-1");
    buttons[to]?.button.setAttribute("tabindex", "0");
    buttons[to]?.button.focus();
  });
  const refresh = (editor: Editor) => {
    for (const { tool, button } of buttons) {
      if (tool.active) button.setAttribute("aria-pressed", String(tool.active(editor)));
    }
  };
  return { bar, refresh };
}

function enhance(textarea: HTMLTextAreaElement) {
  const form = textarea.form;
  const choice = form?.querySelector<HTMLSelectElement>("select[name='text_format']");
  if (!form || !choice) return;
  const field = textarea.closest(".field") ?? textarea.parentElement;
  if (!field) return;
  const label = form.querySelector(`label[for='${textarea.id}']`);
  const editorId = `${textarea.id}-editor`;

  const status = element("p", { class: "editor-status", role: "status" });
  const mount = element("div", { class: "editor-area" });
  let editor: Editor | null = null;
  const toolbar = buildToolbar(editorId, () => editor);
  const frame = element("div", { class: "rich-editor", hidden: "" });
  frame.append(toolbar.bar, mount);
  textarea.after(frame);
  textarea.after(status);
  const wasRequired = textarea.required;
  let shownFormat = choice.value;

  const sync = () => {
    if (editor) textarea.value = outputHtml(editor);
  };

  function createEditor(html: string) {
    editor = new Editor({
      element: mount,
      // Our stylesheet has ProseMirror's few rules: no inline <style> (the CSP forbids it).
      injectCSS: false,
      extensions: [StarterKit.configure({ link: false, trailingNode: false }), SiteLink],
      content: html,
      editorProps: {
        attributes: {
          id: editorId,
          class: "userstuff editor-text",
          role: "textbox",
          "aria-multiline": "true",
          "aria-label": label?.textContent?.replace(/\s*\(required\)\s*$/, "").trim() || "Text",
          ...(textarea.getAttribute("aria-describedby")
            ? { "aria-describedby": textarea.getAttribute("aria-describedby") ?? "" }
            : {}),
        },
        handleKeyDown: (_view, event) => {
          if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k" && editor) {
            event.preventDefault();
            askForLink(editor);
            return true;
          }
          return false;
        },
      },
      onUpdate: ({ editor: e }) => {
        sync();
        toolbar.refresh(e);
      },
      onSelectionUpdate: ({ editor: e }) => toolbar.refresh(e),
    });
    toolbar.refresh(editor);
  }

  /** Shows the editor with `html`, or says why the text stays in the textarea. */
  function showEditor(from: string): boolean {
    const html = asHtml(textarea.value, from);
    const lost = lostFrom(html);
    if (lost.length > 0) {
      status.textContent = `This text has ${describeLost(lost)}, which the rich-text editor cannot keep: edit it here as HTML.`;
      return false;
    }
    if (editor) editor.commands.setContent(html, { emitUpdate: false });
    else createEditor(html);
    sync();
    status.textContent = "";
    frame.hidden = false;
    textarea.hidden = true;
    // The editor holds the text: an empty one is the server's to refuse, with its message.
    textarea.required = false;
    return true;
  }

  function showTextarea() {
    sync();
    frame.hidden = true;
    textarea.hidden = false;
    textarea.required = wasRequired;
  }

  choice.addEventListener("change", () => {
    if (choice.value === "rich") {
      if (!showEditor(shownFormat)) {
        choice.value = shownFormat === "rich" ? "html" : shownFormat;
        return;
      }
    } else if (shownFormat === "rich") {
      showTextarea();
      status.textContent =
        choice.value === "html"
          ? ""
          : "The text is kept as the editor wrote it, in HTML; change it to suit the new format.";
    }
    shownFormat = choice.value;
  });

  if (choice.value === "rich" && !showEditor("html")) {
    choice.value = "html";
    shownFormat = "html";
  }
  label?.addEventListener("click", (event) => {
    if (!frame.hidden && editor) {
      event.preventDefault();
      editor.commands.focus();
    }
  });
}

for (const textarea of Array.from(
  document.querySelectorAll<HTMLTextAreaElement>("[data-rich-text] textarea"),
)) {
  enhance(textarea);
}

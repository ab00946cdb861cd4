// Saves a logged-in reader's place as they read: the paragraph at the top of the window, a
// few seconds after scrolling stops, and when the page is left. Loaded only on reading pages
// for logged-in readers. Without it, the "Save my place" forms still save whole chapters.
(() => {
  "use strict";
  const form = document.querySelector("form.save-place");
  if (!form || !("IntersectionObserver" in window)) return;
  const url = form.getAttribute("action");
  const token = form.querySelector('input[name="_csrf"]');
  if (!url || !token) return;

  // Paragraph ids are `chapter-<position>-p<N>` (core/text/paragraphs.ts); N counts from 1.
  // Each chapter on the page ends with its own form, which names the chapter's id.
  const paragraphs = [];
  document.querySelectorAll("#chapters > .chapter").forEach((chapter) => {
    const field = chapter.querySelector('form.save-place input[name="chapter_id"]');
    if (!field) return;
    chapter.querySelectorAll("[id]").forEach((el) => {
      const m = /^chapter-\d+-p(\d+)$/.exec(el.id);
      if (m) paragraphs.push({ el, chapterId: field.value, index: Number(m[1]) - 1 });
    });
  });
  if (paragraphs.length === 0) return;
  const byElement = new Map(paragraphs.map((p, order) => [p.el, { ...p, order }]));

  const visible = new Set();
  let current = null;
  let sent = "";
  let scrolled = false;
  let timer = 0;

  const observer = new window.IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) visible.add(entry.target);
      else visible.delete(entry.target);
    }
    // The topmost paragraph still on screen is where the reader is.
    let top = null;
    for (const el of visible) {
      const p = byElement.get(el);
      if (p && (top === null || p.order < top.order)) top = p;
    }
    if (top) current = top;
  });
  paragraphs.forEach((p) => observer.observe(p.el));

  const body = () => {
    const data = new window.URLSearchParams();
    data.set("_csrf", token.value);
    data.set("chapter_id", current.chapterId);
    data.set("paragraph", String(current.index));
    data.set("anchor", (current.el.textContent || "").trim().slice(0, 200));
    data.set("via", "script");
    return data;
  };
  const key = () => (current ? `${current.chapterId}:${current.index}` : "");

  const save = () => {
    if (!scrolled || !current || key() === sent) return;
    sent = key();
    fetch(url, { method: "POST", body: body(), credentials: "same-origin" }).catch(() => {
      sent = ""; // try again after the next scroll
    });
  };

  // Opening a page is not reading it: nothing is saved until the reader scrolls.
  window.addEventListener(
    "scroll",
    () => {
      scrolled = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 3000);
    },
    { passive: true },
  );
  window.addEventListener("pagehide", () => {
    if (!scrolled || !current || key() === sent) return;
    sent = key();
    window.navigator.sendBeacon(url, body());
  });
})();

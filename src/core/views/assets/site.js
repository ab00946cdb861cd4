// Small progressive enhancement: tag fields suggest canonical tags as you type.
// Everything works without this file; it only adds a native <datalist> to tag inputs.
(() => {
  "use strict";
  const inputs = document.querySelectorAll("input[data-autocomplete]");
  inputs.forEach((input, n) => {
    const list = document.createElement("datalist");
    list.id = `autocomplete-${n}`;
    input.after(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    let timer = 0;
    let asked = "";
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const value = input.value;
        const cut = value.lastIndexOf(",");
        const before = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
        const term = value.slice(cut + 1).trim();
        if (term.length < 2 || term === asked) return;
        asked = term;
        try {
          const type = encodeURIComponent(input.dataset.autocomplete || "");
          const res = await fetch(`/autocomplete/${type}?term=${encodeURIComponent(term)}`);
          if (!res.ok) return;
          const suggestions = await res.json();
          list.replaceChildren(
            ...suggestions.map((s) => {
              const option = document.createElement("option");
              option.value = before + (s.canonical || s.name);
              option.label = s.canonical ? `${s.name} → ${s.canonical}` : s.name;
              return option;
            }),
          );
        } catch {
          // Suggestions are a convenience; typing still works.
        }
      }, 150);
    });
  });
})();

// The adult-content notice: the server never sees an address's #fragment (the paragraph a
// "Continue reading" link points at), so "Proceed" takes it along here.
(() => {
  "use strict";
  if (!window.location.hash) return;
  document.querySelectorAll("a[data-keep-hash]").forEach((link) => {
    const url = new window.URL(link.href, window.location.href);
    url.hash = window.location.hash;
    link.href = url.toString();
  });
})();

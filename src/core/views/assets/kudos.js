// Leaves kudos without reloading the page: sends the kudos form with fetch, then updates the
// count and the list of names in place and says what happened in a live region. Without this
// file the form posts normally and the page comes back with the same message.
(() => {
  "use strict";
  const section = document.querySelector("[data-kudos]");
  const form = section && section.querySelector("form.kudos-form");
  if (!form) return;
  const status = section.querySelector("[data-kudos-status]");
  const count = section.querySelector("[data-kudos-count]");
  const summary = section.querySelector("[data-kudos-summary]");
  const button = form.querySelector("button[type=submit]");
  const say = (text) => {
    status.textContent = text;
  };

  // Our answers are JSON; errors raised before the kudos code runs (too many requests, an
  // expired form) come back as an HTML error page, whose message is read from it.
  const answerOf = async (res) => {
    const type = res.headers.get("content-type") || "";
    if (type.includes("application/json")) return res.json();
    const page = new window.DOMParser().parseFromString(await res.text(), "text/html");
    const message = page.querySelector(".error-page p");
    return {
      error: message
        ? message.textContent
        : `Your kudos could not be left (error ${res.status}). Please try again.`,
    };
  };

  // Built from text nodes and links only: names are never parsed as HTML.
  const showPieces = (pieces) => {
    summary.replaceChildren(
      ...pieces.map((piece) => {
        if (!piece.href) return document.createTextNode(piece.text);
        const link = document.createElement("a");
        link.href = piece.href;
        link.textContent = piece.text;
        return link;
      }),
    );
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    say("Sending your kudos…");
    try {
      const res = await fetch(form.action, {
        method: "POST",
        headers: { accept: "application/json" },
        body: new window.URLSearchParams(new window.FormData(form)),
        credentials: "same-origin",
      });
      const answer = await answerOf(res);
      if (res.ok) {
        count.textContent = `(${answer.count.toLocaleString("en-US")})`;
        showPieces(answer.pieces);
        say(answer.message);
      } else {
        say(answer.error);
      }
    } catch {
      say("Your kudos could not be sent: check your connection and try again.");
    } finally {
      button.disabled = false;
    }
  });
})();

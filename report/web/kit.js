// kit.js - the web edition's two behaviours (make html): the contents
// open beside the text on a wide screen (folded on a phone), and the
// search box looks the words up in the index tools/html-post.py built
// (search-index.js, loaded before this file: no server, no network).
"use strict";

// The contents: open when the page is wide enough to show them beside
// the text, folded when it narrows to a phone's width.
function followScreenWidth() {
  const contents = document.querySelector(".kit-contents");
  const wide = window.matchMedia("(min-width: 62rem)");
  if (!contents) return;
  contents.open = wide.matches;
  wide.addEventListener("change", () => { contents.open = wide.matches; });
}

// An entry matches when each word of the query is in its title or text;
// a word in the title counts more.
function searchBook(query) {
  const words = query.toLowerCase().split(/\s+/).filter(w => w.length > 0);
  if (words.length === 0 || !window.KIT_SEARCH) return [];
  const found = [];
  for (const entry of window.KIT_SEARCH) {
    const title = entry.title.toLowerCase();
    const text = entry.text.toLowerCase();
    let score = 0;
    for (const word of words) {
      if (title.includes(word)) score += 10;
      else if (text.includes(word)) score += 1;
      else { score = 0; break; }
    }
    if (score > 0) found.push({ entry, score });
  }
  found.sort((a, b) => b.score - a.score);
  return found.slice(0, 12).map(f => f.entry);
}

// A few words around the first match, for the result's second line.
function snippet(text, word) {
  const at = text.toLowerCase().indexOf(word.toLowerCase());
  const start = Math.max(0, at - 40);
  return (start > 0 ? "…" : "") + text.slice(start, start + 120) + "…";
}

function showResults(query, list) {
  list.replaceChildren();
  const first = query.trim().split(/\s+/)[0] || "";
  for (const entry of searchBook(query)) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = entry.page + (entry.anchor ? "#" + entry.anchor : "");
    link.textContent = entry.chapter + ": " + entry.title;
    const more = document.createElement("span");
    more.className = "kit-snippet";
    more.textContent = snippet(entry.text, first);
    item.append(link, more);
    list.append(item);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  followScreenWidth();
  const box = document.getElementById("kit-search-box");
  const list = document.getElementById("kit-search-results");
  if (box && list) {
    box.addEventListener("input", () => showResults(box.value, list));
  }
});

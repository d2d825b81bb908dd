// Quote what the reader selected: a post's Quote link then carries the passage (?quote=...),
// which the forum checks against the post. Without this script, or with nothing selected in
// that post, the link quotes the post's first paragraph.
(function () {
  "use strict";
  var MAX = 3000; // encoded characters: the address stays well under servers' limits

  function carrySelection(event) {
    var link = event.target.closest && event.target.closest("a.quote");
    var selection = window.getSelection();
    if (!link || !selection || selection.isCollapsed) return;
    var prose = link.closest("article.post").querySelector(".prose");
    if (!prose || !prose.contains(selection.anchorNode) || !prose.contains(selection.focusNode)) return;
    var passage = selection.toString().trim();
    while (encodeURIComponent(passage).length > MAX) passage = passage.slice(0, -100);
    var url = new URL(link.href);
    url.searchParams.set("quote", passage || "1");
    link.href = url.toString();
  }

  // Before the click: pressing on a link may clear the selection.
  document.addEventListener("pointerdown", carrySelection);
  document.addEventListener("click", carrySelection);
})();

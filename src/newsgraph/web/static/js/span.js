// Article view: a link to a span of the text (#START-END, as reports make) outlines that
// span and scrolls to it. Segments carry their offsets in data-s / data-e.
(function () {
  "use strict";
  function show() {
    const m = /^#(\d+)-(\d+)$/.exec(window.location.hash);
    document.querySelectorAll("#text .target").forEach((el) => el.classList.remove("target"));
    if (!m) return;
    const start = Number(m[1]), end = Number(m[2]);
    const hits = Array.from(document.querySelectorAll("#text [data-s]")).filter(
      (el) => Number(el.dataset.s) < end && Number(el.dataset.e) > start);
    hits.forEach((el) => el.classList.add("target"));
    if (hits.length) hits[0].scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", show);
  show();
})();

// The review page's only script (allowed by its sha256 in the page's CSP; the page works
// without it). When an item's quote is the target ("#a3-c1-q"), every segment of that
// quote is lit, so a long or overlapping quote can be told from its neighbours.
(function () {
  "use strict";
  document.documentElement.setAttribute("data-js", "on");
  function clear() {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
  }
  function light() {
    clear();
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/-q$/.test(id)) { return; }
    var ref = id.slice(0, -2);
    document.querySelectorAll("mark.hl[data-refs]").forEach(function (el) {
      if (el.getAttribute("data-refs").split(" ").indexOf(ref) >= 0) { el.classList.add("active"); }
    });
  }
  window.addEventListener("hashchange", light);
  light();
})();

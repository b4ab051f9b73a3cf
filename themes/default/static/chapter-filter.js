// Progressive enhancement: filter the chapter list as you type.
// Without script the full grouped list shows and this box stays hidden.
// `?q=Europe` in the address fills the box (the chapter page links a
// region that way).
(function () {
  var box = document.querySelector("[data-filter]");
  if (!box) return;
  var input = box.querySelector("input");
  var status = box.querySelector("[role=status]");
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var regions = Array.prototype.slice.call(document.querySelectorAll("[data-region]"));
  var empty = document.querySelector("[data-filter-empty]");
  box.hidden = false;
  function apply() {
    var words = input.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-search");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !match;
      if (match) shown++;
    });
    regions.forEach(function (r) {
      var n = r.querySelectorAll("[data-search]:not([hidden])").length;
      r.hidden = n === 0;
      var count = r.querySelector(".count");
      if (count) count.textContent = n;
    });
    if (empty) empty.hidden = shown !== 0;
    status.textContent = words.length ? shown + (shown === 1 ? " chapter" : " chapters") + " shown" : "";
  }
  input.addEventListener("input", apply);
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; apply(); }
})();

// Mark an event as over once its end has passed, even on a page built
// before it ended. Without script the page stays as built.
(function () {
  var el = document.querySelector("[data-event-end]");
  if (!el) return;
  var end = Number(el.getAttribute("data-event-end")) * 1000;
  function check() {
    if (Date.now() < end) return false;
    var rsvp = document.querySelector("[data-rsvp]");
    if (rsvp) rsvp.hidden = true;
    var banner = document.querySelector("[data-over-banner]");
    if (banner) banner.hidden = false;
    el.classList.add("is-over");
    return true;
  }
  if (!check()) {
    var timer = setInterval(function () { if (check()) clearInterval(timer); }, 60000);
  }
})();

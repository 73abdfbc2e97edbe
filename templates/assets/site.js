/* Reading settings (适老化): font size and high contrast, remembered on this device.
   Works from file:// and needs no network. Runs in <head> so the page paints at the chosen size.
   Kept in two places: localStorage (survives closing the browser) and the tab's window.name
   (survives going from page to page where each file gets its own storage or none: some
   browsers give every file:// page its own storage, private modes may refuse it). The tab's
   copy is the newer one when both are there. */
(function () {
  "use strict";
  var root = document.documentElement;
  var TAB = "gongkai-settings:";
  function tab() {
    var out = {};
    try {
      if (window.name.indexOf(TAB) !== 0) return out;
      window.name.slice(TAB.length).split(";").forEach(function (pair) {
        var kv = pair.split("=");
        if (kv.length === 2 && /^(font|contrast)$/.test(kv[0])) out[kv[0]] = kv[1];
      });
    } catch (e) { /* no window.name */ }
    return out;
  }
  function load(key) {
    var inTab = tab()[key];
    if (inTab !== undefined) return inTab;
    try { return window.localStorage.getItem("gongkai-" + key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem("gongkai-" + key, value); } catch (e) { /* private mode */ }
    var now = tab();
    now[key] = value;
    try {
      // our own name only: never overwrite a name some other script gave this tab
      if (window.name === "" || window.name.indexOf(TAB) === 0)
        window.name = TAB + Object.keys(now).sort().map(function (k) { return k + "=" + now[k]; }).join(";");
    } catch (e) { /* no window.name */ }
  }
  var font = load("font");
  if (font && /^(-1|0|1|2)$/.test(font)) root.setAttribute("data-font", font);
  if (load("contrast") === "high") root.setAttribute("data-contrast", "high");

  document.addEventListener("DOMContentLoaded", function () {
    // the button, never <html> (which carries data-contrast too)
    var contrast = document.querySelector("button[data-contrast]");
    if (contrast) contrast.setAttribute("aria-pressed", root.getAttribute("data-contrast") === "high" ? "true" : "false");
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button) return;
      if (button.hasAttribute("data-font")) {
        var step = parseInt(button.getAttribute("data-font"), 10);
        var current = parseInt(root.getAttribute("data-font") || "0", 10);
        var next = step === 0 ? 0 : Math.max(-1, Math.min(2, current + step));
        root.setAttribute("data-font", String(next));
        save("font", String(next));
      } else if (button.hasAttribute("data-contrast")) {
        var high = root.getAttribute("data-contrast") !== "high";
        if (high) root.setAttribute("data-contrast", "high"); else root.removeAttribute("data-contrast");
        button.setAttribute("aria-pressed", high ? "true" : "false");
        save("contrast", high ? "high" : "normal");
      } else if (button.hasAttribute("data-print")) {
        window.print();
      }
    });
  });
})();

/* Reading settings (适老化): font size and high contrast, remembered on this device.
   Works from file:// and needs no network. Runs in <head> so the page paints at the chosen size. */
(function () {
  "use strict";
  var root = document.documentElement;
  function load(key) { try { return window.localStorage.getItem("gongkai-" + key); } catch (e) { return null; } }
  function save(key, value) { try { window.localStorage.setItem("gongkai-" + key, value); } catch (e) { /* private mode */ } }
  var font = load("font");
  if (font) root.setAttribute("data-font", font);
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

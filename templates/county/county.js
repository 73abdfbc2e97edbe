/*
 * County search page: the township filter. Choosing a township searches within that township's
 * own section (its own index, the same search as its search page); "全县" searches the county
 * index. Runs before search.js, so a ?town= link never shows county results first.
 */
(function () {
  "use strict";
  function townUrl(params) {
    var town = params.get("town");
    if (!town || !/^[a-z0-9][a-z0-9-]*$/.test(town)) return null;
    params.delete("town");
    var qs = params.toString();
    return town + "/search.html" + (qs ? "?" + qs : "");
  }
  var target = townUrl(new URLSearchParams(location.search));
  if (target) {
    location.replace(target);
    return;
  }
  /** Name the township of each result (its link starts with the township's folder). */
  function labelTowns(results, names) {
    Array.prototype.forEach.call(results.querySelectorAll(".search-result"), function (item) {
      if (item.querySelector(".search-result-town")) return;
      var link = item.querySelector(".search-result-title a");
      var meta = item.querySelector(".search-result-meta");
      var slug = link && (link.getAttribute("href") || "").split("/")[0];
      if (!meta || !names[slug]) return;
      var label = document.createElement("span");
      label.className = "search-result-town";
      label.textContent = names[slug];
      meta.insertBefore(label, meta.firstChild);
      meta.insertBefore(document.createTextNode(" "), label.nextSibling);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-county-search]");
    if (!form) return;
    var names = {};
    Array.prototype.forEach.call(form.querySelectorAll("select[name=town] option"), function (opt) {
      if (opt.value) names[opt.value] = opt.textContent;
    });
    var results = document.getElementById("search-results");
    if (results && window.MutationObserver) {
      new MutationObserver(function () { labelTowns(results, names); })
        .observe(results, { childList: true, subtree: true });
    }
    form.addEventListener("submit", function (ev) {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value) params.set(el.name, el.value);
      });
      var url = townUrl(params);
      if (url) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        location.href = url;
      }
    }, true);
  });
})();

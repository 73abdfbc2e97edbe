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
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-county-search]");
    if (!form) return;
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

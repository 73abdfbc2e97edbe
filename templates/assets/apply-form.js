// 政府信息公开申请表: fill in the document named in the query string (?title=&doc_number=&index=).
// Values are set as input values, never as markup.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var fields = document.querySelectorAll("input.prefill[data-param]");
  for (var i = 0; i < fields.length; i++) {
    var value = params.get(fields[i].getAttribute("data-param"));
    if (value) {
      fields[i].value = value.slice(0, 200);
      fields[i].setAttribute("value", fields[i].value);
    }
  }
  var button = document.getElementById("print-form");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();

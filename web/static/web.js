/* mealplan serve: small enhancements. Every form works without this file (no inline script anywhere):
   1. suggestions under food and dish inputs (data-search), from /search.json, as a <datalist>;
   2. "Add a row" adds a require or forbid row here, without sending the form;
   3. a form's error summary takes the focus, so a keyboard or screen-reader user starts there. */
(function () {
  "use strict";
  var count = 0;

  function suggest(input) {
    var list = document.createElement("datalist");
    count += 1;
    list.id = "suggest-" + count;
    input.setAttribute("list", list.id);
    input.parentNode.insertBefore(list, input.nextSibling);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value;
        var prefix = "";
        if (input.dataset.list) { /* a comma-separated field: suggest for its last item */
          var cut = text.lastIndexOf(",");
          prefix = cut >= 0 ? text.slice(0, cut + 1) + " " : "";
          text = text.slice(cut + 1);
        }
        text = text.trim();
        if (text.length < 2 || text === asked) { return; }
        asked = text;
        var url = "/search.json?kind=" + encodeURIComponent(input.dataset.search) + "&q=" + encodeURIComponent(text);
        window.fetch(url, {credentials: "same-origin"}).then(function (r) {
          return r.ok ? r.json() : {found: []};
        }).then(function (data) {
          list.textContent = "";
          data.found.forEach(function (m) {
            var option = document.createElement("option");
            option.value = prefix + m.id;
            option.label = m.name + (m.full !== m.name ? " (" + m.full + ")" : "") + " · " + m.kind;
            list.appendChild(option);
          });
        }).catch(function () { list.textContent = ""; });
      }, 180);
    });
  }

  function renumber(row, kind, k) {
    var pattern = new RegExp("^(f-)?" + kind + "-\\d+-");
    row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && pattern.test(value)) {
          el.setAttribute(attr, value.replace(pattern, function (m, f) { return (f || "") + kind + "-" + k + "-"; }));
        }
      });
    });
    row.dataset.row = String(k);
  }

  function addRow(button) {
    var box = button.closest(".rows");
    var rows = box.querySelectorAll(".rule-row");
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    row.classList.remove("bad");
    row.querySelectorAll(".errs, .pick, datalist").forEach(function (el) { el.remove(); });
    row.querySelectorAll("input").forEach(function (el) {
      if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
      el.removeAttribute("list");
    });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    renumber(row, box.dataset.kind, rows.length);
    box.insertBefore(row, button);
    row.querySelectorAll("[data-search]").forEach(suggest);
    var first = row.querySelector("input, select");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-search]").forEach(suggest);
    document.querySelectorAll("button.add-row").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        addRow(button);
      });
    });
    var summary = document.getElementById("errors");
    if (summary) { summary.focus(); }
  });
}());

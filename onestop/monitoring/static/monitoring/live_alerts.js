/* The live centre view's open alerts: read from the alerts API when the page loads and again
 * each time live.js renders a fresh snapshot (it does so on every event of the centre's
 * stream, monitoring.alert.* included). Texts come translated from the server.
 */
(function () {
  "use strict";

  var root = document.getElementById("live");
  var box = document.getElementById("raised-alerts");
  var list = document.getElementById("raised-alerts-list");
  if (!root || !box || !list) return;
  var busy = false;
  var again = false;

  function show(alerts) {
    var next = alerts.map(function (alert) {
      return "⚠ " + alert.kind_label + ": " + alert.text;
    });
    var current = Array.prototype.map.call(list.querySelectorAll("li"), function (li) {
      return li.textContent;
    });
    if (current.join("\n") === next.join("\n")) return; // unchanged: nothing to announce
    list.replaceChildren.apply(list, next.map(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
  }

  function load() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(box.dataset.alertsUrl, {
      cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("alerts " + response.status);
      return response.json();
    }).then(function (data) { show(data.alerts); })
      .catch(function () { /* the next snapshot retries */ })
      .then(function () {
        busy = false;
        if (again) { again = false; load(); }
      });
  }

  root.addEventListener("live:rendered", load);
  load();
})();

// Operator console: refresh the desk when the centre's queue changes.
// The desk polls itself every 10 s (htmx); the event stream only makes it quicker.
(function () {
  "use strict";
  var script = document.currentScript;
  var eventsUrl = script && script.dataset.eventsUrl;
  var pending = null;

  function refresh() {
    if (pending) return;
    pending = window.setTimeout(function () {
      pending = null;
      var desk = document.getElementById("desk");
      if (desk && window.htmx) window.htmx.trigger(desk, "refresh");
    }, 250);
  }

  // Never wipe what the operator is typing: skip a background refresh while a field of the
  // desk has focus or holds text.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var desk = document.getElementById("desk");
    if (!desk || event.detail.elt !== desk) return;
    var active = document.activeElement;
    var typing = active && desk.contains(active) &&
      (active.tagName === "INPUT" || active.tagName === "SELECT" || active.tagName === "TEXTAREA");
    var filled = Array.prototype.some.call(
      desk.querySelectorAll("input[name=reason], input[name=note]"),
      function (input) { return input.value.trim() !== ""; }
    );
    var open = desk.querySelector("details[open]");
    if (typing || filled || open) event.preventDefault();
  });

  var topics = [
    "queue.ticket.issued", "queue.ticket.call", "queue.ticket.recall", "queue.ticket.start",
    "queue.ticket.finish", "queue.ticket.no_show", "queue.ticket.transfer",
    "queue.ticket.cancel", "queue.ticket.close", "queue.window.open", "queue.window.paused",
    "queue.window.closed"
  ];

  function listen() {
    if (!eventsUrl || !window.EventSource) return;
    var source = new EventSource(eventsUrl);
    source.onmessage = refresh;
    topics.forEach(function (topic) { source.addEventListener(topic, refresh); });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", listen);
  } else {
    listen();
  }
})();

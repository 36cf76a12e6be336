/* The live centre view: figures rendered by the server, then kept live by the centre's event
 * stream. Every event (a ticket issued, called, served; a window opened, paused, closed) asks
 * for a fresh snapshot of the JSON view, at most once per quarter second; no polling loop.
 * EventSource reconnects by itself and resumes after Last-Event-ID.
 */
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root) return;
  var config = {
    snapshotUrl: root.dataset.snapshotUrl,
    eventsUrl: root.dataset.eventsUrl,
    language: root.dataset.language || "kk",
    waitAlert: root.dataset.waitAlert || "",
    breakAlert: root.dataset.breakAlert || "",
  };
  var source = null;
  var refreshTimer = null;

  function lookup(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? value : value[key];
    }, data);
  }

  function show(value) {
    return value === null || value === undefined || value === "" ? "—" : String(value);
  }

  function condition(data, spec) {
    var parts = spec.split(":");
    var value = lookup(data, parts[0]);
    return parts.length > 1 ? String(value) === parts[1] : Boolean(value);
  }

  /* Fill every [data-field] under `node` (the node included) from `data`; show or hide the
   * [data-show-if] / [data-hide-if] texts: meaning is in words, never in colour alone. */
  function fill(node, data) {
    var all = [node].concat(Array.prototype.slice.call(node.querySelectorAll("*")));
    all.forEach(function (item) {
      if (!item.dataset) return;
      if (item.dataset.field) item.textContent = show(lookup(data, item.dataset.field));
      if (item.dataset.showIf) item.hidden = !condition(data, item.dataset.showIf);
      if (item.dataset.hideIf) item.hidden = condition(data, item.dataset.hideIf);
    });
  }

  function rows(tbodyId, templateId, items, prepare) {
    var target = document.getElementById(tbodyId);
    var template = document.getElementById(templateId);
    if (!target || !template) return;
    var fresh = items.map(function (item) {
      var node = template.content.firstElementChild.cloneNode(true);
      if (prepare) prepare(item, node);
      fill(node, item);
      return node;
    });
    target.replaceChildren.apply(target, fresh);
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function alerts(view) {
    var texts = view.groups.filter(function (g) { return g.breach; }).map(function (g) {
      return format(config.waitAlert, {
        letter: g.letter, over: g.over_target, longest: g.longest_wait_minutes,
        target: g.target_minutes,
      });
    });
    (view.wellbeing || []).forEach(function (load) {
      if (!load.needs_break) return;
      texts.push(format(config.breakAlert, {
        name: load.name, minutes: load.continuous_minutes, limit: view.max_continuous_minutes,
      }));
    });
    var box = document.getElementById("live-alerts");
    var current = Array.prototype.map.call(box.querySelectorAll("li"), function (li) {
      return li.textContent;
    });
    var next = texts.map(function (text) { return "⚠ " + text; });
    if (current.join("\n") === next.join("\n")) return; // unchanged: nothing to announce
    box.replaceChildren();
    if (!next.length) return;
    var list = document.createElement("ul");
    next.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function render(view) {
    root.querySelectorAll("dl [data-field]").forEach(function (node) {
      node.textContent = show(lookup(view, node.dataset.field));
    });
    rows("live-groups", "group-row", view.groups, function (group, node) {
      group.name = group.names[config.language] || group.names.kk;
      node.dataset.letter = group.letter;
    });
    rows("live-windows", "window-item", view.window_list, function (win, node) {
      node.dataset.activity = win.activity;
    });
    if (view.wellbeing) {
      rows("live-wellbeing", "operator-row", view.wellbeing, function (load, node) {
        load.fine = !load.needs_break && !load.on_break;
        node.dataset.username = load.username;
      });
    }
    alerts(view);
    var updated = document.getElementById("live-updated");
    var moment = new Date(view.generated_at);
    updated.setAttribute("datetime", view.generated_at);
    updated.textContent = moment.toLocaleTimeString("ru-RU", { timeZone: "Asia/Almaty" });
    root.dataset.lastEventId = String(view.last_event_id);
    root.dispatchEvent(new CustomEvent("live:rendered")); // live_alerts.js re-reads the alerts
  }

  function loadSnapshot() {
    return fetch(config.snapshotUrl, {
      cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("live view " + response.status);
      return response.json();
    }).then(function (view) { render(view); return view; });
  }

  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      loadSnapshot().catch(function () { /* the next event or reconnect retries */ });
    }, 250);
  }

  var TOPICS = [
    "queue.ticket.issued", "queue.ticket.call", "queue.ticket.recall", "queue.ticket.start",
    "queue.ticket.finish", "queue.ticket.no_show", "queue.ticket.transfer",
    "queue.ticket.cancel", "queue.ticket.close",
    "queue.window.open", "queue.window.paused", "queue.window.closed",
    "monitoring.alert.raised", "monitoring.alert.seen", "monitoring.alert.resolved",
  ];

  function setConnection(state) {
    root.dataset.state = state;
    document.getElementById("live-connection").hidden = state !== "reconnecting";
  }

  function connect(lastEventId) {
    var url = config.eventsUrl;
    if (lastEventId !== undefined && lastEventId !== null) {
      url += "?last_event_id=" + encodeURIComponent(lastEventId);
    }
    source = new EventSource(url);
    TOPICS.forEach(function (topic) { source.addEventListener(topic, refreshSoon); });
    source.addEventListener("open", function () {
      setConnection("live");
      refreshSoon(); // after a reconnect, catch up on what the stream may have skipped
    });
    source.addEventListener("error", function () {
      setConnection("reconnecting");
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(boot, 5000);
      }
    });
  }

  function boot() {
    loadSnapshot()
      .then(function (view) { connect(view.last_event_id); })
      .catch(function () {
        setConnection("reconnecting");
        setTimeout(boot, 5000);
      });
  }

  boot();
})();

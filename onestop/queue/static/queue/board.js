/* The hall's display board: a snapshot, then live events (server-sent) from the outbox.
 *
 * On a call or recall: highlight the row, play a short chime, speak the call in Kazakh then
 * Russian, and put the text in the aria-live region. Any other queue event refreshes the
 * snapshot. EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
 */
(function () {
  "use strict";

  var body = document.body;
  var config = {
    snapshotUrl: body.dataset.snapshotUrl,
    eventsUrl: body.dataset.eventsUrl,
    minutesKk: body.dataset.minutesKk || "min",
    minutesRu: body.dataset.minutesRu || "min",
  };
  var FLASH_MS = 10000;
  var flashing = {}; // ticket number -> time its highlight ends
  var source = null;
  var refreshTimer = null;
  var audio = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clock() {
    var now = new Date();
    var text = now.toLocaleTimeString("ru-RU", {
      hour: "2-digit", minute: "2-digit", timeZone: "Asia/Almaty",
    });
    var node = document.getElementById("board-clock");
    node.textContent = text;
    node.setAttribute("datetime", now.toISOString());
  }

  function renderCurrent(calls) {
    var tbody = document.getElementById("current");
    var now = Date.now();
    tbody.replaceChildren();
    calls.forEach(function (call) {
      var row = el("tr", { "data-number": call.number, "class": call.status });
      if ((flashing[call.number] || 0) > now) row.classList.add("flash");
      row.appendChild(el("td", { "class": "number" }, call.number));
      row.appendChild(el("td", { "class": "arrow", "aria-hidden": "true" }, "→"));
      row.appendChild(el("td", { "class": "window" }, call.window));
      tbody.appendChild(row);
    });
  }

  function renderRecent(calls) {
    var list = document.getElementById("recent");
    list.replaceChildren();
    calls.forEach(function (call) {
      var item = el("li", { "data-number": call.number }, call.number + " ");
      item.appendChild(el("span", { "class": "to" }, "→ " + (call.window === null ? "—" : call.window)));
      list.appendChild(item);
    });
  }

  function renderGroups(groups) {
    var tbody = document.getElementById("groups");
    tbody.replaceChildren();
    groups.forEach(function (group) {
      var row = el("tr", { "data-letter": group.letter });
      row.appendChild(el("td", { "class": "letter" }, group.letter));
      var name = el("td", { "class": "name" });
      name.appendChild(el("span", { lang: "kk", "class": "name-kk" }, group.names.kk));
      name.appendChild(el("span", { lang: "ru", "class": "name-ru" }, group.names.ru));
      row.appendChild(name);
      row.appendChild(el("td", { "class": "count" }, group.waiting));
      var wait = group.waiting ? "≈ " + group.estimated_wait_minutes + " " + config.minutesKk : "—";
      row.appendChild(el("td", { "class": "wait" }, wait));
      tbody.appendChild(row);
    });
  }

  function render(board) {
    renderCurrent(board.current);
    renderRecent(board.recent);
    renderGroups(board.groups);
  }

  function loadSnapshot() {
    return fetch(config.snapshotUrl + "?lang=kk", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("snapshot " + response.status);
        return response.json();
      })
      .then(function (board) { render(board); return board; });
  }

  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      loadSnapshot().catch(function () { /* the next event or reconnect retries */ });
    }, 250);
  }

  function chime() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume();
      var start = audio.currentTime;
      [880, 660].forEach(function (frequency, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.4, start + i * 0.35 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.33);
        osc.connect(gain).connect(audio.destination);
        osc.start(start + i * 0.35);
        osc.stop(start + i * 0.35 + 0.35);
      });
    } catch (error) { /* no sound: the screen still shows the call */ }
  }

  function announcementTexts(number, win) {
    return [
      { lang: "kk-KZ", text: "Талон " + number + ", терезе " + win },
      { lang: "ru-RU", text: "Талон " + number + ", окно " + win },
    ];
  }

  function speak(texts) {
    var synth = window.speechSynthesis;
    if (!synth || typeof synth.speak !== "function") return;
    texts.forEach(function (item) {
      var utterance;
      if (typeof window.SpeechSynthesisUtterance === "function") {
        utterance = new window.SpeechSynthesisUtterance(item.text);
      } else {
        utterance = { text: item.text };
      }
      utterance.lang = item.lang;
      utterance.rate = 0.9;
      try { synth.speak(utterance); } catch (error) { /* no voice installed */ }
    });
  }

  function announce(data) {
    if (!data.number) return;
    flashing[data.number] = Date.now() + FLASH_MS;
    var row = document.querySelector('#current tr[data-number="' + data.number + '"]');
    if (!row) {
      renderCurrent([{ number: data.number, window: data.window, status: "called" }]
        .concat(Array.prototype.map.call(document.querySelectorAll("#current tr"), function (tr) {
          return {
            number: tr.dataset.number,
            window: tr.querySelector(".window").textContent,
            status: tr.className.replace("flash", "").trim(),
          };
        }).filter(function (call) { return call.number !== data.number; })));
    } else {
      row.classList.remove("flash");
      void row.offsetWidth; // restart the animation on a recall
      row.classList.add("flash");
    }
    var texts = announcementTexts(data.number, data.window);
    document.getElementById("announcement").textContent =
      texts.map(function (item) { return item.text; }).join(". ");
    chime();
    speak(texts);
  }

  function onEvent(message) {
    var data;
    try { data = JSON.parse(message.data); } catch (error) { return; }
    if (message.type === "queue.ticket.call" || message.type === "queue.ticket.recall") {
      announce(data);
    }
    refreshSoon();
  }

  var TOPICS = [
    "queue.ticket.issued", "queue.ticket.call", "queue.ticket.recall", "queue.ticket.start",
    "queue.ticket.finish", "queue.ticket.no_show", "queue.ticket.transfer",
    "queue.ticket.cancel", "queue.ticket.close",
    "queue.window.open", "queue.window.paused", "queue.window.closed",
  ];

  function connect(lastEventId) {
    var url = config.eventsUrl;
    if (lastEventId !== undefined && lastEventId !== null) {
      url += "?last_event_id=" + encodeURIComponent(lastEventId);
    }
    source = new EventSource(url);
    TOPICS.forEach(function (topic) { source.addEventListener(topic, onEvent); });
    source.addEventListener("open", function () {
      body.dataset.state = "live";
      document.getElementById("board-status").hidden = true;
    });
    source.addEventListener("error", function () {
      body.dataset.state = "reconnecting";
      document.getElementById("board-status").hidden = false;
      if (source.readyState === EventSource.CLOSED) {
        // The server refused (not a dropped connection): start again from a fresh snapshot.
        source = null;
        setTimeout(boot, 5000);
      }
    });
  }

  function expireFlashes() {
    var now = Date.now();
    document.querySelectorAll("#current tr.flash").forEach(function (row) {
      if ((flashing[row.dataset.number] || 0) <= now) row.classList.remove("flash");
    });
  }

  function boot() {
    loadSnapshot()
      .then(function (board) { connect(board.last_event_id); })
      .catch(function () {
        body.dataset.state = "reconnecting";
        document.getElementById("board-status").hidden = false;
        setTimeout(boot, 3000);
      });
  }

  window.OneStopBoard = { announcementTexts: announcementTexts };
  clock();
  setInterval(clock, 1000);
  setInterval(expireFlashes, 1000);
  boot();
})();

// Live unread-notification count over a WebSocket; the page works without it.
(function () {
  "use strict";
  // The scripts' words in the reader's language (base.html loads the catalogue first); the
  // English as it is when the catalogue did not load.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var pgettext = window.pgettext || function (ctx, s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj, named) {
    return named ? fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); })
      : fmt.replace(/%s/g, function () { return String(obj.shift()); });
  };
  var link = document.querySelector("[data-live-notifications]");
  if (!link || !("WebSocket" in window)) return;
  // The sidebar and the phone's menu sheet each carry the count: both stay in step.
  var badges = document.querySelectorAll("[data-unread-count]");
  var labels = document.querySelectorAll("[data-unread-label]");
  var delay = 1000, heartbeat = null, HEARTBEAT_MS = 20000;
  function show(count) {
    badges.forEach(function (badge) {
      badge.textContent = String(count);
      badge.hidden = count === 0;
    });
    labels.forEach(function (label) {
      label.textContent = count ? interpolate(ngettext("(%(count)s unread)", "(%(count)s unread)", count), { count: count }, true) : "";
    });
  }
  // A moderator on duty: someone may be in crisis right now. One live alert, linking the item.
  function alertModerator(data) {
    var alert = document.querySelector("[data-urgent-alert]");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "notice urgent-alert";
      alert.setAttribute("role", "alert");
      alert.setAttribute("data-urgent-alert", "");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(alert, main.firstChild);
    }
    alert.textContent = "";
    var go = document.createElement("a");
    go.href = data.url || "/moderation/?kind=urgent";
    go.textContent = data.message;
    alert.appendChild(go);
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/notifications/");
    socket.onopen = function () {
      delay = 1000;
      // Presence (issue 14): while this page is open the member counts as here, and a listener
      // is offered chats only then. HAVEN_PRESENCE_HEARTBEAT_SECONDS on the server.
      clearInterval(heartbeat);
      heartbeat = setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "heartbeat" }));
      }, HEARTBEAT_MS);
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "unread_notifications") show(data.count);
      else if (data.type === "urgent_item") alertModerator(data);
      else if (data.type === "chat_offer") showOffer(data);
      else if (data.type === "chat_offer_closed") closeOffer(data.request_id);
    };
    socket.onclose = function (event) {
      clearInterval(heartbeat);
      // 4401 not signed in, 4410 signed out (suspended, deleted, signed out elsewhere):
      // nothing to listen for until the member signs in again.
      if (event.code >= 4400 && event.code < 4500) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  // --- A chat offered to this listener: Accept opens the chat, Pass asks the next listener.
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (error) { return ""; }
  }
  function offerForm(action, label, quiet) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = action;
    form.className = "inline-form";
    var token = document.createElement("input");
    token.type = "hidden"; token.name = "csrfmiddlewaretoken"; token.value = csrfToken();
    var button = document.createElement("button");
    button.type = "submit"; button.textContent = label;
    if (quiet) button.className = "button--quiet";
    form.appendChild(token); form.appendChild(button);
    return form;
  }
  function showOffer(offer) {
    if (document.querySelector('[data-chat-offer="' + offer.request_id + '"]')) return;
    var panel = document.createElement("section");
    panel.className = "card notice chat-offer";
    panel.setAttribute("role", "alert");
    panel.setAttribute("data-chat-offer", offer.request_id);
    var title = document.createElement("h2");
    title.textContent = gettext("Someone would like to talk");
    panel.appendChild(title);
    var about = document.createElement("p");
    // Translators: the seeker's own words about what they would like to talk about, quoted.
    var quoted = offer.message ? interpolate(gettext("“%(message)s”"), { message: offer.message }, true) : "";
    about.textContent = offer.topics.length
      // Translators: topics is a list of topics such as "anxiety, sleep".
      ? interpolate(gettext("About %(topics)s."), { topics: offer.topics.join(", ") }, true) + " " + quoted
      : quoted;
    if (about.textContent) panel.appendChild(about);
    var base = "/listen/requests/" + offer.request_id + "/";
    panel.appendChild(offerForm(base + "take/", pgettext("button: accept a chat offered to a listener", "Accept"), false));
    panel.appendChild(offerForm(base + "pass/", pgettext("button: let the next listener take a chat", "Pass"), true));
    var main = document.getElementById("main");
    main.insertBefore(panel, main.firstChild);
    setTimeout(function () { closeOffer(offer.request_id); }, offer.expires_in * 1000);
  }
  function closeOffer(requestId) {
    var panel = document.querySelector('[data-chat-offer="' + requestId + '"]');
    if (panel) panel.remove();
  }
  connect();
})();

// Print buttons (the safety plan): inline handlers are blocked by the CSP, so bind here.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// Time zone: while a member has never chosen one (UTC), preselect the browser's own. Nothing is
// saved until they press Save.
(function () {
  var select = document.querySelector("select[data-detect-time-zone]");
  if (!select || select.value !== "UTC" || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) select.value = zone;
})();

// Message boxes (chat, care messages): Enter sends, Shift+Enter starts a new line. Without
// JavaScript Enter adds a line and the Send button sends.
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (event.key !== "Enter" || !box.matches || !box.matches("textarea[data-enter-sends]")) return;
  if (event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
  event.preventDefault();
  if (box.value.trim() && box.form) box.form.requestSubmit();
});

// The installed app: a service worker keeps the offline page (crisis lines) and, only when the
// member asks on their safety plan page, a copy of their plan. Logging out clears both (the
// server sends Clear-Site-Data).
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js").catch(function () {});

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }
  // The offline page shows the lines of the member's country: fetched again when that changes
  // (signing in, choosing another country), and once a visit.
  try {
    var country = document.body.getAttribute("data-country") || "";
    if (sessionStorage.getItem("haven-offline-country") !== country) {
      sessionStorage.setItem("haven-offline-country", country);
      ask("refresh-offline");
    }
  } catch (e) { /* storage refused: the copy from install stays */ }

  var keep = document.querySelector("[data-keep-plan]");
  if (!keep) return;
  var status = document.querySelector("[data-keep-plan-status]");
  var forget = document.querySelector("[data-forget-plan]");
  var KEPT = "haven-plan-kept";
  function show(kept, words) {
    keep.hidden = kept;
    forget.hidden = !kept;
    status.textContent = words;
  }
  keep.closest("[data-offline-plan]").hidden = false;
  var kept = false;
  try { kept = localStorage.getItem(KEPT) === "1"; } catch (e) { /* private mode */ }
  if (kept) {
    // Keep the copy as current as the plan: refreshed on each visit to this page.
    ask("keep-safety-plan");
    show(true, gettext("A copy of your plan is kept on this device, for when you're offline."));
  } else {
    show(false, "");
  }
  keep.addEventListener("click", function () {
    ask("keep-safety-plan").then(function (answer) {
      if (answer === "kept") {
        try { localStorage.setItem(KEPT, "1"); } catch (e) { /* the copy still works */ }
        show(true, gettext("Done. Your plan will open on this device even without internet."));
      } else {
        show(false, gettext("Sorry, the copy couldn't be made. Please try again when you're online."));
      }
    });
  });
  forget.addEventListener("click", function () {
    ask("forget-private").then(function () {
      try { localStorage.removeItem(KEPT); } catch (e) { /* nothing kept */ }
      show(false, gettext("The copy is removed from this device."));
    });
  });
})();

// The phone's menu sheet closes with Escape (focus back on "Menu") or a tap outside it.
(function () {
  "use strict";
  var sheet = document.querySelector("[data-menu-sheet]");
  if (!sheet) return;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && sheet.open) {
      sheet.open = false;
      sheet.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (sheet.open && !sheet.contains(event.target)) sheet.open = false;
  });
})();

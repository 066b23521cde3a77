// Live chat and the waiting room. Without JavaScript both pages still work (forms, refresh).
(function () {
  "use strict";
  // The scripts' words in the reader's language (base.html loads the catalogue first); the
  // English as it is when the catalogue did not load.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj, named) {
    return named ? fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); })
      : fmt.replace(/%s/g, function () { return String(obj.shift()); });
  };
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";

  // Close codes (haven/chat/consumers.py): 4401 not signed in, 4403 guidelines to accept,
  // 4404 no such chat, 4410 signed out while open, 4411 the chat has ended.
  var SIGNED_OUT = 4410;

  function reconnecting(path, handlers) {
    var delay = 500, socket = null, closedForGood = false;
    function open() {
      socket = new WebSocket(scheme + location.host + path());
      socket.onopen = function () { delay = 500; if (handlers.open) handlers.open(socket); };
      socket.onmessage = function (event) { handlers.message(JSON.parse(event.data)); };
      socket.onclose = function (event) {
        if (closedForGood) return;
        if (event.code >= 4400 && event.code < 4500) {  // refused or over: nothing to retry
          if (handlers.closed) handlers.closed(event.code);
          return;
        }
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 15000);
      };
    }
    open();
    return {
      send: function (data) {
        if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); return true; }
        return false;
      },
      stop: function () { closedForGood = true; if (socket) socket.close(); }
    };
  }

  // --- Waiting room: live place in the queue; straight into the chat when matched.
  var room = document.querySelector("[data-waiting-room]");
  if (room) {
    var requestId = room.getAttribute("data-request");
    var joined = false;
    reconnecting(function () { return "/ws/chat/requests/" + requestId + "/"; }, {
      closed: function (code) { if (code === SIGNED_OUT) location.reload(); },
      message: function (data) {
        // Presence and offers (issue 14): the listener joins, then the chat opens.
        if (data.type === "joined") {
          joined = true;
          var line = room.querySelector("[data-joined]");
          line.textContent = interpolate(gettext("%(name)s has joined. Opening your chat…"), { name: data.listener }, true);
          line.hidden = false;
          room.querySelector("[data-offered]").hidden = true;
          room.querySelector("[data-in-line]").hidden = true;
          setTimeout(function () { location.href = "/chat/" + data.conversation_id + "/"; }, 1200);
          return;
        }
        if (data.type !== "status") return;
        if (data.status === "matched") { if (!joined) location.href = "/chat/" + data.conversation_id + "/"; return; }
        room.querySelector("[data-offered]").hidden = data.status !== "offered";
        room.querySelector("[data-in-line]").hidden = data.status === "offered";
        if (data.status === "offered") return;
        if (data.status !== "waiting") { location.reload(); return; }
        // Translators: inside "You are number 3 in line.", a place in the waiting line.
        room.querySelector("[data-position]").textContent = interpolate(gettext("number %(position)s"), { position: data.position }, true);
        // Translators: inside "Estimated wait: about 5 minutes.".
        room.querySelector("[data-eta]").textContent = interpolate(
          ngettext("about %(count)s minute", "about %(count)s minutes", data.estimated_minutes),
          { count: data.estimated_minutes }, true);
        var longWait = document.querySelector("[data-long-wait]");
        if (longWait) longWait.hidden = !data.long_wait;
      }
    });
  }

  // --- The chat itself.
  var chat = document.querySelector("[data-chat]");
  if (!chat || chat.getAttribute("data-status") !== "active") return;  // ended: nothing live
  var chatId = chat.getAttribute("data-chat");
  var log = chat.querySelector("[data-log]");
  var form = chat.querySelector("[data-send]");
  var typing = chat.querySelector("[data-typing]");
  var seen = chat.querySelector("[data-read]");
  var pending = {};  // client_id -> body, until the server has stored it
  var typingTimer = null, lastTypingSent = 0;
  var requeuedTo = null;  // after "Find someone else": the new place in line

  function lastId() {
    var ids = Array.prototype.map.call(log.querySelectorAll("[data-id]"), function (li) {
      return parseInt(li.getAttribute("data-id"), 10) || 0;
    });
    return ids.length ? Math.max.apply(null, ids) : 0;
  }
  // The server may deliver a message more than once (a retry after a lost acknowledgement
  // is pushed again): a message id already shown is ignored.
  function add(message, mine) {
    if (message.id && log.querySelector('[data-id="' + message.id + '"]')) return;
    var li = message.client_id && log.querySelector('[data-client="' + message.client_id + '"]');
    if (!li) {
      li = document.createElement("li");
      li.className = "chat-message" + (mine ? " chat-message--mine" : "");
      var fromModerator = !mine && message.sender === "moderator";
      var who = document.createElement(fromModerator ? "strong" : "span");
      if (!fromModerator) who.className = "visually-hidden";
      // Translators: who wrote a message, read out before it by screen readers.
      who.textContent = mine ? gettext("You:") : fromModerator ? gettext("Haven moderator:") :
        (message.sender === "listener" ? gettext("Listener:") : gettext("They:"));
      li.appendChild(who);
      var text = document.createElement("span");
      text.className = "chat-message__body";  // keeps the message's own line breaks
      text.textContent = " " + (message.erased ? gettext("(erased by its writer)") : message.body);
      li.appendChild(text);
      log.appendChild(li);
    }
    if (message.client_id) li.setAttribute("data-client", message.client_id);
    if (message.id) { li.setAttribute("data-id", message.id); li.classList.remove("chat-message--pending"); }
    else li.classList.add("chat-message--pending");
    li.scrollIntoView({ block: "end" });
  }
  function markRead() {
    var id = lastId();
    if (id && document.visibilityState === "visible") connection.send({ type: "read", up_to: id });
  }
  function newClientId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }

  var reloading = false;
  function reloadOnce() { if (!reloading) { reloading = true; location.reload(); } }
  function signedOut() {
    var problem = chat.querySelector("[data-error]");
    if (problem) {
      problem.textContent = gettext("You're signed out here, so this chat has closed. Please sign in again to keep talking. If you need someone right now, \"Get help now\" at the top of the page lists crisis lines you can call or text.");
      problem.hidden = false;
    }
    if (form) form.hidden = true;
  }

  var connection = reconnecting(function () { return "/ws/chat/" + chatId + "/?after=" + lastId(); }, {
    closed: function (code) {
      if (code === SIGNED_OUT) signedOut();
      else if (code === 4411 && !requeuedTo) reloadOnce();  // the chat has ended: show the ended page
    },
    open: function (socket) {
      // Anything not yet stored is sent again with its client_id: the server stores it once.
      Object.keys(pending).forEach(function (clientId) {
        socket.send(JSON.stringify({ type: "message", body: pending[clientId], client_id: clientId }));
      });
    },
    message: function (data) {
      if (data.type === "history") { data.messages.forEach(function (m) { add(m, m.sender === "you"); }); markRead(); }
      else if (data.type === "ack") { delete pending[data.client_id]; add(data, true); }
      else if (data.type === "message") { typing.hidden = true; add(data, false); markRead(); seen.hidden = true; }
      if (data.type === "ack") { var shown = chat.querySelector("[data-error]"); if (shown) shown.hidden = true; }
      else if (data.type === "typing") {
        typing.hidden = false; clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typing.hidden = true; }, 4000);
      }
      else if (data.type === "read" && data.reader !== "you") { seen.hidden = false; }
      else if (data.type === "ended") { if (!requeuedTo) reloadOnce(); }
      // Presence (issue 14): the listener went quiet; the seeker may find someone else.
      else if (data.type === "listener_quiet") {
        var quiet = document.querySelector("[data-listener-quiet]");
        if (quiet) quiet.hidden = false;
      }
      else if (data.type === "requeued") {
        requeuedTo = "/talk/requests/" + data.request_id + "/";
        location.href = requeuedTo;
      }
      else if (data.type === "support") { showCrisisBanner(data); }
      else if (data.type === "crisis_protocol") { openCrisisProtocol(); }
      else if (data.type === "moderator_joined" && !log.querySelector("[data-moderator-joined]")) {
        var notice = document.createElement("li");
        notice.className = "notice-inline";
        notice.setAttribute("data-moderator-joined", "");
        notice.textContent = gettext("A Haven moderator joined this chat.");
        log.appendChild(notice);
      }
      else if (data.type === "error") {
        delete pending[data.client_id];
        var li = data.client_id && log.querySelector('[data-client="' + data.client_id + '"]');
        if (li) li.remove();
        var problem = chat.querySelector("[data-error]");
        if (problem) { problem.textContent = data.detail; problem.hidden = false; }
      }
    }
  });

  function sendMessage(body) {
    var clientId = newClientId();
    pending[clientId] = body;
    add({ body: body, client_id: clientId }, true);
    connection.send({ type: "message", body: body, client_id: clientId });
  }

  if (form) {
    var textarea = form.querySelector("textarea");
    form.addEventListener("submit", function (event) {
      event.preventDefault();  // an empty box sends nothing (and never reloads the chat)
      var body = textarea.value.trim();
      if (!body) return;
      sendMessage(body);
      textarea.value = "";
      textarea.focus();
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent > 3000) { lastTypingSent = now; connection.send({ type: "typing" }); }
    });
  }
  document.addEventListener("visibilitychange", markRead);

  // --- Crisis help in place: the page never reloads for it, so the message box keeps its
  // text and focus. The seeker gets a banner in the chat; the listener, the protocol panel.
  function showCrisisBanner(data) {
    var banner = chat.querySelector("[data-crisis-banner]");
    if (!banner) return;
    banner.querySelector("[data-crisis-banner-message]").textContent = data.message;
    var list = banner.querySelector("[data-crisis-banner-lines]");
    list.textContent = "";
    (data.resources || []).concat(data.international || []).forEach(function (line) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = line.name;
      item.appendChild(name);
      if (line.phone) {
        var call = document.createElement("a");
        call.href = "tel:" + line.phone.replace(/[^\d+]/g, "");
        call.textContent = line.phone;
        // Translators: before a crisis line's phone number.
        var words = gettext("call %(phone)s").split("%(phone)s");
        item.appendChild(document.createTextNode(" · " + words[0]));
        item.appendChild(call);
        if (words[1]) item.appendChild(document.createTextNode(words[1]));
      }
      if (line.text) item.appendChild(document.createTextNode(" · " + line.text));
      if (!line.phone && !line.text && /^https?:\/\//.test(line.url || "")) {
        item.appendChild(document.createTextNode(": "));
        var site = document.createElement("a");
        site.href = line.url; site.rel = "noopener noreferrer"; site.textContent = line.description || line.url;
        item.appendChild(site);
      }
      list.appendChild(item);
    });
    if (data.safety_plan_url) banner.querySelector("[data-crisis-banner-plan]").href = data.safety_plan_url;
    banner.hidden = false;
  }
  var bannerClose = chat.querySelector("[data-crisis-banner-close]");
  if (bannerClose) {
    bannerClose.addEventListener("click", function () {
      chat.querySelector("[data-crisis-banner]").hidden = true;
      if (form) form.querySelector("textarea").focus();
    });
  }

  var protocol = document.querySelector("[data-crisis-protocol]");
  var phone = window.matchMedia("(max-width: 40rem)");
  function openCrisisProtocol() { if (protocol) protocol.open = true; }
  if (protocol) {
    protocol.querySelector("[data-crisis-protocol-close]").addEventListener("click", function () {
      protocol.open = false;
    });
    var crisisLines = protocol.querySelector("[data-send-crisis-lines]");
    if (crisisLines) {
      // Through the socket like any message the listener types: stored, screened, delivered.
      crisisLines.addEventListener("submit", function (event) {
        event.preventDefault();
        sendMessage(crisisLines.querySelector("textarea").value.trim());
        if (phone.matches) protocol.open = false;  // back to the chat, to see it arrive
      });
    }
  }
})();

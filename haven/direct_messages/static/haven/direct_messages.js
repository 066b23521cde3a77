// Direct messages, live. Without JavaScript the page still works (the form posts, refresh).
// Protocol: haven/direct_messages/consumers.py.
(function () {
  "use strict";
  // The scripts' words in the reader's language (base.html loads the catalogue first); the
  // English as it is when the catalogue did not load.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj, named) {
    return named ? fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); })
      : fmt.replace(/%s/g, function () { return String(obj.shift()); });
  };
  var box = document.querySelector("[data-direct]");
  if (!box || box.getAttribute("data-status") !== "open") return;  // nothing live to carry
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var threadId = box.getAttribute("data-direct");
  var log = box.querySelector("[data-log]");
  var form = box.querySelector("[data-send]");
  var problem = box.querySelector("[data-error]");
  var pending = {};  // client_id -> body, until the server has stored it
  var socket = null, delay = 500, closedForGood = false;

  function lastId() {
    var ids = Array.prototype.map.call(log.querySelectorAll("[data-id]"), function (li) {
      return parseInt(li.getAttribute("data-id"), 10) || 0;
    });
    return ids.length ? Math.max.apply(null, ids) : 0;
  }
  // A message may arrive twice (a retry is pushed again): an id already shown is ignored.
  function add(message) {
    if (message.id && log.querySelector('[data-id="' + message.id + '"]')) return;
    var li = message.client_id && log.querySelector('[data-client="' + message.client_id + '"]');
    if (!li) {
      li = document.createElement("li");
      li.className = "chat-message" + (message.mine ? " chat-message--mine" : "");
      var who = document.createElement("span");
      who.className = "visually-hidden";
      // Translators: who wrote a message, read out before it by screen readers.
      who.textContent = message.mine ? gettext("You:") : gettext("They:");
      li.appendChild(who);
      var text = document.createElement("span");
      text.className = "chat-message__body";
      text.textContent = " " + message.body;
      li.appendChild(text);
      log.appendChild(li);
    }
    if (message.client_id) li.setAttribute("data-client", message.client_id);
    if (message.id) { li.setAttribute("data-id", message.id); li.classList.remove("chat-message--pending"); }
    else li.classList.add("chat-message--pending");
    if (message.held && !li.querySelector("[data-held]")) {
      var held = document.createElement("span");
      held.className = "meta"; held.setAttribute("data-held", "");
      held.textContent = " " + gettext("(waiting for a moderator)");
      li.appendChild(held);
    }
    li.scrollIntoView({ block: "end" });
  }
  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(data));
  }
  function showProblem(text) { problem.textContent = text; problem.hidden = false; }
  function showSupport(data) {
    var banner = box.querySelector("[data-crisis-banner]");
    if (!banner) return;
    banner.querySelector("[data-crisis-banner-message]").textContent = data.message;
    var list = banner.querySelector("[data-crisis-banner-lines]");
    list.textContent = "";
    (data.resources || []).concat(data.international || []).forEach(function (line) {
      var item = document.createElement("li");
      // Translators: before a crisis line's phone number.
      item.textContent = line.name + (line.phone ? " · " + interpolate(gettext("call %(phone)s"), { phone: line.phone }, true) : "") +
        (line.text ? " · " + line.text : "");
      list.appendChild(item);
    });
    banner.hidden = false;
  }

  // Closed (a block, or the account gone): said in place, never why. No reload, which would
  // race a form the member is sending (their own block).
  function showClosed() {
    if (form) form.remove();
    form = null;
    if (!box.querySelector("[data-closed]")) {
      var notice = document.createElement("p");
      notice.className = "notice-inline";
      notice.setAttribute("data-closed", "");
      notice.textContent = gettext("This conversation has closed.");
      box.appendChild(notice);
    }
  }

  function open() {
    socket = new WebSocket(scheme + location.host + "/ws/direct/" + threadId + "/?after=" + lastId());
    socket.onopen = function () {
      delay = 500;
      // Anything not yet stored goes again with its client_id: the server stores it once.
      Object.keys(pending).forEach(function (id) { send({ type: "message", body: pending[id], client_id: id }); });
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "history") { data.messages.forEach(add); send({ type: "read", up_to: lastId() }); }
      else if (data.type === "ack") { delete pending[data.client_id]; problem.hidden = true; add(data); }
      else if (data.type === "message") { add(data); send({ type: "read", up_to: data.id }); }
      else if (data.type === "support") { showSupport(data); }
      else if (data.type === "closed") { closedForGood = true; showClosed(); }
      else if (data.type === "error") {
        delete pending[data.client_id];
        var li = data.client_id && log.querySelector('[data-client="' + data.client_id + '"]');
        if (li) li.remove();
        showProblem(data.detail);
      }
    };
    socket.onclose = function (event) {
      if (closedForGood) return;
      if (event.code >= 4400 && event.code < 4500) {  // refused, closed or signed out: stop
        if (event.code === 4410) showProblem(gettext("You're signed out here. Please sign in again to keep talking."));
        else showClosed();
        return;
      }
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  open();

  if (form) {
    var textarea = form.querySelector("textarea");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = textarea.value.trim();
      if (!body) return;
      var clientId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
      pending[clientId] = body;
      add({ body: body, client_id: clientId, mine: true });
      send({ type: "message", body: body, client_id: clientId });
      textarea.value = "";
      textarea.focus();
    });
  }
  var bannerClose = box.querySelector("[data-crisis-banner-close]");
  if (bannerClose) bannerClose.addEventListener("click", function () { box.querySelector("[data-crisis-banner]").hidden = true; });
})();

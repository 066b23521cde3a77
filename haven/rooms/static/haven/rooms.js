// Support rooms, live (haven/rooms/consumers.py has the protocol). Without JavaScript the page
// still works: forms post, and a reload shows what is new.
(function () {
  "use strict";
  // The scripts' words in the reader's language (base.html loads the catalogue first); the
  // English as it is when the catalogue did not load.
  var gettext = window.gettext || function (s) { return s; };
  var pgettext = window.pgettext || function (ctx, s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj, named) {
    return named ? fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); })
      : fmt.replace(/%s/g, function () { return String(obj.shift()); });
  };
  var layout = document.querySelector("[data-room]");
  if (!layout || layout.getAttribute("data-status") !== "open") return;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var roomId = layout.getAttribute("data-room");
  var myMember = parseInt(layout.getAttribute("data-member"), 10);
  var isHost = layout.getAttribute("data-host") === "yes";
  var log = layout.querySelector("[data-log]");
  var form = layout.querySelector("[data-send]");
  var problem = layout.querySelector("[data-error]");
  var csrf = form ? form.querySelector("[name=csrfmiddlewaretoken]").value : "";
  var reasons = document.querySelector("[data-report-reasons]");
  var pending = {};  // client_id -> body, until the server has stored it
  var SIGNED_OUT = 4410, REFUSED = 4403, CLOSED = 4411;

  function reconnecting(path, handlers) {
    var delay = 500, socket = null;
    function open() {
      socket = new WebSocket(scheme + location.host + path());
      socket.onopen = function () { delay = 500; handlers.open(socket); };
      socket.onmessage = function (event) { handlers.message(JSON.parse(event.data)); };
      socket.onclose = function (event) {
        if (event.code >= 4400 && event.code < 4500) { handlers.closed(event.code); return; }
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 15000);
      };
    }
    open();
    return {
      send: function (data) {
        if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); return true; }
        return false;
      }
    };
  }

  function lastId() {
    var ids = Array.prototype.map.call(log.querySelectorAll("[data-id]"), function (li) {
      return parseInt(li.getAttribute("data-id"), 10) || 0;
    });
    return ids.length ? Math.max.apply(null, ids) : 0;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function postForm(action, fields, label, quiet) {
    var f = el("form", "inline-form");
    f.method = "post"; f.action = action;
    fields.csrfmiddlewaretoken = csrf;
    Object.keys(fields).forEach(function (name) {
      var input = el("input"); input.type = "hidden"; input.name = name; input.value = fields[name];
      f.appendChild(input);
    });
    var button = el("button", quiet ? "button--quiet" : "", label); button.type = "submit";
    f.appendChild(button);
    return f;
  }
  function messageActions(message) {
    var actions = el("div", "room-message__actions");
    if (isHost && !message.held && message.id) {
      actions.appendChild(postForm("/rooms/" + roomId + "/pin/", { message_id: message.id }, pgettext("verb: pin a message at the top of a room", "Pin"), true));
    }
    if (!message.mine && message.id && reasons) {
      var details = el("details", "block-confirm");
      details.appendChild(el("summary", "button button--quiet", pgettext("verb: report a message", "Report")));
      var f = postForm("/rooms/" + roomId + "/messages/" + message.id + "/report/", {}, gettext("Send the report"));
      var label = el("label", "", gettext("What's wrong?"));
      var select = el("select"); select.name = "reason"; select.id = "reason-" + message.id;
      label.htmlFor = select.id;
      select.innerHTML = reasons.innerHTML;  // the server's own <option>s
      f.insertBefore(select, f.lastChild); f.insertBefore(label, select);
      details.appendChild(f);
      actions.appendChild(details);
    }
    return actions;
  }
  function bodyText(message) {
    return message.erased ? gettext("(erased by its writer)") : message.body;
  }
  // The server may deliver a message more than once (a retry is pushed again): an id already
  // shown is ignored.
  function add(message) {
    if (message.id && log.querySelector('[data-id="' + message.id + '"]')) return;
    var li = message.client_id && log.querySelector('[data-client="' + message.client_id + '"]');
    var fresh = !li;
    if (fresh) li = el("li");
    li.className = "chat-message room-message" + (message.mine ? " chat-message--mine" : "");
    li.textContent = "";
    if (message.collapsed) {
      var details = el("details", "room-collapsed");
      details.appendChild(el("summary", "", gettext("A message from someone you blocked. Show it")));
      var hidden = el("p");
      // Translators: the name of who wrote a message, before it.
      hidden.appendChild(el("strong", "", interpolate(gettext("%(name)s:"), { name: message.author }, true)));
      hidden.appendChild(document.createTextNode(" " + bodyText(message)));
      details.appendChild(hidden);
      li.appendChild(details);
    } else {
      var who = el("p", "room-message__who");
      who.appendChild(el("strong", "", message.mine ? (message.author || gettext("You")) : message.author));
      if (message.host) { who.appendChild(document.createTextNode(" ")); who.appendChild(el("span", "pill room-host", pgettext("role: the person looking after a support room", "host"))); }
      if (message.mine) { who.appendChild(document.createTextNode(" ")); who.appendChild(el("span", "meta", gettext("(you)"))); }
      li.appendChild(who);
      var body = el("p", "chat-message__body", bodyText(message));
      if (message.held) body.appendChild(el("span", "meta", " " + gettext("(waiting for a moderator)")));
      li.appendChild(body);
    }
    li.appendChild(messageActions(message));
    if (message.client_id) li.setAttribute("data-client", message.client_id);
    if (message.id) { li.setAttribute("data-id", message.id); li.classList.remove("chat-message--pending"); }
    else li.classList.add("chat-message--pending");
    if (fresh) log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }
  function notice(text) {
    var li = el("li", "notice-inline", text);
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }
  function showPinned(pinned) {
    var box = layout.querySelector("[data-pinned]");
    var body = box.querySelector("[data-pinned-body]");
    body.textContent = "";
    if (pinned) {
      body.appendChild(el("strong", "", interpolate(gettext("%(name)s:"), { name: pinned.author }, true)));
      body.appendChild(document.createTextNode(" " + pinned.body));
    }
    box.hidden = !pinned;
  }
  function showSlowMode(seconds) {
    var box = layout.querySelector("[data-slow-mode]");
    box.querySelector("[data-slow-seconds]").textContent = seconds;
    box.hidden = !seconds;
  }
  function showError(text) { problem.textContent = text; problem.hidden = false; }
  function reloadMembers() {
    var box = layout.querySelector("[data-members]");
    fetch(box.getAttribute("data-members-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; })  // our own page fragment
      .catch(function () {});
  }
  function showPresence(present) {
    var here = {};
    present.forEach(function (member) { here[member.member] = true; });
    layout.querySelectorAll("[data-members] [data-member]").forEach(function (li) {
      var isHere = !!here[li.getAttribute("data-member")];
      li.querySelector("[data-presence]").classList.toggle("room-presence--here", isHere);
      li.querySelector("[data-presence-label]").textContent = (isHere ? gettext("here now:") : gettext("away:")) + " ";
    });
  }
  function stopWriting(text) {
    showError(text);
    if (form) form.hidden = true;
  }
  function hostAction(data) {
    if (data.action === "mute" || data.action === "unmute") {
      if (data.member === myMember) {
        var muted = layout.querySelector("[data-muted]");
        muted.textContent = data.action === "mute"
          ? interpolate(gettext("A host has paused your messages until %(time)s. You can still read along."),
            { time: new Date(data.until).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }, true)
          : gettext("You can write in the room again.");
        muted.hidden = false;
      } else {
        notice(interpolate(data.action === "mute"
          ? gettext("A host paused %(name)s's messages for a while.")
          : gettext("%(name)s can write again."), { name: data.name }, true));
      }
      reloadMembers();
    } else if (data.action === "remove") {
      notice(interpolate(gettext("A host asked %(name)s to leave the room."), { name: data.name }, true));
      reloadMembers();
    } else if (data.action === "slow_mode") {
      showSlowMode(data.seconds);
    } else if (data.action === "pin") {
      showPinned(data.message);
    } else if (data.action === "close") {
      stopWriting(gettext("A host closed this room. Thank you for being here."));
    }
  }
  function showCrisisBanner(data) {
    var banner = layout.querySelector("[data-crisis-banner]");
    banner.querySelector("[data-crisis-banner-message]").textContent = data.message;
    var list = banner.querySelector("[data-crisis-banner-lines]");
    list.textContent = "";
    (data.resources || []).concat(data.international || []).forEach(function (line) {
      var item = el("li");
      item.appendChild(el("strong", "", line.name));
      if (line.phone) {
        var call = el("a", "", line.phone);
        call.href = "tel:" + line.phone.replace(/[^\d+]/g, "");
        // Translators: before a crisis line's phone number.
        var words = gettext("call %(phone)s").split("%(phone)s");
        item.appendChild(document.createTextNode(" · " + words[0]));
        item.appendChild(call);
        if (words[1]) item.appendChild(document.createTextNode(words[1]));
      }
      if (line.text) item.appendChild(document.createTextNode(" · " + line.text));
      list.appendChild(item);
    });
    banner.hidden = false;
  }
  layout.querySelector("[data-crisis-banner-close]").addEventListener("click", function () {
    layout.querySelector("[data-crisis-banner]").hidden = true;
    if (form) form.querySelector("textarea").focus();
  });

  var connection = reconnecting(function () { return "/ws/rooms/" + roomId + "/?after=" + lastId(); }, {
    closed: function (code) {
      if (code === SIGNED_OUT) stopWriting(gettext("You're signed out here. Please sign in again to keep talking."));
      else if (code === CLOSED) stopWriting(gettext("This room is closed. Thank you for being here."));
      else if (code === REFUSED) stopWriting(gettext("You're no longer in this room. Other rooms are open at /rooms/."));
    },
    open: function (socket) {
      // Anything not yet stored is sent again with its client_id: the server stores it once.
      Object.keys(pending).forEach(function (clientId) {
        socket.send(JSON.stringify({ type: "message", body: pending[clientId], client_id: clientId }));
      });
    },
    message: function (data) {
      if (data.type === "history") {
        data.messages.forEach(add);
        showPinned(data.pinned);
        showSlowMode(data.slow_mode_seconds);
      } else if (data.type === "ack") {
        delete pending[data.client_id];
        add(data);
        problem.hidden = true;
        if (data.held) notice(gettext("Your message is waiting for a moderator before the room sees it."));
      } else if (data.type === "message") add(data);
      else if (data.type === "presence") showPresence(data.present);
      else if (data.type === "members_changed") reloadMembers();
      else if (data.type === "host_action") hostAction(data);
      else if (data.type === "removed") stopWriting(gettext("A host asked you to leave this room. Other rooms are open at /rooms/."));
      else if (data.type === "message_removed") {
        var gone = log.querySelector('[data-id="' + data.message_id + '"]');
        if (gone) gone.remove();
      } else if (data.type === "support") showCrisisBanner(data);
      else if (data.type === "host_alert") {
        var alert = layout.querySelector("[data-host-alert]");
        if (alert) { alert.textContent = data.detail; alert.hidden = false; }
      } else if (data.type === "error") {
        var body = pending[data.client_id];
        delete pending[data.client_id];
        var li = data.client_id && log.querySelector('[data-client="' + data.client_id + '"]');
        if (li) li.remove();
        // Nothing typed is lost: a refused message goes back in the box to edit or send later.
        if (body && form) { var box = form.querySelector("textarea"); if (!box.value) box.value = body; }
        showError(data.detail);
      }
    }
  });

  function newClientId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  if (form) {
    var textarea = form.querySelector("textarea");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = textarea.value.trim();
      if (!body) return;
      var clientId = newClientId();
      pending[clientId] = body;
      add({ body: body, client_id: clientId, mine: true, author: gettext("You") });
      connection.send({ type: "message", body: body, client_id: clientId });
      textarea.value = "";
      textarea.focus();
    });
  }
})();

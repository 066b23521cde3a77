// Live unread-notification count over a WebSocket; the page works without it.
(function () {
  "use strict";
  var link = document.querySelector("[data-live-notifications]");
  if (!link || !("WebSocket" in window)) return;
  var badge = link.querySelector("[data-unread-count]");
  var label = link.querySelector("[data-unread-label]");
  var delay = 1000;
  function show(count) {
    badge.textContent = String(count);
    badge.hidden = count === 0;
    label.textContent = count ? "(" + count + " unread)" : "";
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/notifications/");
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "unread_notifications") show(data.count);
    };
    socket.onclose = function (event) {
      // 4401 not signed in, 4410 signed out (suspended, deleted, signed out elsewhere):
      // nothing to listen for until the member signs in again.
      if (event.code >= 4400 && event.code < 4500) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
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

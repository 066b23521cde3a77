// The telehealth room: video and sound peer to peer (WebRTC), signalling and a text chat over
// the room's WebSocket (protocol in haven/care/telehealth/consumers.py). Nothing here is stored.
//
// Negotiation follows the "perfect negotiation" pattern: both sides may offer at any time; on a
// collision the polite side (the member) gives way. Each RTCPeerConnection gets a random
// session id sent with its offers, answers and candidates, so that an offer from a new
// connection (the other side reloaded) starts afresh, and anything left over from an old one
// is ignored. Either person can join first, leave, and come back.
(function () {
  "use strict";
  // The scripts' words in the reader's language (base.html loads the catalogue first); the
  // English as it is when the catalogue did not load.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj, named) {
    return named ? fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); })
      : fmt.replace(/%s/g, function () { return String(obj.shift()); });
  };
  var root = document.querySelector("[data-room]");
  if (!root) return;

  // Before the room opens: come back in by ourselves when it does.
  if (root.hasAttribute("data-opens-in")) {
    var seconds = parseInt(root.getAttribute("data-opens-in"), 10);
    if (seconds >= 0 && seconds < 86400) {
      setTimeout(function () { location.reload(); }, (seconds + 2) * 1000);
    }
    return;
  }

  var config = JSON.parse(document.getElementById("room-config").textContent);
  var iceServers = JSON.parse(document.getElementById("room-ice-servers").textContent);
  var polite = !!config.polite;
  var peerName = config.peer_name;
  var storageKey = "haven-room-" + config.appointment;

  var statusLine = root.querySelector("[data-status]");
  var heading = root.querySelector("[data-room-heading]");
  var peerMedia = root.querySelector("[data-peer-media]");
  var remoteVideo = root.querySelector("[data-remote-video]");
  var localVideo = root.querySelector("[data-local-video]");
  var joinButton = root.querySelector("[data-join]");
  var muteButton = root.querySelector("[data-mute]");
  var cameraButton = root.querySelector("[data-camera]");
  var soundButton = root.querySelector("[data-sound]");
  var hangupButton = root.querySelector("[data-hangup]");
  var chatLog = document.querySelector("[data-chat-log]");
  var chatForm = document.querySelector("[data-chat-form]");
  var chatInput = document.querySelector("[data-chat-input]");
  // Until haven.css has rules for the room, keep the videos inside a phone's width (setting
  // styles from a script is allowed by the CSP; inline style attributes are not).
  [remoteVideo, localVideo].forEach(function (video) { video.style.maxWidth = "100%"; video.style.height = "auto"; });

  var socket = null, socketDelay = 500, finished = false;
  var localStream = null, inCall = false, peerState = "gone", peerLeftCall = false;
  var pc = null, mySession = null, remoteSession = null;
  var makingOffer = false, ignoreOffer = false, settingRemoteAnswer = false;
  var signalQueue = Promise.resolve();
  var fallbackTimer = null;
  // How long the polite side waits for the other's offer before making its own, and how long a
  // settled connection may take to start connecting before it is replaced by a new one.
  var OFFER_WAIT_MS = 3000, CONNECT_WAIT_MS = 6000;
  var lastStatus = "";

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2);
  }
  function say(text) {
    if (text && text !== lastStatus) { lastStatus = text; statusLine.textContent = text; }
  }
  function show(button, visible) { button.parentElement.hidden = !visible; }
  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); return true; }
    return false;
  }
  // Who is expected here: the member waits for their therapist, the therapist for the member.
  function whoIsComing(joined) {
    if (config.role === "member") {
      return joined ? gettext("You're in the waiting room. Your therapist will join you here.")
        : gettext("Your therapist will join you here. When you're ready, join with your camera and microphone.");
    }
    return interpolate(joined ? gettext("You're in the waiting room. %(name)s will join you here.")
      : gettext("%(name)s will join you here. When you're ready, join with your camera and microphone."),
    { name: peerName }, true);
  }
  function withPeer(text) { return interpolate(text, { name: peerName }, true); }

  // --- What the page says: one plain sentence for where things are.
  function describe() {
    if (finished) return;
    var connection = pc ? pc.connectionState : "new";
    root.setAttribute("data-connection", pc ? connection : "none");
    heading.textContent = inCall && peerState === "in_call" ? gettext("Session room") : gettext("Waiting room");
    if (!inCall) {
      if (peerState === "in_call") say(withPeer(gettext("%(name)s is in the call, waiting for you. Join when you're ready.")));
      else if (peerState === "waiting") say(withPeer(gettext("%(name)s is here, in the waiting room. Join when you're ready.")));
      else say(whoIsComing(false));
      return;
    }
    if (peerState === "gone") say(whoIsComing(true));
    else if (peerState === "waiting" && peerLeftCall) say(withPeer(gettext("%(name)s left the call but is still here. They can rejoin while the room is open.")));
    else if (peerState === "waiting") say(withPeer(gettext("%(name)s is here and will join the call in a moment.")));
    else if (connection === "connected") say(withPeer(gettext("You're connected with %(name)s.")));
    else if (connection === "failed" || connection === "disconnected") {
      say(gettext("The video connection dropped. Trying again… Meanwhile you can keep talking by text below."));
    } else say(withPeer(gettext("Connecting you with %(name)s…")));
  }

  // --- The socket: reconnects by itself, except when the server says no (44xx codes).
  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + config.socket);
    socket.onopen = function () {
      socketDelay = 500;
      if (inCall) { send({ type: "join" }); sendMediaState(); }
    };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      handle(data);
    };
    socket.onclose = function (event) {
      if (finished) return;
      if (event.code >= 4400 && event.code < 4500) {
        finish(event.code === 4409
          ? gettext("This session is open in another window or device, so this page has stopped.")
          // Translators: reason is why the room closed, such as "The room is closed.".
          : interpolate(gettext("%(reason)s You can close this page."),
            { reason: event.reason || gettext("The room is closed.") }, true));
        return;
      }
      say(gettext("Lost the connection to Haven. Reconnecting… Your call may carry on meanwhile."));
      setTimeout(connect, socketDelay);
      socketDelay = Math.min(socketDelay * 2, 15000);
    };
  }

  function handle(data) {
    if (data.type === "presence") {
      peerLeftCall = peerState === "in_call" && data.state === "waiting";
      peerState = data.state;
      if (peerState === "in_call" && inCall) startCall();
      // They left the call (or reloaded): their connection is gone, ours goes too. When only
      // their socket dropped ("gone"), the call itself may well carry on, so keep it.
      if (peerState === "waiting") closeConnection();
      if (peerState !== "in_call") peerMedia.hidden = true;
      describe();
    } else if (data.type === "description" || data.type === "candidate") {
      // One at a time, in order: perfect negotiation depends on it.
      signalQueue = signalQueue.then(function () { return onSignal(data); }).catch(function (error) {
        if (window.console) console.warn("Signalling:", error);
      });
    } else if (data.type === "media") {
      var off = !data.audio && !data.video ? gettext("%(name)s: their microphone is muted, their camera is off.")
        : !data.audio ? gettext("%(name)s: their microphone is muted.")
        : !data.video ? gettext("%(name)s: their camera is off.") : "";
      peerMedia.textContent = off ? withPeer(off) : "";
      peerMedia.hidden = !off;
    } else if (data.type === "chat") {
      addChat(data.body, false);
    } else if (data.type === "sent") {
      var item = chatLog.querySelector('[data-chat-id="' + CSS.escape(data.id) + '"]');
      if (item) {
        item.classList.remove("chat-message--pending");
        if (!data.delivered) addNote(item, withPeer(gettext("Not delivered: %(name)s isn't connected right now.")));
      }
    } else if (data.type === "closing") {
      say(data.detail);
    } else if (data.type === "error") {
      say(data.detail);
    }
  }

  // --- The peer connection.
  function ensureConnection() { if (!pc) newConnection(); }

  // Both are in the call. The impolite side (the therapist) starts; the polite side waits a
  // moment for that offer and only then makes its own. Perfect negotiation copes with two offers
  // at once, but Chromium sometimes gathers no ICE candidates for an answer given while its own
  // offer was still being made, so it is kept for the rare case.
  function startCall() {
    if (pc) return;
    if (!polite) { newConnection(); return; }
    clearTimeout(fallbackTimer);
    fallbackTimer = setTimeout(function () {
      if (inCall && peerState === "in_call") ensureConnection();
    }, OFFER_WAIT_MS);
  }

  // A connection whose offer and answer are settled but whose ICE never starts (Chromium, after
  // the rare answer above) or is lost for good is replaced by a new one. The impolite side does
  // it first; its offer from a new session makes the polite side start afresh too, so the two
  // don't collide again. A connection still checking candidates (a slow relay) is left alone.
  function watch(connection) {
    var since = Date.now();
    var patience = (polite ? 3 : 1) * CONNECT_WAIT_MS;
    var timer = setInterval(function () {
      if (connection !== pc) { clearInterval(timer); return; }
      var ice = connection.iceConnectionState;
      var settled = connection.signalingState === "stable" && !!connection.remoteDescription;
      if (!settled || ice === "checking" || ice === "connected" || ice === "completed") {
        since = Date.now();
      } else if (Date.now() - since > patience) {
        newConnection();
      }
    }, 1000);
  }

  function newConnection() {
    closeConnection();
    var connection = new RTCPeerConnection({ iceServers: iceServers });
    var session = newId();
    pc = connection; mySession = session; remoteSession = null;
    makingOffer = false; ignoreOffer = false; settingRemoteAnswer = false;
    connection.onnegotiationneeded = async function () {
      try {
        makingOffer = true;
        await connection.setLocalDescription();
        if (connection === pc) send({ type: "description", session: session, description: connection.localDescription });
      } catch (error) {
        if (window.console) console.warn("Offer:", error);
      } finally {
        makingOffer = false;
      }
    };
    connection.onicecandidate = function (event) {
      if (connection !== pc) return;
      send({ type: "candidate", session: session, candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    connection.ontrack = function (event) {
      if (connection !== pc) return;
      var stream = event.streams[0] || new MediaStream([event.track]);
      if (remoteVideo.srcObject !== stream) { remoteVideo.srcObject = stream; play(remoteVideo); }
    };
    connection.oniceconnectionstatechange = function () {
      // A network change: ICE starts again with fresh candidates on the same connection.
      if (connection === pc && connection.iceConnectionState === "failed") connection.restartIce();
    };
    connection.onconnectionstatechange = function () { if (connection === pc) describe(); };
    if (localStream) {
      localStream.getTracks().forEach(function (track) { connection.addTrack(track, localStream); });
    }
    // Without a camera or microphone of our own we still see and hear the other person.
    var kinds = localStream ? localStream.getTracks().map(function (t) { return t.kind; }) : [];
    ["audio", "video"].forEach(function (kind) {
      if (kinds.indexOf(kind) < 0) connection.addTransceiver(kind, { direction: "recvonly" });
    });
    watch(connection);
    describe();
  }

  function closeConnection() {
    clearTimeout(fallbackTimer);
    if (!pc) return;
    var old = pc;
    pc = null; mySession = null; remoteSession = null;
    old.close();
    remoteVideo.srcObject = null;
  }

  async function onSignal(data) {
    if (!inCall) return;
    if (data.type === "candidate") {
      if (!pc || data.session !== remoteSession) return;  // left over from an older connection
      try { await pc.addIceCandidate(data.candidate); }
      catch (error) { if (!ignoreOffer) throw error; }
      return;
    }
    var description = data.description;
    if (pc && remoteSession !== null && data.session !== remoteSession) {
      if (description.type !== "offer") return;  // an answer to a connection that is gone
      newConnection();  // the other side started afresh (e.g. reloaded): so do we
    }
    ensureConnection();
    var connection = pc;
    remoteSession = data.session;
    var readyForOffer = !makingOffer && (connection.signalingState === "stable" || settingRemoteAnswer);
    var collision = description.type === "offer" && !readyForOffer;
    ignoreOffer = !polite && collision;
    if (ignoreOffer) return;
    settingRemoteAnswer = description.type === "answer";
    await connection.setRemoteDescription(description);  // the polite side rolls back implicitly
    settingRemoteAnswer = false;
    if (description.type === "offer") {
      await connection.setLocalDescription();
      if (connection === pc) send({ type: "description", session: mySession, description: connection.localDescription });
    }
  }

  function play(video) {
    var playing = video.play();
    if (playing && playing.catch) {
      playing.catch(function (error) {
        // Only a refusal to autoplay matters ("AbortError" is a newer stream taking over).
        if (!error || error.name !== "NotAllowedError") return;
        // The browser wants a click before playing sound: play muted, offer the sound.
        video.muted = true;
        video.play().catch(function () {});
        show(soundButton, true);
      });
    }
  }

  // --- Joining, leaving, microphone and camera.
  async function startMedia() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(gettext("This browser can't use a camera here (the site needs a secure https address). You can still talk by text below."));
      return null;
    }
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch (error) {
      try {
        var audio = await navigator.mediaDevices.getUserMedia({ audio: true });
        say(gettext("We couldn't start your camera, so you're joining with sound only."));
        return audio;
      } catch (again) {
        say(withPeer(gettext("We couldn't start your camera or microphone. You can still see and hear %(name)s, and talk by text below.")));
        return null;
      }
    }
  }

  async function join() {
    joinButton.disabled = true;
    say(gettext("Starting your camera and microphone…"));
    if (!localStream) {
      localStream = await startMedia();
      localVideo.srcObject = localStream;
    }
    inCall = true;
    try { sessionStorage.setItem(storageKey, "1"); } catch (error) { /* private mode */ }
    show(joinButton, false);
    joinButton.disabled = false;
    show(hangupButton, true);
    show(muteButton, !!(localStream && localStream.getAudioTracks().length));
    show(cameraButton, !!(localStream && localStream.getVideoTracks().length));
    send({ type: "join" });
    sendMediaState();
    if (peerState === "in_call") startCall();
    describe();
  }

  function stopMedia() {
    if (localStream) localStream.getTracks().forEach(function (track) { track.stop(); });
    localStream = null;
    localVideo.srcObject = null;
  }

  function leave() {
    inCall = false;
    try { sessionStorage.removeItem(storageKey); } catch (error) { /* private mode */ }
    closeConnection();
    stopMedia();
    send({ type: "leave" });
    [muteButton, cameraButton, hangupButton, soundButton].forEach(function (b) { show(b, false); });
    setOff(muteButton, false, gettext("Mute my microphone"));
    setOff(cameraButton, false, gettext("Turn my camera off"));
    joinButton.textContent = gettext("Rejoin the call");
    show(joinButton, true);
    lastStatus = "";
    say(gettext("You left the call. You can rejoin while the room is open, or keep talking by text below."));
    joinButton.focus();
  }

  function finish(message) {
    finished = true;
    inCall = false;
    closeConnection();
    stopMedia();
    [joinButton, muteButton, cameraButton, hangupButton, soundButton].forEach(function (b) { show(b, false); });
    if (chatForm) chatForm.querySelector("button").disabled = true;
    statusLine.textContent = message;
  }

  // The label says what a click will do next ("Unmute my microphone"), which is all a screen
  // reader needs; aria-pressed as well would read as "Unmute…, pressed".
  function setOff(button, off, label) {
    button.setAttribute("data-off", off ? "true" : "false");
    button.textContent = label;
  }

  function sendMediaState() {
    if (!inCall) return;
    var audio = !!localStream && localStream.getAudioTracks().some(function (t) { return t.enabled; });
    var video = !!localStream && localStream.getVideoTracks().some(function (t) { return t.enabled; });
    send({ type: "media", audio: audio, video: video });
  }

  joinButton.addEventListener("click", join);
  hangupButton.addEventListener("click", leave);
  muteButton.addEventListener("click", function () {
    if (!localStream) return;
    var muted = muteButton.getAttribute("data-off") !== "true";
    localStream.getAudioTracks().forEach(function (t) { t.enabled = !muted; });
    setOff(muteButton, muted, muted ? gettext("Unmute my microphone") : gettext("Mute my microphone"));
    sendMediaState();
  });
  cameraButton.addEventListener("click", function () {
    if (!localStream) return;
    var off = cameraButton.getAttribute("data-off") !== "true";
    localStream.getVideoTracks().forEach(function (t) { t.enabled = !off; });
    setOff(cameraButton, off, off ? gettext("Turn my camera on") : gettext("Turn my camera off"));
    sendMediaState();
  });
  soundButton.addEventListener("click", function () {
    remoteVideo.muted = false;
    remoteVideo.play().catch(function () {});
    show(soundButton, false);
  });

  // --- The text chat: relayed to the other person, never stored.
  function addNote(item, text) {
    var note = document.createElement("span");
    note.className = "meta";
    note.textContent = " (" + text + ")";
    item.appendChild(note);
  }
  function addChat(body, mine, id) {
    var item = document.createElement("li");
    item.className = "chat-message" + (mine ? " chat-message--mine chat-message--pending" : "");
    if (id) item.setAttribute("data-chat-id", id);
    var who = document.createElement("span");
    who.className = "visually-hidden";
    // Translators: who wrote a message, read out before it by screen readers.
    who.textContent = mine ? gettext("You:") : withPeer(gettext("%(name)s:"));
    item.appendChild(who);
    item.appendChild(document.createTextNode(" " + body));
    chatLog.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }
  chatForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = chatInput.value.trim();
    if (!body) return;
    var id = newId();
    var item = addChat(body, true, id);
    if (!send({ type: "chat", id: id, body: body })) {
      item.classList.remove("chat-message--pending");
      addNote(item, gettext("Not sent: reconnecting to Haven. Please send it again in a moment."));
    }
    chatInput.value = "";
    chatInput.focus();
  });

  window.addEventListener("pagehide", function () { finished = true; if (socket) socket.close(); });

  connect();
  // Back after a reload during the call: join again straight away.
  var wasInCall = false;
  try { wasInCall = sessionStorage.getItem(storageKey) === "1"; } catch (error) { /* private mode */ }
  if (wasInCall) join();
})();

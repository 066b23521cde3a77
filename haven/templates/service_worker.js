// Haven's service worker. It keeps two things so help opens without a network:
// - the offline page with the crisis lines for the member's country (always);
// - the member's own safety plan, only after they chose "Keep a copy on this device" on the
//   plan page, in a cache of its own that "Remove the copy" and logging out delete.
// Nothing else is cached: every other page goes to the network as usual.
"use strict";

const SHELL = "haven-shell-{{ version }}";
const PRIVATE = "haven-private";
const OFFLINE_URL = "{{ offline_url }}";
const PLAN_URL = "{{ plan_url }}";
const SHELL_FILES = [OFFLINE_URL, "{{ stylesheet }}", "{{ logo }}"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES.map((url) => new Request(url, { credentials: "same-origin" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("haven-shell-") && key !== SHELL).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function offlineAnswer(request) {
  const url = new URL(request.url);
  if (url.pathname === PLAN_URL) {
    const plan = await (await caches.open(PRIVATE)).match(PLAN_URL);
    if (plan) return plan;
  }
  return (await (await caches.open(SHELL)).match(OFFLINE_URL)) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlineAnswer(request)));
  } else if (SHELL_FILES.includes(new URL(request.url).pathname)) {
    event.respondWith(fetch(request).catch(async () => (await (await caches.open(SHELL)).match(request)) || Response.error()));
  }
});

async function keepPlan() {
  const response = await fetch(PLAN_URL, { credentials: "same-origin", redirect: "error" });
  if (!response.ok) throw new Error("The plan could not be fetched.");
  await (await caches.open(PRIVATE)).put(PLAN_URL, response);
}

self.addEventListener("message", (event) => {
  const reply = (answer) => event.ports[0] && event.ports[0].postMessage(answer);
  if (event.data === "keep-safety-plan") {
    event.waitUntil(keepPlan().then(() => reply("kept"), () => reply("failed")));
  } else if (event.data === "refresh-offline") {
    // The member's country may have changed since install (they signed in, or chose another).
    event.waitUntil(caches.open(SHELL).then((cache) => cache.add(new Request(OFFLINE_URL, { credentials: "same-origin" }))).catch(() => {}));
  } else if (event.data === "forget-private") {
    event.waitUntil(caches.delete(PRIVATE).then(() => reply("forgotten")));
  }
});

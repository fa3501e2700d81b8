// Brigade's service worker (served at /sw.js, after the lines that define PRECACHE and VERSION).
// It keeps 今日任务 (/field/) and its scripts and styles on the phone; everything else goes to the
// network as usual. Records waiting to be sent live in IndexedDB (fieldstore.js), not here.
/* global PRECACHE, VERSION */
"use strict";
var CACHE = "brigade-field-" + VERSION;
var FIELD_PAGE = PRECACHE[0];

self.addEventListener("install", function (event) {
  // The page itself is cached when the signed-in officer opens it (a signed-out fetch would cache the login form).
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECACHE.slice(1));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("brigade-field-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () {
    // Keep 今日任务 itself now, while the officer is signed in and online (the page that registered us).
    return refreshFieldPage(new Request(FIELD_PAGE, {credentials: "same-origin"})).catch(function () { return null; });
  }).then(function () { return self.clients.claim(); }));
});

function isFieldPage(url) { return url.pathname === FIELD_PAGE; }

function refreshFieldPage(request) {
  return fetch(request).then(function (response) {
    // Only the officer's own page: never a redirect to the login form or an error page.
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(FIELD_PAGE, copy); });
    }
    return response;
  });
}

var OFFLINE_PAGE = "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>无网络</title>" +
  "<body style=\"font-family:sans-serif;padding:24px\"><h1 style=\"font-size:20px\">当前没有网络</h1>" +
  "<p>此页面需要联网。现场检查请使用“今日任务”，记录会先保存在手机上，联网后再同步。</p>" +
  "<p><a href=\"" + FIELD_PAGE + "\" style=\"display:inline-block;padding:12px 0\">打开今日任务</a></p></body></html>";

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // writes always go to the server
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (isFieldPage(url) && request.mode === "navigate") {
    // Cached copy first (instant, works without signal), refreshed in the background when online.
    event.respondWith(caches.match(FIELD_PAGE).then(function (cached) {
      var fresh = refreshFieldPage(request);
      if (cached) { fresh.catch(function () { return null; }); return cached; }
      return fresh;
    }));
    return;
  }
  if (PRECACHE.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (cached) { return cached || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return new Response(OFFLINE_PAGE, {headers: {"Content-Type": "text/html; charset=utf-8"}});
    }));
  }
});

/* Kompetanseportalen's service worker (issue #18): offline reading for home visits.
   Served by kompetanse.offline.service_worker at /sw.js, so its scope is the whole site.
   Version {{ version }} (a hash of the shell's files: a new one installs when they change).

   - The app shell (stylesheets, scripts, icons, «Mine favoritter» and the offline page) is kept
     at install; every other static file fetched while online is kept as well.
   - Pages are kept by static/js/favourites.js, in the page cache, when the reader opens them or
     saves them as favourites (with their images); it also removes them again.
   - Everything is network first: online the reader always gets the current page. Only when the
     network fails does a page come from the cache, marked with when it was saved, and a page not
     kept gives the offline page, which lists what can be read.
   - The admin, documents (they may be restricted), the APIs and anything but GET pass through. */
"use strict";

var VERSION = "{{ version }}";
var SHELL_CACHE = "kp-skall-" + VERSION;
var SHELL = {{ shell_json|safe }};
var PAGE_CACHE = {{ page_cache_json|safe }};
var OFFLINE_URL = {{ offline_url_json|safe }};
var STATIC_PREFIX = {{ static_prefix_json|safe }};
var MEDIA_IMAGES = {{ media_images_json|safe }};

self.addEventListener("install", function (event) {
    event.waitUntil(
        caches.open(SHELL_CACHE)
            .then(function (cache) {
                return cache.addAll(SHELL);
            })
            .then(function () {
                return self.skipWaiting();
            })
    );
});

self.addEventListener("activate", function (event) {
    event.waitUntil(
        caches.keys()
            .then(function (names) {
                return Promise.all(names.filter(function (name) {
                    return name.indexOf("kp-skall-") === 0 && name !== SHELL_CACHE;
                }).map(function (name) {
                    return caches.delete(name);
                }));
            })
            .then(function () {
                return self.clients.claim();
            })
    );
});

self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") {
        return;
    }
    var url = new URL(request.url);
    if (url.origin !== self.location.origin || url.pathname.indexOf("/admin/") === 0) {
        return;
    }
    if (request.mode === "navigate") {
        event.respondWith(navigate(request));
    } else if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
        event.respondWith(networkFirst(request, SHELL_CACHE));
    } else if (url.pathname.indexOf(MEDIA_IMAGES) === 0) {
        event.respondWith(networkFirst(request, null));
    }
});

/* A page: from the network; without one, the kept copy (marked), or else the offline page.
   When the browser knows it is offline, the kept copy comes first: the browser's HTTP cache may
   still hold a fresh copy of the page (readers' pages are public for a few minutes), which the
   network fetch would return unmarked, and the reader must be told what they are reading. */
function navigate(request) {
    if (self.navigator && self.navigator.onLine === false) {
        return keptCopy(request).then(function (kept) {
            return kept || fetch(request).catch(offlinePage);
        });
    }
    return fetch(request).catch(function () {
        return keptCopy(request).then(function (kept) {
            return kept || offlinePage();
        });
    });
}

function keptCopy(request) {
    return caches.match(request, { ignoreVary: true }).then(function (kept) {
        return kept ? markAsKept(kept) : null;
    });
}

function offlinePage() {
    return caches.match(OFFLINE_URL, { ignoreVary: true }).then(function (offline) {
        return offline || new Response("Du er frakoblet.", {
            status: 503,
            headers: { "Content-Type": "text/plain; charset=utf-8" }
        });
    });
}

/* A static file or image: from the network (static files are kept for later), else the cache. */
function networkFirst(request, keepIn) {
    return fetch(request).then(function (response) {
        if (keepIn && response.ok && response.type === "basic") {
            var copy = response.clone();
            caches.open(keepIn).then(function (cache) {
                return cache.put(request, copy);
            });
        }
        return response;
    }).catch(function () {
        return caches.match(request, { ignoreVary: true }).then(function (kept) {
            return kept || Response.error();
        });
    });
}

/* favourites.js stores a kept page with the time it was saved (X-Lagret). The page cannot read
   the headers of its own response, so the time goes into the page itself, as an attribute of the
   <html> element that base.html begins every page with; favourites.js shows the banner from it.
   (Rewriting HTML as text is fragile in general; here it is one attribute on one tag we write.) */
function markAsKept(response) {
    var saved = response.headers.get("X-Lagret");
    if (!saved) {
        return response;
    }
    saved = saved.replace(/[^0-9TZ:.+-]/g, "");
    return response.text().then(function (html) {
        var headers = new Headers(response.headers);
        headers.delete("Content-Length");
        return new Response(html.replace("<html ", '<html data-lagret="' + saved + '" '), {
            status: 200,
            headers: headers
        });
    });
}

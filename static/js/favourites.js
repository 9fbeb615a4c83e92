/* Favourites, recently viewed and offline reading, without an account (issue #18).

   Everything the reader keeps stays in the reader's own browser:
   - localStorage: the favourites and the last 20 content pages opened, each with its page id,
     title, address, community, last published time (as the page shows it) and when it was
     saved or seen;
   - the Cache Storage (the page cache that the service worker, templates/kompetanse/sw.js, reads
     from when the network fails): a copy of each of those pages and its images, stored with the
     time it was saved (header X-Lagret).
   The lists are drawn on «Mine favoritter» and on the offline page; a kept copy read offline shows
   when it was saved, and when the network returns, whether a newer version has been published
   (the page ids are sent to /mine-favoritter/status/, which answers with their published times).
   Without this script the button does not show, and the two pages say what they need. */
(function () {
    "use strict";

    var FAVOURITES = "kompetanseportalen.favoritter";
    var RECENT = "kompetanseportalen.nylig-sett";
    var RECENT_LIMIT = 20;
    var script = document.currentScript;
    var STATUS_URL = script && script.getAttribute("data-status-url");
    var PAGE_CACHE = script && script.getAttribute("data-page-cache");
    var canCache = "caches" in window && Boolean(PAGE_CACHE);

    // ------------------------------------------------------------------ storage

    /* The list under `key`, or null when the browser refuses storage (private modes, settings). */
    function read(key) {
        try {
            var value = JSON.parse(window.localStorage.getItem(key) || "[]");
            return Array.isArray(value) ? value : [];
        } catch (error) {
            return null;
        }
    }

    function write(key, list) {
        try {
            window.localStorage.setItem(key, JSON.stringify(list));
            return true;
        } catch (error) {
            return false;
        }
    }

    function without(list, id) {
        return list.filter(function (entry) {
            return entry.id !== id;
        });
    }

    function findEntry(list, id) {
        for (var i = 0; i < list.length; i += 1) {
            if (list[i].id === id) {
                return list[i];
            }
        }
        return null;
    }

    function formatMoment(value) {
        var date = new Date(value);
        if (isNaN(date.getTime())) {
            return "";
        }
        try {
            // «5. mai 2026 kl. 14.03», as the server writes published times (Chromium gives 14:03).
            return date.toLocaleString("nb-NO", {
                day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"
            }).replace(/(\d{2}):(\d{2})/, "$1.$2");
        } catch (error) {
            return date.toISOString().slice(0, 16).replace("T", " ");
        }
    }

    // ------------------------------------------------------------------ the page cache

    /* Fetch the page again without cookies (a copy kept for later is the public page, never an
       editor's view) and keep it, and its images, with the time it was saved. */
    function keepOffline(entry) {
        if (!canCache || !navigator.onLine) {
            return Promise.resolve(false);
        }
        return caches.open(PAGE_CACHE).then(function (cache) {
            return fetch(entry.url, { credentials: "omit", cache: "no-cache" }).then(function (response) {
                if (!response.ok || response.redirected || response.type !== "basic") {
                    return false;
                }
                return response.blob().then(function (body) {
                    var headers = new Headers(response.headers);
                    headers.set("X-Lagret", new Date().toISOString());
                    return cache.put(entry.url, new Response(body, { status: 200, headers: headers }));
                }).then(function () {
                    return Promise.all((entry.images || []).map(function (src) {
                        return cache.add(new Request(src, { credentials: "omit" })).catch(function () {
                            return null;
                        });
                    }));
                }).then(function () {
                    return true;
                });
            });
        }).catch(function () {
            return false;
        });
    }

    /* Drop a page (and the images no other kept page shows) once it is neither a favourite nor
       among the recently viewed. */
    function forgetUnlessKept(entry) {
        if (!canCache || !entry) {
            return Promise.resolve();
        }
        var kept = (read(FAVOURITES) || []).concat(read(RECENT) || []);
        if (findEntry(kept, entry.id)) {
            return Promise.resolve();
        }
        var stillShown = {};
        kept.forEach(function (other) {
            (other.images || []).forEach(function (src) {
                stillShown[src] = true;
            });
        });
        return caches.open(PAGE_CACHE).then(function (cache) {
            var gone = [cache.delete(entry.url)];
            (entry.images || []).forEach(function (src) {
                if (!stillShown[src]) {
                    gone.push(cache.delete(src));
                }
            });
            return Promise.all(gone);
        }).catch(function () {
            return null;
        });
    }

    function isKept(url) {
        if (!canCache) {
            return Promise.resolve(false);
        }
        return caches.open(PAGE_CACHE).then(function (cache) {
            return cache.match(url, { ignoreVary: true });
        }).then(function (response) {
            return Boolean(response);
        }).catch(function () {
            return false;
        });
    }

    /* {"<id>": {publisert, publisert_tekst, url}} for the given entries, or null offline or on error. */
    function publishedStatus(entries) {
        if (!STATUS_URL || !entries.length || !navigator.onLine) {
            return Promise.resolve(null);
        }
        var query = entries.map(function (entry) {
            return "side=" + encodeURIComponent(entry.id);
        }).join("&");
        return fetch(STATUS_URL + "?" + query, { credentials: "omit", cache: "no-store" }).then(function (response) {
            return response.ok ? response.json() : null;
        }).then(function (data) {
            return data && data.sider ? data.sider : null;
        }).catch(function () {
            return null;
        });
    }

    /* A newer version was published: keep it instead of the old copy, and remember its time.
       Fetching it with cache "no-cache" also renews the browser's HTTP cache, so the link to the
       page opens the new version rather than a copy cached a few minutes ago. */
    function refreshKept(entry, status) {
        var fresh = copyOf(entry, { published: String(status.publisert), publishedLabel: status.publisert_tekst });
        return keepOffline(fresh).then(function (kept) {
            if (kept) {
                [FAVOURITES, RECENT].forEach(function (key) {
                    write(key, (read(key) || []).map(function (item) {
                        return item.id === entry.id
                            ? copyOf(item, { published: fresh.published, publishedLabel: fresh.publishedLabel })
                            : item;
                    }));
                });
            }
            return kept;
        });
    }

    function isNewer(status, entry) {
        return Boolean(status && status.publisert && Number(status.publisert) > Number(entry.published));
    }

    // ------------------------------------------------------------------ a content page

    function pageEntry(element) {
        var images = [];
        var main = document.querySelector("main");
        if (main) {
            main.querySelectorAll("img").forEach(function (img) {
                [img.currentSrc, img.src].forEach(function (src) {
                    if (src && src.indexOf(window.location.origin + "/") === 0 && images.indexOf(src) < 0) {
                        images.push(src);
                    }
                });
            });
        }
        return {
            id: Number(element.getAttribute("data-page-id")),
            title: element.getAttribute("data-title"),
            url: element.getAttribute("data-url"),
            community: element.getAttribute("data-community"),
            published: element.getAttribute("data-published"),
            publishedLabel: element.getAttribute("data-published-label"),
            images: images
        };
    }

    function copyOf(entry, extra) {
        var copy = {};
        Object.keys(entry).forEach(function (key) {
            copy[key] = entry[key];
        });
        Object.keys(extra).forEach(function (key) {
            copy[key] = extra[key];
        });
        return copy;
    }

    function setUpContentPage(element) {
        var entry = pageEntry(element);
        var button = element.querySelector("button");
        var status = element.querySelector("[role=status]");
        var favourites = read(FAVOURITES);
        if (favourites === null || !entry.id) {
            return;
        }
        var savedCopy = document.documentElement.getAttribute("data-lagret");
        if (savedCopy) {
            showKeptCopyBanner(entry, savedCopy);
        } else {
            remember(entry, favourites);
        }
        button.setAttribute("aria-pressed", findEntry(favourites, entry.id) ? "true" : "false");
        element.hidden = false;
        button.addEventListener("click", function () {
            var current = read(FAVOURITES) || [];
            var existing = findEntry(current, entry.id);
            if (existing) {
                write(FAVOURITES, without(current, entry.id));
                button.setAttribute("aria-pressed", "false");
                status.textContent = "Fjernet fra favoritter.";
                forgetUnlessKept(existing);
                return;
            }
            var saved = copyOf(entry, { savedAt: new Date().toISOString() });
            if (!write(FAVOURITES, [saved].concat(current))) {
                status.textContent = "Nettleseren din tillot ikke å lagre favoritten.";
                return;
            }
            button.setAttribute("aria-pressed", "true");
            status.textContent = "Lagret som favoritt.";
            keepOffline(saved).then(function (kept) {
                if (kept && button.getAttribute("aria-pressed") === "true") {
                    status.textContent = "Lagret som favoritt. Siden kan leses uten nett.";
                }
            });
        });
    }

    /* Opened online: first among the recently viewed, its favourite brought up to date (the copy
       kept is now this version), and a fresh copy kept for offline reading. */
    function remember(entry, favourites) {
        var recent = read(RECENT) || [];
        var seen = copyOf(entry, { viewedAt: new Date().toISOString() });
        var dropped = without(recent, entry.id).slice(RECENT_LIMIT - 1);
        write(RECENT, [seen].concat(without(recent, entry.id)).slice(0, RECENT_LIMIT));
        var favourite = findEntry(favourites, entry.id);
        if (favourite) {
            write(FAVOURITES, favourites.map(function (item) {
                return item.id === entry.id ? copyOf(entry, { savedAt: item.savedAt }) : item;
            }));
        }
        keepOffline(entry);
        dropped.forEach(forgetUnlessKept);
    }

    /* The service worker answered with the kept copy: say when it was saved, and when the
       network is back, whether a newer version exists. */
    function showKeptCopyBanner(entry, savedAt) {
        var main = document.querySelector("main");
        var banner = document.createElement("div");
        banner.className = "notice notice--warning offline-banner";
        banner.setAttribute("role", "status");
        var text = document.createElement("p");
        banner.appendChild(text);
        var when = formatMoment(savedAt);
        function offlineText() {
            text.textContent = navigator.onLine
                ? "Lagret " + when + ". Siden kunne ikke hentes fra nettet, så du ser den lagrede kopien."
                : "Lagret " + when + ", du er frakoblet.";
        }
        offlineText();
        main.insertBefore(banner, main.firstChild);

        function checkForNewer() {
            publishedStatus([entry]).then(function (answer) {
                if (!answer) {
                    return;
                }
                var status = answer[String(entry.id)];
                var more = document.createElement("p");
                if (!status) {
                    more.textContent = "Du er på nett igjen. Siden er ikke lenger publisert.";
                } else if (isNewer(status, entry)) {
                    more.appendChild(document.createTextNode(
                        "Du er på nett igjen. Det finnes en nyere versjon av siden, publisert "
                        + status.publisert_tekst + ". "
                    ));
                    var link = document.createElement("a");
                    link.href = status.url || entry.url;
                    link.textContent = "Åpne den nye versjonen";
                    more.appendChild(link);
                    refreshKept(entry, status);
                } else {
                    more.textContent = "Du er på nett igjen. Dette er den nyeste versjonen av siden.";
                }
                text.textContent = "Lagret " + when + ".";
                while (banner.childNodes.length > 1) {
                    banner.removeChild(banner.lastChild);
                }
                banner.appendChild(more);
            });
        }
        window.addEventListener("offline", offlineText);
        window.addEventListener("online", checkForNewer);
        if (navigator.onLine) {
            checkForNewer();
        }
    }

    // ------------------------------------------------------------------ «Mine favoritter» and the offline page

    function element(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text) {
            node.textContent = text;
        }
        return node;
    }

    /* One list item: the linked title, its community and dates, whether it can be read offline,
       and (filled in later) whether a newer version exists. */
    function listItem(entry, dateText) {
        var item = element("li");
        item.setAttribute("data-page-id", String(entry.id));
        var body = element("div", "saved-list__text");
        var title = element("p");
        var link = element("a", "", entry.title || entry.url);
        link.href = entry.url;
        title.appendChild(link);
        body.appendChild(title);
        var facts = [];
        if (entry.community) {
            facts.push(entry.community);
        }
        if (entry.publishedLabel) {
            facts.push("Publisert " + entry.publishedLabel);
        }
        if (dateText) {
            facts.push(dateText);
        }
        body.appendChild(element("p", "meta", facts.join(" · ")));
        var offline = element("p", "meta saved-list__offline");
        offline.hidden = true;
        body.appendChild(offline);
        var newer = element("p", "saved-list__newer");
        newer.hidden = true;
        body.appendChild(newer);
        item.appendChild(body);
        isKept(entry.url).then(function (kept) {
            if (kept) {
                offline.textContent = "Kan leses uten nett";
                offline.hidden = false;
            }
        });
        return { item: item, newer: newer };
    }

    function markNewer(entries, rows) {
        publishedStatus(entries).then(function (answer) {
            if (!answer) {
                return;
            }
            entries.forEach(function (entry, index) {
                var status = answer[String(entry.id)];
                var newer = rows[index].newer;
                if (!status) {
                    newer.textContent = "Siden er ikke lenger publisert.";
                    newer.hidden = false;
                } else if (isNewer(status, entry)) {
                    newer.textContent = "Det finnes en nyere versjon, publisert " + status.publisert_tekst + ".";
                    newer.hidden = false;
                    refreshKept(entry, status).then(function (kept) {
                        if (kept) {
                            newer.textContent += " Den nye versjonen er lagret for lesing uten nett.";
                        }
                    });
                }
            });
        });
    }

    function setUpFavouritesPage(root) {
        var lists = root.querySelector("[data-saved-lists]");
        var needsStorage = root.querySelector("[data-needs-storage]");
        var announcer = root.querySelector("[data-announcer]");
        if (read(FAVOURITES) === null) {
            needsStorage.querySelector("[data-no-storage]").hidden = false;
            return;
        }
        needsStorage.hidden = true;
        lists.hidden = false;
        var favouriteList = root.querySelector("[data-list=favourites]");
        var recentList = root.querySelector("[data-list=recent]");
        var favouritesHeading = root.querySelector("#favoritter-tittel");
        var clearRecent = root.querySelector("[data-clear-recent]");

        function draw() {
            var favourites = read(FAVOURITES) || [];
            var recent = read(RECENT) || [];
            favouriteList.textContent = "";
            recentList.textContent = "";
            root.querySelector("[data-empty=favourites]").hidden = favourites.length > 0;
            root.querySelector("[data-empty=recent]").hidden = recent.length > 0;
            favouriteList.hidden = !favourites.length;
            recentList.hidden = !recent.length;
            clearRecent.hidden = !recent.length;
            var favouriteRows = favourites.map(function (entry) {
                var row = listItem(entry, entry.savedAt ? "Lagret som favoritt " + formatMoment(entry.savedAt) : "");
                var remove = element("button", "button button--secondary", "Fjern");
                remove.type = "button";
                remove.appendChild(element("span", "visually-hidden", " «" + entry.title + "» fra favoritter"));
                remove.addEventListener("click", function () {
                    write(FAVOURITES, without(read(FAVOURITES) || [], entry.id));
                    forgetUnlessKept(entry);
                    draw();
                    announcer.textContent = "«" + entry.title + "» er fjernet fra favoritter.";
                    favouritesHeading.focus();
                });
                row.item.appendChild(remove);
                favouriteList.appendChild(row.item);
                return row;
            });
            var recentRows = recent.map(function (entry) {
                var row = listItem(entry, entry.viewedAt ? "Sett " + formatMoment(entry.viewedAt) : "");
                recentList.appendChild(row.item);
                return row;
            });
            markNewer(favourites, favouriteRows);
            markNewer(recent, recentRows);
        }

        clearRecent.addEventListener("click", function () {
            var recent = read(RECENT) || [];
            write(RECENT, []);
            recent.forEach(forgetUnlessKept);
            draw();
            announcer.textContent = "Listen over nylig sette sider er tømt.";
            root.querySelector("#nylig-tittel").focus();
        });
        draw();
    }

    /* The offline page: what this browser can read without a network. */
    function setUpOfflinePage(root) {
        var list = root.querySelector("[data-list=offline]");
        var empty = root.querySelector("[data-empty=offline]");
        var entries = (read(FAVOURITES) || []).concat(read(RECENT) || []);
        var seen = {};
        entries = entries.filter(function (entry) {
            if (seen[entry.id]) {
                return false;
            }
            seen[entry.id] = true;
            return true;
        });
        Promise.all(entries.map(function (entry) {
            return isKept(entry.url);
        })).then(function (kept) {
            var available = entries.filter(function (entry, index) {
                return kept[index];
            });
            available.forEach(function (entry) {
                var row = listItem(entry, "");
                list.appendChild(row.item);
            });
            list.hidden = !available.length;
            empty.hidden = available.length > 0;
        });
        var back = root.querySelector("[data-back-online]");
        window.addEventListener("online", function () {
            back.hidden = false;
        });
    }

    document.querySelectorAll("[data-favourite]").forEach(setUpContentPage);
    document.querySelectorAll("[data-favourites-page]").forEach(setUpFavouritesPage);
    document.querySelectorAll("[data-offline-page]").forEach(setUpOfflinePage);
})();

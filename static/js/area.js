/* «Mitt helsefellesskap»: the reader's own community, remembered in this browser (localStorage,
   like Kompetansebroen's area selector) and made the default where the portal lists or searches:

   - the main navigation's listings across communities open filtered to that community and the
     shared content (?fellesskap=<slug>&fellesskap=sentral);
   - search forms without a scope of their own search that community and the shared content
     (omfang=<slug>), as «Finn innhold i …» does, and so do the front page's entries to search;
   - the front page names the community with a link to it;
   - topic pages open for that community (?helsefellesskap=<slug>), also when opened without one.

   Pages are the same for every reader (they may come from the page cache): the choice lives only
   here and travels in the addresses, and the reader can change or clear it at any time. Without
   JavaScript the selector stays hidden and nothing is preselected. */
(function () {
    "use strict";

    var KEY = "kp-mitt-helsefellesskap";
    var SHARED = "sentral";
    var TOPIC_PARAM = "helsefellesskap";
    var selector = document.querySelector("[data-area-selector]");
    if (!selector) {
        return;
    }
    var select = selector.querySelector("select");
    var status = selector.querySelector("[data-area-status]");

    function stored() {
        try {
            return window.localStorage.getItem(KEY) || "";
        } catch (error) {
            return ""; // storage blocked: nothing is remembered
        }
    }

    function store(slug) {
        try {
            if (slug) {
                window.localStorage.setItem(KEY, slug);
            } else {
                window.localStorage.removeItem(KEY);
            }
        } catch (error) {
            // Storage blocked: the choice holds for this page only.
        }
    }

    function option(slug) {
        return slug ? select.querySelector("option[value='" + slug.replace(/[^a-z0-9-]/g, "") + "']") : null;
    }

    function withParams(href, pairs, dropNames) {
        var url = new URL(href, window.location.href);
        dropNames.forEach(function (name) {
            url.searchParams.delete(name);
        });
        pairs.forEach(function (pair) {
            url.searchParams.append(pair[0], pair[1]);
        });
        return url.pathname + url.search + url.hash;
    }

    // Links marked with `attribute` get `name`=<slug> (and `extra`), from the address they had.
    function rewrite(attribute, name, extra, slug) {
        document.querySelectorAll("a[" + attribute + "]").forEach(function (link) {
            var base = link.getAttribute("data-area-base");
            if (base === null) {
                base = link.getAttribute("href");
                link.setAttribute("data-area-base", base);
            }
            link.setAttribute("href", slug ? withParams(base, [[name, slug]].concat(extra), [name]) : base);
        });
    }

    function apply(slug) {
        // The navigation's listings across communities, the front page's entries to search, topic pages.
        rewrite("data-area-browse", "fellesskap", [["fellesskap", SHARED]], slug);
        rewrite("data-area-search", "omfang", [], slug);
        rewrite("data-area-topic", TOPIC_PARAM, [], slug);
        // Search forms without a scope of their own.
        document.querySelectorAll("form[role=search]").forEach(function (form) {
            var own = form.querySelector("input[name=omfang]:not([data-area-scope])");
            var input = form.querySelector("input[data-area-scope]");
            if (own) {
                return;
            }
            if (!slug) {
                if (input) { input.remove(); }
                return;
            }
            if (!input) {
                input = document.createElement("input");
                input.type = "hidden";
                input.name = "omfang";
                input.setAttribute("data-area-scope", "");
                form.appendChild(input);
            }
            input.value = slug;
        });
        // The front page names the reader's community.
        document.querySelectorAll("[data-area-home]").forEach(function (slot) {
            var chosen = option(slug);
            var link = slot.querySelector("a");
            if (chosen && link) {
                link.href = chosen.getAttribute("data-url");
                link.textContent = chosen.textContent;
                slot.hidden = false;
            } else {
                slot.hidden = true;
            }
        });
    }

    // A topic page opened without a community in its address reopens for the reader's.
    function reopenTopicPage(slug, always) {
        var url = new URL(window.location.href);
        var shown = url.searchParams.get(TOPIC_PARAM);
        if (!document.querySelector("[data-area-topic-page]") || (shown !== null && !always) || (shown || "") === slug) {
            return false;
        }
        window.location.replace(withParams(url.href, slug ? [[TOPIC_PARAM, slug]] : [], [TOPIC_PARAM]));
        return true;
    }

    var current = stored();
    if (current && !option(current)) {
        current = ""; // a community that is gone
        store("");
    }
    if (current && reopenTopicPage(current, false)) {
        return;
    }
    select.value = current;
    selector.hidden = false;
    apply(current);

    select.addEventListener("change", function () {
        var slug = option(select.value) ? select.value : "";
        store(slug);
        if (reopenTopicPage(slug, true)) {
            return;
        }
        apply(slug);
        if (status) {
            status.textContent = slug
                ? option(slug).textContent + " er valgt som ditt helsefellesskap."
                : "Du ser innhold fra alle helsefellesskap.";
        }
    });
})();

/* Search box autocomplete: a progressive enhancement. Without it the form posts GET to /sok/. */
(function () {
    "use strict";

    var DELAY_MS = 150;

    function setup(input) {
        var url = input.getAttribute("data-autocomplete");
        if (!url || input.getAttribute("data-autocomplete-ready")) {
            return;
        }
        input.setAttribute("data-autocomplete-ready", "1");
        var list = document.getElementById(input.getAttribute("aria-controls") || "");
        if (!list) {
            list = document.createElement("ul");
            list.className = "search-form__suggestions";
            list.id = input.id + "-forslag";
            list.setAttribute("role", "listbox");
            list.setAttribute("aria-label", "Forslag");
            list.hidden = true;
            input.setAttribute("aria-controls", list.id);
            input.parentNode.appendChild(list);
        }
        var timer = null;
        var latest = 0;

        function close() {
            list.hidden = true;
            list.textContent = "";
            input.setAttribute("aria-expanded", "false");
        }

        function show(items) {
            list.textContent = "";
            items.forEach(function (item) {
                var li = document.createElement("li");
                li.setAttribute("role", "option");
                var link = document.createElement("a");
                link.href = item.url;
                link.textContent = item.title; // text, never HTML
                li.appendChild(link);
                list.appendChild(li);
            });
            list.hidden = items.length === 0;
            input.setAttribute("aria-expanded", items.length ? "true" : "false");
        }

        function fetchSuggestions() {
            var value = input.value.trim();
            if (value.length < 2) {
                close();
                return;
            }
            var ticket = ++latest;
            fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
                .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
                .then(function (data) {
                    if (ticket === latest) {
                        show(data.suggestions || []);
                    }
                })
                .catch(close);
        }

        input.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(fetchSuggestions, DELAY_MS);
        });
        input.addEventListener("keydown", function (event) {
            if (event.key === "Escape") {
                close();
            } else if (event.key === "ArrowDown" && !list.hidden) {
                event.preventDefault();
                var first = list.querySelector("a");
                if (first) { first.focus(); }
            }
        });
        list.addEventListener("keydown", function (event) {
            var current = document.activeElement;
            var item = current && current.parentNode;
            if (event.key === "ArrowDown" && item && item.nextElementSibling) {
                event.preventDefault();
                item.nextElementSibling.querySelector("a").focus();
            } else if (event.key === "ArrowUp") {
                event.preventDefault();
                if (item && item.previousElementSibling) {
                    item.previousElementSibling.querySelector("a").focus();
                } else {
                    input.focus();
                }
            } else if (event.key === "Escape") {
                close();
                input.focus();
            }
        });
        document.addEventListener("click", function (event) {
            if (event.target !== input && !list.contains(event.target)) {
                close();
            }
        });
    }

    document.querySelectorAll("input[data-autocomplete]").forEach(setup);
})();

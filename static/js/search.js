/* Search box autocomplete: a progressive enhancement. Without it the form posts GET to /sok/.

   With this script the box is an editable combobox with a list of suggestions, as in the ARIA 1.2
   pattern «combobox with listbox popup» (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
   role="combobox", aria-controls and aria-expanded on the box (set here, so that without the
   script it stays a plain search box), focus stays in the box while the arrow keys move
   aria-activedescendant through the options, Enter opens the chosen one and Escape closes. */
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
            input.parentNode.appendChild(list);
        }
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-controls", list.id);
        input.setAttribute("aria-expanded", "false");
        var timer = null;
        var latest = 0;
        var active = -1;

        function options() {
            return list.querySelectorAll("[role=option]");
        }

        function setActive(index) {
            var items = options();
            active = index;
            items.forEach(function (item, position) {
                item.setAttribute("aria-selected", position === index ? "true" : "false");
            });
            if (index >= 0 && items[index]) {
                input.setAttribute("aria-activedescendant", items[index].id);
                items[index].scrollIntoView({ block: "nearest" });
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function close() {
            if (list.hidden && input.getAttribute("aria-expanded") === "false") {
                return;
            }
            list.hidden = true;
            list.textContent = "";
            active = -1;
            input.removeAttribute("aria-activedescendant");
            input.setAttribute("aria-expanded", "false");
        }

        function show(items) {
            list.textContent = "";
            active = -1;
            input.removeAttribute("aria-activedescendant");
            items.forEach(function (item, position) {
                var option = document.createElement("li");
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.id = list.id + "-" + position;
                option.setAttribute("data-url", item.url);
                option.textContent = item.title; // text, never HTML
                list.appendChild(option);
            });
            list.hidden = items.length === 0;
            input.setAttribute("aria-expanded", items.length ? "true" : "false");
        }

        function go(option) {
            var target = option && option.getAttribute("data-url");
            if (target) {
                window.location.assign(target);
            }
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
            var count = options().length;
            if (event.key === "Escape") {
                close();
            } else if (event.key === "ArrowDown" && !list.hidden && count) {
                event.preventDefault();
                setActive(active + 1 < count ? active + 1 : 0);
            } else if (event.key === "ArrowUp" && !list.hidden && count) {
                event.preventDefault();
                setActive(active > 0 ? active - 1 : count - 1);
            } else if (event.key === "Enter" && !list.hidden && active >= 0) {
                // The chosen suggestion, not a search for the words typed so far.
                event.preventDefault();
                go(options()[active]);
            }
        });
        input.addEventListener("blur", function () {
            // A click on an option lands after the blur: close once it has been handled.
            setTimeout(close, 200);
        });
        list.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep the focus in the box
        });
        list.addEventListener("click", function (event) {
            var option = event.target.closest("[role=option]");
            if (option) {
                go(option);
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

/* Kompetanseportalen: small progressive enhancements. Everything works without this file. */
(function () {
    "use strict";

    function formatDate(date) {
        try {
            return date.toLocaleDateString("nb-NO", { day: "numeric", month: "long", year: "numeric" });
        } catch (error) {
            return date.toISOString().slice(0, 10);
        }
    }

    // A print button where the page offers one (the browser's own print works without it).
    document.querySelectorAll("[data-print-slot]").forEach(function (slot) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary";
        button.textContent = "Skriv ut";
        button.addEventListener("click", function () {
            window.print();
        });
        slot.appendChild(button);
        slot.hidden = false;
    });

    // Filters (listings, search) start folded on a phone and open on wide screens; the value of
    // data-open-on-wide is the width from which the page shows them beside the results.
    document.querySelectorAll("details[data-open-on-wide]").forEach(function (details) {
        var width = details.getAttribute("data-open-on-wide") || "56rem";
        if (window.matchMedia && window.matchMedia("(min-width: " + width + ")").matches) {
            details.open = true;
        }
    });

    // On a phone the header is one row: the search box and the menu fold behind «Meny».
    // Without this script (or on a wide screen, where portal.css hides the button) they show.
    var header = document.querySelector(".site-header");
    var menuButton = header && header.querySelector(".site-header__menu-button");
    if (menuButton) {
        header.classList.add("site-header--foldable");
        var setMenu = function (open) {
            menuButton.setAttribute("aria-expanded", open ? "true" : "false");
            header.classList.toggle("site-header--open", open);
        };
        setMenu(false);
        menuButton.addEventListener("click", function () {
            setMenu(menuButton.getAttribute("aria-expanded") !== "true");
        });
        header.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true"
                && window.getComputedStyle(menuButton).display !== "none") {
                setMenu(false);
                menuButton.focus();
            }
        });
    }

    // The print stamp carries the date the paper copy was made, not the date the page was cached.
    function stampPrintDate() {
        var today = formatDate(new Date());
        document.querySelectorAll("[data-print-date]").forEach(function (element) {
            element.textContent = today;
        });
    }
    window.addEventListener("beforeprint", stampPrintDate);
    stampPrintDate();

    // Close the community switcher when focus or a click leaves it.
    document.addEventListener("click", function (event) {
        document.querySelectorAll("details.switcher[open]").forEach(function (details) {
            if (!details.contains(event.target)) {
                details.removeAttribute("open");
            }
        });
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
            document.querySelectorAll("details.switcher[open]").forEach(function (details) {
                details.removeAttribute("open");
                details.querySelector("summary").focus();
            });
        }
    });
})();

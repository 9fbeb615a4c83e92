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

    // Listing filters start folded on a phone and open on wide screens.
    if (window.matchMedia && window.matchMedia("(min-width: 56rem)").matches) {
        document.querySelectorAll("details[data-open-on-wide]").forEach(function (details) {
            details.open = true;
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

/* Kompetanseportalen: an embedded film is loaded only when the reader asks for it.
 *
 * Until the button is pressed the page holds no frame, image or script from YouTube or Vimeo, so
 * nothing about the reader reaches them. Without this script the button stays hidden and the link
 * beside it opens the film at the provider.
 */
(function () {
    "use strict";

    document.querySelectorAll("[data-film-consent]").forEach(function (container) {
        var button = container.querySelector("[data-film-consent-button]");
        var source = container.getAttribute("data-embed-src");
        if (!button || !source) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            var frame = document.createElement("iframe");
            frame.src = source + (source.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
            frame.title = container.getAttribute("data-embed-title") || "Film";
            frame.className = "film__frame";
            frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
            frame.setAttribute("allowfullscreen", "");
            frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
            container.replaceChildren(frame);
            container.classList.add("film--playing");
            frame.focus();
        });
    });
})();

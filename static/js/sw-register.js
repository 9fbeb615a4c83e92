/* Registers the service worker (templates/kompetanse/sw.js, served at the site root by
   kompetanse/offline.py) that lets favourites and recently viewed pages be read offline and the
   portal be installed as an app. Without it, or without this script, the portal works as before. */
(function () {
    "use strict";

    var script = document.currentScript;
    var url = script && script.getAttribute("data-service-worker");
    if (!url || !("serviceWorker" in navigator)) {
        return;
    }
    window.addEventListener("load", function () {
        navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
            // No worker (an old browser, a blocked origin): the pages simply need the network.
            return null;
        });
    });
})();

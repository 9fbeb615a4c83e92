// The import's progress page (reuse/templates/reuse/admin/import_progress.html): asks for the
// status every two seconds, shows the count, and loads the page again when the import is done,
// so the outcome is drawn by the server. An external file: the admin's CSP allows no inline script.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) return;
  var bar = box.querySelector("[data-import-bar]");
  var text = box.querySelector("[data-import-text]");
  var url = box.getAttribute("data-status-url");

  function show(state) {
    if (state.finished) {
      window.location.reload();
      return;
    }
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
      text.textContent = state.done + " av " + state.total + " sider importert …";
    } else if (state.status === "queued") {
      text.textContent = "Venter på å starte …";
    } else {
      text.textContent = "Importen pågår …";
    }
    window.setTimeout(ask, 2000);
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(show)
      .catch(function () {
        window.setTimeout(ask, 5000);
      });
  }

  window.setTimeout(ask, 2000);
})();

// Keeps an export's progress bar and message up to date until its file is ready (or it failed).
// Without JavaScript the page still works: it has a link that reloads it.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-job]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var message = box.querySelector("[data-export-message]");
  var ready = box.querySelector("[data-export-ready]");
  var waiting = box.querySelector("[data-export-waiting]");

  function show(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + " %";
    if (message.textContent !== status.message) { message.textContent = status.message; }
    ready.hidden = status.state !== "done";
    waiting.hidden = status.state === "done" || status.state === "failed";
    return status.state === "done" || status.state === "failed";
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (status) { if (!show(status)) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (waiting && !waiting.hidden) { window.setTimeout(poll, 500); }
})();

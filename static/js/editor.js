/* The portal editor's enhancements (the forms work without them): a toolbar for rich text,
   autosave into a revision every few seconds, who else is editing where, and a live diff of an
   amendment against the hearing's section text. No inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";

  var root = document.querySelector("[data-editor]");
  if (!root) { return; }
  var form = root.querySelector("[data-editor-form]");
  if (!form) { return; }
  var AUTOSAVE_MS = 5000;
  var PRESENCE_MS = 10000;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var statusLine = root.querySelector("[data-autosave-status]");
  var presenceLine = root.querySelector("[data-presence]");
  var dirty = false;
  var stale = false;
  var saving = false;

  function label(name) { return root.getAttribute("data-label-" + name) || name; }

  function post(url, data) {
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    });
  }

  /* --- rich text toolbar ------------------------------------------------------------------ */
  var COMMANDS = [
    ["paragraph", "formatBlock", "p", "¶"], ["h2", "formatBlock", "h2", "H2"], ["h3", "formatBlock", "h3", "H3"],
    ["bold", "bold", null, "B"], ["italic", "italic", null, "I"],
    ["ul", "insertUnorderedList", null, "•"], ["ol", "insertOrderedList", null, "1."], ["link", "createLink", null, null]
  ];

  function toHtml(value) {
    value = (value || "").trim();
    if (!value || /^<(p|h[1-6]|ul|ol|blockquote|div)\b/i.test(value)) { return value; }
    var box = document.createElement("div");
    value.split(/\n\s*\n/).forEach(function (paragraph) {
      var p = document.createElement("p");
      p.textContent = paragraph;
      box.appendChild(p);
    });
    return box.innerHTML;
  }

  function richText(textarea) {
    var fieldLabel = form.querySelector("label[for='" + textarea.id + "']");
    var toolbar = document.createElement("div");
    toolbar.className = "rich-text-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", label("toolbar") + (fieldLabel ? ": " + fieldLabel.textContent.trim() : ""));
    var box = document.createElement("div");
    box.className = "rich-text-box";
    box.contentEditable = "true";
    box.setAttribute("role", "textbox");
    box.setAttribute("aria-multiline", "true");
    if (fieldLabel) {
      fieldLabel.id = fieldLabel.id || textarea.id + "-label";
      box.setAttribute("aria-labelledby", fieldLabel.id);
      fieldLabel.addEventListener("click", function () { box.focus(); });
    }
    box.innerHTML = toHtml(textarea.value) || "<p><br></p>";
    COMMANDS.forEach(function (command) {
      var button = document.createElement("button");
      button.type = "button";
      // The visible word is the accessible name (symbols like "H2" would not say what they do).
      button.textContent = label(command[0]);
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        box.focus();
        var argument = command[2];
        if (command[1] === "createLink") {
          argument = window.prompt(label("link-prompt"), "https://");
          if (!argument || !/^(https?:|mailto:)/i.test(argument)) { return; }
        }
        document.execCommand(command[1], false, argument);
        sync();
      });
      toolbar.appendChild(button);
    });
    function sync() {
      var html = box.innerHTML.trim();
      // The server reads text that does not start with a block as plain text: keep it HTML.
      if (html && !/^<(p|h[1-6]|ul|ol|blockquote|div)\b/i.test(html)) { html = "<p>" + html + "</p>"; }
      if (box.textContent.trim() === "") { html = ""; }
      textarea.value = html;
      changed();
    }
    box.addEventListener("input", sync);
    textarea.hidden = true;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(box, textarea);
  }
  try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (error) { /* older browsers */ }
  Array.prototype.forEach.call(form.querySelectorAll("textarea.rich-text-source"), richText);
  // live-editor.js hands a field back when live editing cannot connect (or has stopped).
  document.addEventListener("portal:rich-text", function (event) { richText(event.detail); });

  /* --- autosave ------------------------------------------------------------------------------ */
  function changed() { dirty = true; }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { dirty = false; stale = true; /* the real save takes over */ });

  function autosave() {
    if (!dirty || stale || saving) { return; }
    saving = true;
    dirty = false;
    var data = new FormData(form);
    data.set("action", "autosave");
    data.delete("original"); // a file is sent with a real save, not every few seconds
    statusLine.textContent = root.getAttribute("data-autosave-label");
    post(form.action, data).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      saving = false;
      if (result.body.ok) {
        form.querySelector("[name=loaded_revision_id]").value = result.body.loaded_revision_id;
        form.querySelector("[name=loaded_revision_created_at]").value = result.body.loaded_revision_created_at;
        statusLine.textContent = result.body.message;
      } else if (result.body.stale && root.getAttribute("data-live") === "on") {
        // The live document was saved meanwhile: its "saved" message brings the new revision; try again.
        dirty = true;
      } else if (result.body.stale) {
        stale = true;
        statusLine.textContent = root.getAttribute("data-stale-label");
      } else {
        statusLine.textContent = result.body.error;
      }
    }).catch(function () { saving = false; dirty = true; });
  }
  window.setInterval(autosave, AUTOSAVE_MS);

  /* --- presence ------------------------------------------------------------------------------ */
  function where() {
    var element = document.activeElement;
    var holder = element && element.closest ? element.closest("[data-anchor]") : null;
    if (!holder) { return ""; }
    var select = holder.querySelector("select[name$='-section_number']");
    return select ? select.value : holder.getAttribute("data-anchor");
  }

  function presence() {
    var data = new FormData();
    data.set("where", where());
    post(root.getAttribute("data-presence-url"), data).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (!body) { return; }
      var text = body.present.join("; ");
      if (presenceLine.textContent !== text) { presenceLine.textContent = text; }
    }).catch(function () {});
  }
  presence();
  window.setInterval(presence, PRESENCE_MS);
  window.addEventListener("pagehide", function () {
    var data = new FormData();
    data.set("leave", "1");
    data.set("csrfmiddlewaretoken", csrf);
    navigator.sendBeacon(root.getAttribute("data-presence-url"), data);
  });

  /* --- live diff of an amendment ------------------------------------------------------------- */
  function watchPart(part) {
    var select = part.querySelector("select[name$='-section_number']");
    var kind = part.querySelector("select[name$='-kind']");
    var replacement = part.querySelector("textarea[name$='-replacement']");
    var output = part.querySelector("[data-diff]");
    if (!select || !kind || !replacement || !output) { return; }
    var timer = null;
    function refresh() {
      if (kind.value !== "amendment" || !select.value) { output.hidden = true; return; }
      var data = new FormData();
      data.set("section_number", select.value);
      data.set("replacement", replacement.value);
      post(root.getAttribute("data-diff-url"), data).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (body) {
        if (!body) { return; }
        output.innerHTML = "";
        var summary = document.createElement("p");
        summary.className = "muted";
        summary.textContent = body.summary;
        var diff = document.createElement("p");
        diff.className = "diff";
        diff.innerHTML = body.html; // escaped by the server; only <ins>/<del>/<span>/<br> added
        output.appendChild(summary);
        output.appendChild(diff);
        output.hidden = false;
      }).catch(function () {});
    }
    function later() { window.clearTimeout(timer); timer = window.setTimeout(refresh, 500); }
    [select, kind].forEach(function (element) { element.addEventListener("change", refresh); });
    replacement.addEventListener("input", later);
    refresh();
  }
  Array.prototype.forEach.call(form.querySelectorAll("[data-part]"), watchPart);

  /* --- a comment on a passage: the selected text becomes the quote ------------------------- */
  var quote = document.querySelector("[data-quote]");
  if (quote) {
    form.addEventListener("mouseup", function () {
      var selected = window.getSelection ? String(window.getSelection()).trim() : "";
      if (selected) { quote.value = selected.slice(0, 2000); }
    });
  }
})();

/* Live co-editing of a draft's rich text (issue #16). Bundled by esbuild into static/js/live-editor.js
   (`make js`); no CDN, no inline script or style (CSP script-src/style-src 'self').

   The rich-text field becomes a ProseMirror editor bound to a Yjs document (y-prosemirror), shared
   over a WebSocket (y-websocket) with the server (portal/editor/consumers.py), which keeps the same
   document in pycrdt and writes the draft's revisions. Members see each other's typing and cursors
   (with names) at once; edits made while the connection is down are merged when it returns.

   Without a connection the plain editor (static/js/editor.js) takes the field, as before, and the
   page says that live editing is off. */
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { ySyncPlugin, yCursorPlugin, yUndoPlugin, undo, redo } from "y-prosemirror";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { Schema, DOMSerializer } from "prosemirror-model";
import { schema as basic } from "prosemirror-schema-basic";
import { addListNodes, wrapInList, splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { keymap } from "prosemirror-keymap";
import { baseKeymap, toggleMark, setBlockType } from "prosemirror-commands";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";

const PORTAL_MESSAGE = 100; // our JSON messages beside Yjs' own (consumers.PORTAL_MESSAGE)
const CONNECT_TIMEOUT_MS = 6000;

// What the drafts keep (the server's sanitiser): paragraphs, headings, lists, quotes, line breaks,
// bold, italic and links. The node names are what portal/editor/livetext.py reads.
const schema = new Schema({
  nodes: addListNodes(
    basic.spec.nodes.remove("image").remove("code_block").remove("horizontal_rule"), "paragraph block*", "block"
  ),
  marks: { link: basic.spec.marks.get("link"), strong: basic.spec.marks.get("strong"), em: basic.spec.marks.get("em") },
});

function cursorBuilder(user) {
  // As y-prosemirror's own, but coloured through the CSSOM: CSP forbids style attributes.
  const cursor = document.createElement("span");
  cursor.className = "ProseMirror-yjs-cursor";
  cursor.style.borderColor = user.color;
  const name = document.createElement("span");
  name.className = "ProseMirror-yjs-cursor__name";
  name.style.backgroundColor = user.color;
  name.textContent = user.name;
  cursor.append("\u2060", name, "\u2060");
  return cursor;
}

function start(root) {
  const form = root.querySelector("[data-editor-form]");
  const textarea = form && form.querySelector("#" + root.getAttribute("data-live-field"));
  const status = root.querySelector("[data-live-status]");
  if (!textarea || !status || !("WebSocket" in window)) { return; }
  const label = (name) => root.getAttribute("data-live-" + name) || "";
  const say = (text, on) => {
    status.textContent = text;
    status.classList.toggle("editor__live--on", Boolean(on));
  };

  // Ours until we know whether the socket connects (editor.js leaves it alone meanwhile).
  textarea.classList.remove("rich-text-source");
  say(label("connecting"), false);

  const doc = new Y.Doc();
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const provider = new WebsocketProvider(
    scheme + "//" + window.location.host + root.getAttribute("data-live-url"), root.getAttribute("data-live-room"),
    doc, { disableBc: true, maxBackoffTime: 5000 }
  );
  let view = null;
  let ended = false;
  let flushed = null;

  const saved = (info) => {
    const id = form.querySelector("[name=loaded_revision_id]");
    const created = form.querySelector("[name=loaded_revision_created_at]");
    if (id && created) { id.value = info.id; created.value = info.created_at; }
    say(label("saved").replace("{time}", info.time), true);
  };

  provider.messageHandlers[PORTAL_MESSAGE] = (encoder, decoder) => {
    const message = JSON.parse(decoding.readVarString(decoder));
    if (message.saved) { saved(message.saved); }
    if (message.flushed && flushed) { flushed(); }
    if (message.error) { end(message.error); }
  };

  function html() {
    const box = document.createElement("div");
    box.appendChild(DOMSerializer.fromSchema(schema).serializeFragment(view.state.doc.content));
    return box.textContent.trim() ? box.innerHTML : "";
  }

  function end(reason) {
    // Back to the plain editor with what is on the screen; saving it works as it always did.
    if (ended) { return; }
    ended = true;
    provider.destroy();
    if (view) {
      textarea.value = html();
      view.destroy();
      root.querySelector("[data-live-editor]").remove();
      const marker = form.querySelector("input[name=live]");
      if (marker) { marker.remove(); }
    }
    root.removeAttribute("data-live");
    textarea.disabled = false;
    textarea.hidden = false;
    textarea.classList.add("rich-text-source");
    document.dispatchEvent(new CustomEvent("portal:rich-text", { detail: textarea }));
    say(reason || label("off"), false);
  }

  function toolbar() {
    const bar = document.createElement("div");
    bar.className = "rich-text-toolbar";
    bar.setAttribute("role", "toolbar");
    const fieldLabel = form.querySelector("label[for='" + textarea.id + "']");
    bar.setAttribute("aria-label", label("toolbar") + (fieldLabel ? ": " + fieldLabel.textContent.trim() : ""));
    const commands = [
      ["paragraph", setBlockType(schema.nodes.paragraph)],
      ["h2", setBlockType(schema.nodes.heading, { level: 2 })],
      ["h3", setBlockType(schema.nodes.heading, { level: 3 })],
      ["bold", toggleMark(schema.marks.strong)],
      ["italic", toggleMark(schema.marks.em)],
      ["ul", wrapInList(schema.nodes.bullet_list)],
      ["ol", wrapInList(schema.nodes.ordered_list)],
      ["link", (state, dispatch) => {
        if (state.selection.empty) { return false; }
        if (!dispatch) { return true; }
        const href = window.prompt(root.getAttribute("data-label-link-prompt") || "", "https://");
        if (!href || !/^(https?:|mailto:)/i.test(href)) { return false; }
        return toggleMark(schema.marks.link, { href })(state, dispatch);
      }],
    ];
    commands.forEach(([name, command]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = root.getAttribute("data-label-" + name) || name;
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => { view.focus(); command(view.state, view.dispatch); });
      bar.appendChild(button);
    });
    return bar;
  }

  function mount() {
    const holder = document.createElement("div");
    holder.setAttribute("data-live-editor", "");
    holder.appendChild(toolbar());
    const box = document.createElement("div");
    box.className = "rich-text-box";
    holder.appendChild(box);
    const fragment = doc.getXmlFragment(root.getAttribute("data-live-name"));
    const fieldLabel = form.querySelector("label[for='" + textarea.id + "']");
    if (fieldLabel) {
      fieldLabel.id = fieldLabel.id || textarea.id + "-label";
      fieldLabel.addEventListener("click", () => view.focus());
    }
    view = new EditorView(box, {
      state: EditorState.create({
        schema,
        plugins: [
          ySyncPlugin(fragment),
          yCursorPlugin(provider.awareness, { cursorBuilder }),
          yUndoPlugin(),
          keymap({ "Mod-z": undo, "Mod-y": redo, "Mod-Shift-z": redo }),
          keymap({ Enter: splitListItem(schema.nodes.list_item), "Mod-[": liftListItem(schema.nodes.list_item),
                   "Mod-]": sinkListItem(schema.nodes.list_item) }),
          keymap(baseKeymap),
        ],
      }),
      attributes: {
        role: "textbox", "aria-multiline": "true", class: "rich-text-box__editor",
        "aria-labelledby": fieldLabel ? fieldLabel.id : "", "aria-describedby": status.id,
      },
    });
    // Typing here is saved by the server: it must not start the form's own autosave.
    box.addEventListener("input", (event) => event.stopPropagation());
    textarea.hidden = true;
    textarea.disabled = true; // not posted: the live document is the text (views: live=1)
    const marker = document.createElement("input");
    marker.type = "hidden";
    marker.name = "live";
    marker.value = "1";
    form.appendChild(marker);
    textarea.parentNode.insertBefore(holder, textarea);
    root.setAttribute("data-live", "on");
    say(label("on"), true);
  }

  // Before a save or "send for approval": the revision must hold everything typed up to now.
  let submitting = false;
  form.addEventListener("submit", (event) => {
    if (!view || ended || submitting || !provider.wsconnected) { return; }
    event.preventDefault();
    const submitter = event.submitter;
    const go = () => { submitting = true; flushed = null; form.requestSubmit(submitter); };
    flushed = go;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, PORTAL_MESSAGE);
    encoding.writeVarString(encoder, JSON.stringify({ flush: true }));
    provider.ws.send(encoding.toUint8Array(encoder));
    window.setTimeout(() => { if (flushed === go) { go(); } }, 3000);
  });

  const timer = window.setTimeout(() => { if (!view) { end(); } }, CONNECT_TIMEOUT_MS);
  provider.on("sync", (synced) => {
    if (synced && !view && !ended) { window.clearTimeout(timer); mount(); }
  });
  provider.on("status", (event) => {
    if (!view || ended) { return; }
    say(event.status === "connected" ? label("on") : label("reconnecting"), event.status === "connected");
  });
  provider.on("closed", () => end(label("refused")));
  provider.on("connection-close", () => { if (!view) { end(); } });
}

const root = document.querySelector("[data-editor][data-live-url]");
if (root) { start(root); }

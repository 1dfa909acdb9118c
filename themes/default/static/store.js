/* Playbook: what this browser keeps for the reader (ticks, answers, the role lens),
   and small helpers the other scripts share. Everything is filed under the
   playbook's own key, so two playbooks opened from disk do not mix. */
(function () {
  "use strict";
  const site = document.documentElement.getAttribute("data-site") || "playbook";
  const prefix = "playbook:" + site + ":";
  const memory = new Map(); // used when the browser refuses to save, e.g. in some private windows

  function storage() {
    try {
      const probe = prefix + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }
  const local = storage();

  function getText(key) {
    return local ? local.getItem(prefix + key) : memory.get(key) ?? null;
  }

  function setText(key, text) {
    if (!local) { memory.set(key, text); return false; }
    try { local.setItem(prefix + key, text); return true; } catch (error) { memory.set(key, text); return false; }
  }

  function read(key) {
    const text = getText(key);
    if (!text) return null;
    try { return JSON.parse(text); } catch (error) { return null; }
  }

  function write(key, value) {
    return setText(key, JSON.stringify(value));
  }

  function remove(key) {
    memory.delete(key);
    if (local) local.removeItem(prefix + key);
  }

  /* Every [name, text] this playbook keeps in the browser. */
  function entries() {
    const found = new Map(memory);
    if (local) {
      for (let i = 0; i < local.length; i += 1) {
        const key = local.key(i);
        if (key && key.startsWith(prefix)) found.set(key.slice(prefix.length), local.getItem(key));
      }
    }
    return Array.from(found.entries()).sort();
  }

  /* Offer `text` as a file to save, without any server. */
  function download(filename, text, type) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  /* Read the file chosen in `input` as JSON; `then` gets the data (null when it is not JSON) and the file.
     The input is emptied, so choosing the same file again is noticed. */
  function readJson(input, then) {
    const file = input.files && input.files[0];
    if (!file) return;
    file.text().then(function (text) {
      let data;
      try { data = JSON.parse(text); } catch (error) { data = null; }
      input.value = "";
      then(data, file);
    });
  }

  /* A value from the page address, e.g. ?for=twelve-months/6 */
  function param(name) {
    return new URLSearchParams(window.location.search).get(name);
  }

  /* Call handlers[action] when a [data-action] element inside `root` is clicked. */
  function onAction(root, handlers) {
    root.addEventListener("click", function (event) {
      const button = event.target.closest("[data-action]");
      if (button && handlers[button.dataset.action]) handlers[button.dataset.action](event, button);
    });
  }

  /* Parts of the page that only work with JavaScript start hidden; show them. */
  function reveal(selector) {
    document.querySelectorAll(selector).forEach(function (element) { element.hidden = false; });
  }

  window.Playbook = {
    site: site, saves: Boolean(local), read: read, write: write, remove: remove,
    getText: getText, setText: setText, entries: entries, download: download, readJson: readJson, param: param, onAction: onAction, reveal: reveal,
    key: function (name) { return prefix + name; },
  };

  reveal("[data-action='print']");
  onAction(document, { print: function () { window.print(); } });
})();

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

  /* Keep every [name, text] of `pairs`, or none: when the browser refuses one, put back what was there. */
  function writeAll(pairs) {
    const before = pairs.map(function (pair) { return getText(pair[0]); });
    const done = [];
    if (pairs.every(function (pair) { done.push(pair[0]); return setText(pair[0], pair[1]); })) return true;
    done.forEach(function (key) { remove(key); }); // all out before any goes back, so the old texts fit again
    done.forEach(function (key, i) { if (before[i] !== null) setText(key, before[i]); });
    return false;
  }

  /* An object (not null, not a list) whose every value passes `test`, if given. */
  function isMap(value, test) {
    return value !== null && typeof value === "object" && !Array.isArray(value) && (!test || Object.values(value).every(test));
  }

  /* A worksheet answer: text, or the ticked choices' texts. */
  function isAnswer(value) {
    return typeof value === "string" || Array.isArray(value) && value.every(function (v) { return typeof v === "string"; });
  }

  /* What the progress backup carries: ticks, answers, guides read, a start date, the pair this browser belongs to. */
  const KEPT = /^(checklist|worksheet|guide|start|pair):/;

  function isTick(value) { return typeof value === "boolean"; }

  /* Whether `text` is what this playbook keeps under `name`: a checklist's ticks, a guide's, a worksheet's answers,
     a start date, a pair's id. */
  function fits(name, text) {
    const kind = (KEPT.exec(name) || [])[1];
    if (!kind || typeof text !== "string") return false;
    if (kind === "start") return /^\d{4}-\d\d-\d\d$/.test(text);
    if (kind === "pair") return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(text);
    let value;
    try { value = JSON.parse(text); } catch (error) { return false; }
    return kind === "guide" ? Array.isArray(value) && value.every(isTick) : isMap(value, kind === "checklist" ? isTick : isAnswer);
  }

  /* The interface's words in the playbook's language, from the page (none in English): P.t("Saved %(name)s",
     { name: x }) and P.nt("%(n)s pair", "%(n)s pairs", n). A message without a translation reads in English. */
  const spoken = (function () {
    const found = document.getElementById("interface-words");
    try { return found ? JSON.parse(found.textContent) : {}; } catch (error) { return {}; }
  })();
  const words = spoken.words || {};
  const lang = document.documentElement.lang || "en";
  const plurals = typeof Intl === "object" && Intl.PluralRules ? new Intl.PluralRules(lang) : null;

  /* Numbers and lists as the playbook's language writes them, from the same CLDR data as the build's Babel
     (generator/formats.py), so that both write the same text: P.number(1234) is "1 234" in French,
     P.list(["Mentor", "Protégé"]) "Mentor et Protégé". Latin digits in every language, as the build and the
     dates use them: a regional tag such as ar-EG would otherwise get Arabic-Indic digits. */
  const numbers = intl("NumberFormat", { numberingSystem: "latn" });
  const lists = intl("ListFormat", { type: "conjunction", style: "long" });

  function intl(name, options) {
    try { return typeof Intl === "object" && Intl[name] ? new Intl[name](lang, options) : null; } catch (error) { return null; }
  }

  function number(n) {
    return numbers ? numbers.format(n) : String(n);
  }

  function list(items) {
    const names = Array.from(items, String);
    return lists ? lists.format(names) : names.join(", ");
  }

  /* A message's value as it reads: a number written in the language, anything else as text. */
  function shown(value) {
    return typeof value === "number" ? number(value) : String(value);
  }

  function fill(text, values) {
    return values ? text.replace(/%\((\w+)\)s/g, function (field, name) { return name in values ? shown(values[name]) : field; }) : text;
  }

  function t(message, values) {
    return fill(typeof words[message] === "string" ? words[message] : message, values);
  }

  function nt(singular, plural, n, values) {
    const forms = words[singular];
    const category = plurals ? plurals.select(n) : n === 1 ? "one" : "other";
    const text = forms && typeof forms === "object" ? forms[category] || forms.other || plural : n === 1 ? singular : plural;
    return fill(text, Object.assign({ n: n }, values));
  }

  /* A translated message whose values are elements (a <time>, a link) or text: the pieces to append, in the
     message's order, e.g. el.append(...P.parts(P.t("Due %(day)s"), { day: time })). */
  function parts(text, values) {
    return text.split(/%\((\w+)\)s/).map(function (part, i) {
      if (!(i % 2)) return part;
      return part in values ? (typeof values[part] === "number" ? number(values[part]) : values[part]) : "%(" + part + ")s";
    });
  }

  /* Read the backup file chosen in `input`: `then` gets its data and the file when it is a `format` backup,
     else `say` is told why not. The input is emptied, so choosing the same file again is noticed. */
  function readBackup(input, format, then, say) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    // Even a year of answers is a few hundred kilobytes; more could not be kept by the browser anyway.
    if (file.size > 5 << 20) { say(t("This file is too big to be a backup (%(size)s MB); nothing was changed.", { size: +(file.size / 1048576).toFixed(1) })); return; }
    file.text().then(function (text) {
      let data = null;
      try { data = JSON.parse(text); } catch (error) { /* not JSON */ }
      const kinds = {
        "playbook-progress": t("This file is a backup of all your progress: restore it on the My progress page; nothing was changed."),
        "playbook-worksheet": t("This file is the backup of one worksheet: restore it on that worksheet’s page; nothing was changed."),
      };
      if (!isMap(data) || !kinds[data.format]) say(t("This file is not a Playbook backup; nothing was changed."));
      else if (data.format !== format) say(kinds[data.format]);
      else then(data, file);
    }, function () { say(t("This file could not be read; nothing was changed.")); });
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
    t: t, nt: nt, parts: parts, number: number, list: list,
    site: site, saves: Boolean(local), read: read, write: write, remove: remove,
    getText: getText, setText: setText, entries: entries, download: download, writeAll: writeAll, isMap: isMap, isAnswer: isAnswer, kept: KEPT, fits: fits, readBackup: readBackup,
    noRoom: t("Your browser has no room to keep this backup; nothing was changed."),
    param: param, onAction: onAction, reveal: reveal,
    key: function (name) { return prefix + name; },
  };

  reveal("[data-action='print']");
  onAction(document, { print: function () { window.print(); } });
})();

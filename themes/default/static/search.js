/* Playbook: search that works offline, also from file://. The index is made at
   build time as scripts in search/: an outline, the words (split into files by
   their first two letters) and the results (in chunks). A search loads only the
   files it needs. Words are split as the build splits them: lowercase, accents dropped. */
(function () {
  "use strict";
  const t = window.Playbook.t;
  const nt = window.Playbook.nt;
  const box = document.querySelector(".search");
  if (!box) return;
  const input = box.querySelector("input");
  const panel = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const results = panel.querySelector(".search__list");
  const root = document.documentElement.dataset.root || "";
  const LIMIT = 12;
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search__more";
  more.hidden = true;
  panel.append(more);
  const loaded = new Map();
  const decoded = new Map();
  let timer = 0;

  function script(name) {
    if (!loaded.has(name)) {
      loaded.set(name, new Promise(function (resolve, reject) {
        const tag = document.createElement("script");
        tag.src = root + "search/" + name + ".js";
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error(t("the search index could not be loaded"))); };
        document.head.appendChild(tag);
      }));
    }
    return loaded.get(name);
  }

  function index() { return script("index").then(function () { return window.PlaybookSearch; }); }

  function words(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu) || [];
  }

  /* Which terms file holds words starting like `word`, as the build computes it. */
  function shardOf(word, shards) { return (word.codePointAt(0) * 31 + word.codePointAt(1)) % shards; }

  /* One word's results as [result number, weight]. Its postings are blocks `<block>:<entries>`
     separated by ";"; each entry is `<slot gap><section><weight>` in base 36, the first gap
     counted from the block's first slot. A result's number is its slot times meta.sections,
     plus its section. */
  function postings(shard, at, meta) {
    const key = shard + ":" + at;
    if (!decoded.has(key)) {
      const found = [];
      window.PlaybookSearch.terms[shard].postings[at].split(";").forEach(function (block) {
        const colon = block.indexOf(":");
        let slot = parseInt(block.slice(0, colon), 36) * meta.chunk;
        block.slice(colon + 1).split(",").forEach(function (entry) {
          slot += parseInt(entry.slice(0, -2), 36);
          found.push([slot * meta.sections + parseInt(entry.charAt(entry.length - 2), 36), parseInt(entry.slice(-1), 36)]);
        });
      });
      decoded.set(key, found);
    }
    return decoded.get(key);
  }

  function firstFrom(terms, word) {
    let low = 0;
    let high = terms.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (terms[middle] < word) low = middle + 1; else high = middle;
    }
    return low;
  }

  /* Result numbers holding every word of the query (as a word or the start of one), best first. */
  function rank(wanted, meta) {
    let scores = null;
    wanted.forEach(function (word) {
      const shard = shardOf(word, meta.shards);
      const terms = window.PlaybookSearch.terms[shard].terms;
      const found = new Map();
      for (let t = firstFrom(terms, word); t < terms.length && terms[t].startsWith(word); t += 1) {
        const hits = postings(shard, t, meta);
        const rarity = Math.log(1 + meta.docs / hits.length);
        const exact = terms[t] === word ? 1.5 : 1;
        hits.forEach(function (hit) { found.set(hit[0], Math.max(found.get(hit[0]) || 0, hit[1] * rarity * exact)); });
      }
      if (scores === null) { scores = found; return; }
      const both = new Map();
      scores.forEach(function (score, doc) { if (found.has(doc)) both.set(doc, score + found.get(doc)); });
      scores = both;
    });
    return Array.from(scores || []).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).map(function (e) { return e[0]; });
  }

  /* The results of a query, best first, as [slot, section]: load the words' files, then rank. */
  function search(query) {
    return index().then(function (data) {
      const meta = data.meta;
      const stop = new Set(meta.stop);
      const wanted = words(query).filter(function (word) { return word.length > 1 && !stop.has(word); });
      if (!wanted.length) return { wanted: wanted, ranked: [] };
      const shards = Array.from(new Set(wanted.map(function (word) { return shardOf(word, meta.shards); })));
      return Promise.all(shards.map(function (shard) { return script("terms-" + shard); })).then(function () {
        const ranked = rank(wanted, meta).map(function (doc) { return [Math.floor(doc / meta.sections), doc % meta.sections]; });
        return { wanted: wanted, ranked: ranked };
      });
    });
  }

  /* The results themselves (page, title, where, text), once the chunks that hold them are loaded. */
  function details(refs) {
    const data = window.PlaybookSearch;
    const chunk = data.meta.chunk;
    const chunks = Array.from(new Set(refs.map(function (ref) { return Math.floor(ref[0] / chunk); })));
    return Promise.all(chunks.map(function (number) { return script("docs-" + number); })).then(function () {
      return refs.map(function (ref) { return data.docs[Math.floor(ref[0] / chunk)][ref[0] % chunk][ref[1]]; });
    });
  }

  /* `text` folded as words() folds it, with where each folded character came from in `text`. */
  function fold(text) {
    let folded = "";
    const origin = [];
    let at = 0;
    for (const character of text) {
      const part = character.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
      for (let i = 0; i < part.length; i += 1) origin.push(at);
      folded += part;
      at += character.length;
    }
    origin.push(at);
    return { folded: folded, origin: origin };
  }

  /* Where in `text` the query's words are, as [start, end] runs in order, not overlapping:
     from the start of a word of the text that begins like a wanted word, to its end. */
  function matches(text, wanted) {
    const plain = fold(text);
    const runs = [];
    wanted.forEach(function (word) {
      const pattern = new RegExp("(?<![\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[\\p{L}\\p{N}]*", "gu");
      for (const found of plain.folded.matchAll(pattern)) runs.push([plain.origin[found.index], plain.origin[found.index + found[0].length]]);
    });
    return runs.sort(function (a, b) { return a[0] - b[0]; }).reduce(function (merged, run) {
      const last = merged[merged.length - 1];
      if (last && run[0] <= last[1]) last[1] = Math.max(last[1], run[1]); else merged.push(run);
      return merged;
    }, []);
  }

  /* About 160 characters of `text` around the first word found, or its start. */
  function excerpt(text, wanted) {
    if (text.length <= 160) return text;
    const at = (matches(text, wanted)[0] || [0])[0];
    if (at < 60) return text.slice(0, 160).replace(/\s\S*$/, "") + "…";
    const start = text.indexOf(" ", at - 60) + 1;
    return "…" + text.slice(start, start + 160).replace(/\s\S*$/, "") + "…";
  }

  /* A span of `text` as text, with the words found in <mark>: it never becomes markup. */
  function span(className, text, wanted) {
    const element = document.createElement("span");
    element.className = className;
    let done = 0;
    (wanted ? matches(text, wanted) : []).forEach(function (run) {
      const mark = document.createElement("mark");
      mark.textContent = text.slice(run[0], run[1]);
      element.append(text.slice(done, run[0]), mark);
      done = run[1];
    });
    element.append(text.slice(done));
    return element;
  }

  function result(doc, wanted) {
    const item = document.createElement("li");
    const link = item.appendChild(document.createElement("a"));
    link.href = root + doc[0];
    link.append(span("search__title", doc[1], wanted), " ", span("search__where", doc[2]));
    if (doc[3]) link.append(span("search__snippet", excerpt(doc[3], wanted), wanted));
    return item;
  }

  /* List results `from` to `to` of a search, after those listed; the first added is returned. */
  function list(query, found, from, to) {
    return details(found.ranked.slice(from, to)).then(function (docs) {
      if (input.value !== query) return null;
      if (!from) results.replaceChildren();
      results.append(...docs.map(function (doc) { return result(doc, found.wanted); }));
      const shown = results.children.length;
      const total = found.ranked.length;
      const values = { query: query.trim(), shown: shown };
      status.textContent = !total ? t("Nothing found for “%(query)s”", values)
        : total > shown ? nt("The best %(shown)s of %(n)s result for “%(query)s”", "The best %(shown)s of %(n)s results for “%(query)s”", total, values)
          : nt("%(n)s result for “%(query)s”", "%(n)s results for “%(query)s”", total, values);
      more.hidden = shown >= total;
      more.textContent = nt("Show all %(n)s result", "Show all %(n)s results", total);
      more.onclick = function () {
        more.hidden = true;
        list(query, found, shown).then(function (first) { if (first) first.querySelector("a").focus(); }, failed);
      };
      return results.children[from];
    });
  }

  function failed(error) { status.textContent = t("Search is not available: %(why)s.", { why: error.message }); }

  function show(query) {
    if (!query.trim()) { close(); return; }
    panel.hidden = false;
    status.textContent = t("Searching…");
    search(query).then(function (found) { return list(query, found, 0, LIMIT); }).catch(failed);
  }

  function close() {
    panel.hidden = true;
  }

  function links() { return Array.from(results.querySelectorAll("a")); }

  /* What the arrow keys move through: the results, then the "Show all" button. */
  function stops() { return more.hidden ? links() : links().concat(more); }

  function move(step) {
    const all = stops();
    if (!all.length) return;
    const at = all.indexOf(document.activeElement);
    if (at + step < 0) { input.focus(); return; }
    all[Math.min(all.length - 1, at + step)].focus();
  }

  box.hidden = false;
  input.addEventListener("focus", function () { index().catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 60);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    if (event.key === "Enter" && links().length) { event.preventDefault(); links()[0].click(); }
    if (event.key === "Escape") { input.value = ""; close(); }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    if (event.key === "Escape") { close(); input.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) close();
  });
})();

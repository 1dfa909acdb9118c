/* Playbook: search that works offline, also from file://. The index is made at
   build time as scripts in search/: an outline, the words (split into files by
   their first two letters) and the results (in chunks). A search loads only the
   files it needs. Words are split as the build splits them: lowercase, accents dropped. */
(function () {
  "use strict";
  const box = document.querySelector(".search");
  if (!box) return;
  const input = box.querySelector("input");
  const panel = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const list = panel.querySelector(".search__list");
  const root = document.documentElement.dataset.root || "";
  const LIMIT = 12;
  const loaded = new Map();
  const decoded = new Map();
  let timer = 0;

  function script(name) {
    if (!loaded.has(name)) {
      loaded.set(name, new Promise(function (resolve, reject) {
        const tag = document.createElement("script");
        tag.src = root + "search/" + name + ".js";
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("the search index could not be loaded")); };
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

  /* The results of a query: load the words' files, rank, then load the chunks of the results shown. */
  function search(query) {
    return index().then(function (data) {
      const meta = data.meta;
      const stop = new Set(meta.stop);
      const wanted = words(query).filter(function (word) { return word.length > 1 && !stop.has(word); });
      if (!wanted.length) return { wanted: wanted, results: [], total: 0 };
      const shards = Array.from(new Set(wanted.map(function (word) { return shardOf(word, meta.shards); })));
      return Promise.all(shards.map(function (shard) { return script("terms-" + shard); })).then(function () {
        const ranked = rank(wanted, meta);
        const shown = ranked.slice(0, LIMIT).map(function (doc) { return [Math.floor(doc / meta.sections), doc % meta.sections]; });
        const chunks = Array.from(new Set(shown.map(function (ref) { return Math.floor(ref[0] / meta.chunk); })));
        return Promise.all(chunks.map(function (chunk) { return script("docs-" + chunk); })).then(function () {
          return {
            wanted: wanted,
            total: ranked.length,
            results: shown.map(function (ref) { return data.docs[Math.floor(ref[0] / meta.chunk)][ref[0] % meta.chunk][ref[1]]; }),
          };
        });
      });
    });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  /* About 160 characters of `text` around the first word found, or its start. */
  function excerpt(text, wanted) {
    const folded = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    const at = wanted.reduce(function (first, word) {
      const found = folded.search(new RegExp("(^|[^\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u"));
      return found >= 0 && (first < 0 || found < first) ? found : first;
    }, -1);
    if (text.length <= 160 || at < 60) return text.length <= 160 ? text : text.slice(0, 160).replace(/\s\S*$/, "") + "…";
    const start = text.indexOf(" ", at - 60) + 1;
    return "…" + text.slice(start, start + 160).replace(/\s\S*$/, "") + "…";
  }

  function highlight(text, wanted) {
    let html = escapeHtml(text);
    wanted.forEach(function (word) {
      const pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[\\p{L}\\p{N}]*)", "giu");
      html = html.replace(pattern, "$1<mark>$2</mark>");
    });
    return html;
  }

  function show(query) {
    if (!query.trim()) { close(); return; }
    panel.hidden = false;
    status.textContent = "Searching…";
    search(query).then(function (found) {
      if (input.value !== query) return;
      list.innerHTML = "";
      found.results.forEach(function (doc) {
        const item = document.createElement("li");
        item.innerHTML = '<a href="' + escapeHtml(root + doc[0]) + '"><span class="search__title">' + highlight(doc[1], found.wanted) +
          '</span> <span class="search__where">' + escapeHtml(doc[2]) + "</span>" +
          (doc[3] ? '<span class="search__snippet">' + highlight(excerpt(doc[3], found.wanted), found.wanted) + "</span>" : "") + "</a>";
        list.appendChild(item);
      });
      const count = found.results.length;
      status.textContent = count ? (found.total > count ? "The best " + count + " of " + found.total : count) + " result" + (found.total === 1 ? "" : "s") + " for “" + query.trim() + "”"
        : "Nothing found for “" + query.trim() + "”";
    }, function (error) { status.textContent = "Search is not available: " + error.message + "."; });
  }

  function close() {
    panel.hidden = true;
  }

  function links() { return Array.from(list.querySelectorAll("a")); }

  function move(step) {
    const all = links();
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

/* Playbook: the program lead's dashboard. Reads the progress backups pairs send (several at once), checks
   each whole before keeping any of it, keeps what it shows under dashboard:<cohort>, and fills one row per
   pair of the roster: month reached, ticks per month, last check-in, last meeting, who needs a follow-up.
   Everything from a file reaches the page as text (textContent), and pairs are found by id in the roster. */
(function () {
  "use strict";
  const P = window.Playbook;
  const t = P.t;
  const nt = P.nt;
  const table = document.querySelector("table.dashboard[data-cohort]");
  const source = document.getElementById("dashboard-data");
  if (!table || !source) return;
  const DATA = JSON.parse(source.textContent);
  const STORE = "dashboard:" + DATA.cohort;
  const PAIR_KEY = "pair:" + DATA.cohort;
  const FORMAT = "playbook-progress";
  const toolbar = document.querySelector(".dashboard-import");
  const status = toolbar.querySelector(".toolbar__status");
  const messages = toolbar.querySelector(".dashboard-import__messages");
  const filters = document.querySelector(".dashboard-filters");
  const find = document.getElementById("dashboard-find");
  const followUpOnly = document.getElementById("dashboard-follow-up");
  const roster = new Map(DATA.pairs.map(function (pair) { return [pair.id, pair]; }));
  const rows = new Map(Array.from(table.tBodies[0].rows).map(function (row) { return [row.dataset.pair, row]; }));
  const shown = new Map(); // pair id -> what its row shows, for sorting, filtering and the spreadsheet
  const today = isoDay(new Date());

  function instanceKey(worksheet, number) {
    return "worksheet:" + DATA.program + ":" + worksheet.id + "@" + number;
  }

  /* The only items the dashboard reads; a file's others (its own worksheets, guides) are not kept here. */
  const WANTED = new Set();
  DATA.months.forEach(function (month) {
    month.checklists.forEach(function (use) { WANTED.add("checklist:" + use.c + ":" + use.u); });
  });
  DATA.pairs.forEach(function (pair) {
    DATA.worksheets.forEach(function (worksheet) {
      (pair.instances[worksheet.id] || []).forEach(function (instance) { WANTED.add(instanceKey(worksheet, instance[0])); });
    });
  });

  // --- Days ---------------------------------------------------------------

  function isoDay(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" + String(date.getDate()).padStart(2, "0");
  }

  /* `text` when it is a real day written YYYY-MM-DD, else null. */
  function validDay(text) {
    if (typeof text !== "string" || !/^\d{4}-\d\d-\d\d$/.test(text)) return null;
    const utc = new Date(text + "T00:00:00Z");
    return !isNaN(utc) && utc.toISOString().slice(0, 10) === text ? text : null;
  }

  function daysBetween(from, to) {
    return Math.round((Date.parse(to + "T00:00:00Z") - Date.parse(from + "T00:00:00Z")) / 86400000);
  }

  /* A day as every page of the playbook writes it (calendar.js has the playbook's date style). */
  function longDay(day) {
    return P.dates.formatDate(new Date(day + "T00:00:00Z"));
  }

  // --- What one pair's items say ----------------------------------------------

  function parsed(text) {
    try { return JSON.parse(text); } catch (error) { return null; }
  }

  /* A worksheet instance's answers when at least one question has one, else null. */
  function answered(text) {
    const answers = parsed(text);
    if (!P.isMap(answers)) return null;
    return Object.values(answers).some(function (v) { return Array.isArray(v) ? v.length : String(v).trim(); }) ? answers : null;
  }

  function score(field, answer) {
    const value = Number(answer);
    if (typeof answer !== "string" || !Number.isInteger(value) || value < field.min || value > field.max) return null;
    return { label: field.label, value: value, max: field.max };
  }

  function ticksOf(items, facts) {
    DATA.months.forEach(function (month) {
      let done = 0;
      let all = 0;
      month.checklists.forEach(function (use) {
        const ticks = parsed(items["checklist:" + use.c + ":" + use.u]);
        use.k.forEach(function (key) { all += 1; if (P.isMap(ticks) && ticks[key] === true) done += 1; });
      });
      facts.ticks.push([done, all]);
      facts.total += done;
      if (done) facts.month = Math.max(facts.month, month.n);
    });
  }

  function checkInsOf(pair, items, facts) {
    DATA.worksheets.forEach(function (worksheet) {
      const dateField = worksheet.fields.find(function (field) { return field.type === "date"; });
      const scales = worksheet.fields.filter(function (field) { return field.type === "scale"; });
      (pair.instances[worksheet.id] || []).forEach(function (instance) {
        const answers = answered(items[instanceKey(worksheet, instance[0])]);
        if (!answers) return;
        const day = (dateField && validDay(answers[dateField.id])) || instance[1];
        if (worksheet.eachMeeting) {
          if (instance[2]) facts.month = Math.max(facts.month, instance[2]);
          if (day && (!facts.met || day > facts.met)) facts.met = day;
        }
        if (scales.length && day && (!facts.checkIn || day >= facts.checkIn.day)) {
          const scores = scales.map(function (field) { return score(field, answers[field.id]); }).filter(Boolean);
          facts.checkIn = { day: day, title: worksheet.title, scores: scores };
        }
      });
    });
  }

  function facts(pair, entry) {
    const found = { pair: pair, entry: entry, month: 0, ticks: [], total: 0, checkIn: null, met: null, since: null, followUp: "" };
    if (entry) {
      ticksOf(entry.items, found);
      checkInsOf(pair, entry.items, found);
    }
    if (found.met) {
      found.since = Math.max(0, daysBetween(found.met, today));
      if (found.since >= DATA.followUpDays) found.followUp = nt("%(n)s day since the last meeting", "%(n)s days since the last meeting", found.since);
    } else if (pair.meetings.length && pair.meetings[0] < today) {
      found.followUp = entry ? t("no meeting recorded yet") : t("no file yet");
    }
    return found;
  }

  // --- The rows -----------------------------------------------------------

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function time(day) {
    const made = element("time", longDay(day));
    made.dateTime = day;
    return made;
  }

  function tickCells(found) {
    const list = element("ol", "", "ticks");
    found.ticks.forEach(function (pair, i) {
      const done = pair[0];
      const all = pair[1];
      const item = element("li", "", "ticks__month ticks__month--" + (!all ? "none" : done === all ? "all" : done ? "some" : "zero"));
      item.appendChild(element("span", all ? P.number(done) + "/" + P.number(all) : "–")).setAttribute("aria-hidden", "true");
      const values = { month: DATA.months[i].n, total: all };
      item.appendChild(element("span", all ? nt("Month %(month)s: %(n)s of %(total)s ticked;", "Month %(month)s: %(n)s of %(total)s ticked;", done, values)
        : t("Month %(month)s: no checklist;", values), "visually-hidden"));
      list.appendChild(item);
    });
    return list;
  }

  function ago(days) {
    return days === 0 ? t("today") : days === 1 ? t("yesterday") : nt("%(n)s day ago", "%(n)s days ago", days);
  }

  function fill(row, found) {
    const cells = row.cells;
    const entry = found.entry;
    Array.from(cells).slice(1).forEach(function (cell) { cell.replaceChildren(); });
    const file = cells[0].querySelector(".dashboard__file");
    file.replaceChildren();
    if (entry) file.append.apply(file, P.parts(t("File saved %(day)s"), { day: time(isoDay(new Date(entry.exported))) }));
    cells[1].textContent = !entry ? t("No file yet") : found.month ? t("Month %(n)s", { n: found.month }) : t("Not started");
    if (entry) cells[2].appendChild(tickCells(found));
    if (found.checkIn) {
      cells[3].appendChild(time(found.checkIn.day));
      found.checkIn.scores.forEach(function (s) { cells[3].appendChild(element("span", s.label + " " + P.number(s.value) + "/" + P.number(s.max), "dashboard__score")); });
    } else if (entry) {
      cells[3].textContent = t("None yet");
    }
    if (found.met) cells[4].append(time(found.met), element("span", ago(found.since), "dashboard__ago"));
    else if (entry) cells[4].textContent = t("None recorded");
    if (found.followUp) cells[5].append(element("strong", t("Needs follow-up")), element("span", found.followUp, "dashboard__why"));
    else cells[5].textContent = found.pair.meetings[0] > today ? t("Not yet: first meeting %(day)s", { day: longDay(found.pair.meetings[0]) }) : t("No");
    row.classList.toggle("dashboard__row--follow-up", Boolean(found.followUp));
  }

  function imported() {
    const stored = P.read(STORE);
    const pairs = P.isMap(stored) && P.isMap(stored.pairs) ? stored.pairs : {};
    const found = new Map();
    Object.keys(pairs).forEach(function (id) {
      const entry = pairs[id];
      if (roster.has(id) && P.isMap(entry) && P.isMap(entry.items) && !isNaN(Date.parse(entry.exported))) found.set(id, entry);
    });
    return found;
  }

  function showAll() {
    const entries = imported();
    roster.forEach(function (pair, id) {
      const found = facts(pair, entries.get(id) || null);
      shown.set(id, found);
      if (rows.has(id)) fill(rows.get(id), found);
    });
    table.querySelector(".dashboard__today").replaceChildren(time(today));
    toolbar.querySelector("[data-action='forget']").hidden = !entries.size;
    applyFilters();
  }

  // --- Sorting and filtering ---------------------------------------------------

  const SORT_KEYS = {
    pair: function (f) { return f.pair.label; },
    month: function (f) { return f.entry ? f.month : -1; },
    ticks: function (f) { return f.entry ? f.total : -1; },
    "check-in": function (f) { return f.checkIn ? f.checkIn.day : ""; },
    meeting: function (f) { return f.since === null ? -1 : f.since; },
    "follow-up": function (f) { return f.followUp ? 1 : 0; },
  };

  function sortBy(header) {
    const descending = header.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const key = SORT_KEYS[header.dataset.sort];
    const order = Array.from(roster.keys());
    const ids = order.slice().sort(function (a, b) {
      const x = key(shown.get(a));
      const y = key(shown.get(b));
      const by = typeof x === "string" ? x.localeCompare(y) : x - y;
      return (descending ? -by : by) || order.indexOf(a) - order.indexOf(b);
    });
    ids.forEach(function (id) { if (rows.has(id)) table.tBodies[0].appendChild(rows.get(id)); });
  }

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function applyFilters() {
    const wanted = plain(find.value.trim());
    let visible = 0;
    shown.forEach(function (found, id) {
      const hit = (!wanted || plain(found.pair.label + " " + id).includes(wanted)) && (!followUpOnly.checked || found.followUp);
      if (rows.has(id)) rows.get(id).hidden = !hit;
      if (hit) visible += 1;
    });
    filters.querySelector(".dashboard-filters__count").textContent =
      visible === shown.size ? "" : nt("Showing %(shown)s of %(n)s pair.", "Showing %(shown)s of %(n)s pairs.", shown.size, { shown: visible });
  }

  // --- Importing files ----------------------------------------------------

  function clip(text) {
    const line = String(text).replace(/\s+/g, " ");
    return line.length > 60 ? line.slice(0, 59) + "…" : line;
  }

  /* What one file holds for the dashboard ({file, pair, entry}), or why it is refused ({file, error}). */
  function judge(file, text) {
    function no(why) { return { file: file, error: why }; }
    const data = parsed(text);
    const values = { file: file.name };
    if (!P.isMap(data) || data.format !== FORMAT) return no(t("%(file)s is not a progress backup: ask for the file a pair saves on their My progress page.", values));
    if (data.playbook !== P.site) return no(t("%(file)s comes from another playbook (%(name)s).", { file: file.name, name: clip(data.playbook) }));
    const items = data.items;
    if (!P.isMap(items)) return no(t("%(file)s holds no progress.", values));
    if (!roster.has(items[PAIR_KEY])) {
      return no(t("%(file)s names no pair of this cohort: ask them to press “This is our pair” on their pair page and export again.", values));
    }
    const damaged = Object.keys(items).find(function (name) { return !P.fits(name, items[name]); });
    if (damaged !== undefined) return no(t("%(file)s is damaged (at “%(name)s”).", { file: file.name, name: clip(damaged) }));
    if (typeof data.exported !== "string" || isNaN(Date.parse(data.exported))) return no(t("%(file)s is damaged (it has no date).", values));
    const kept = {};
    Object.keys(items).forEach(function (name) { if (WANTED.has(name)) kept[name] = items[name]; });
    return { file: file, pair: items[PAIR_KEY], entry: { exported: new Date(data.exported).toISOString(), items: kept } };
  }

  function check(file) {
    // A year of answers is a few hundred kilobytes; more is not a backup.
    if (file.size > 5 << 20) return Promise.resolve({ file: file, error: t("%(file)s is too big to be a progress backup.", { file: file.name }) });
    return file.text().then(function (text) { return judge(file, text); }, function () {
      return { file: file, error: t("%(file)s could not be read.", { file: file.name }) };
    });
  }

  /* Two files of one pair, e.g. the mentor's and the protégé's: each checklist's ticks from both, and for
     everything else the newer file's. */
  function merge(a, b) {
    const older = a.exported <= b.exported ? a : b;
    const newer = older === a ? b : a;
    const items = Object.assign({}, older.items);
    Object.keys(newer.items).forEach(function (name) {
      const both = name.startsWith("checklist:") && items[name] !== undefined;
      items[name] = both ? JSON.stringify(Object.assign({}, parsed(items[name]), parsed(newer.items[name]))) : newer.items[name];
    });
    return { exported: newer.exported, items: items };
  }

  /* Add every good file to what is kept already, or none when the browser has no room; each file is all in or all out. */
  function keep(results) {
    const notes = results.filter(function (r) { return r.error; }).map(function (r) { return r.error; });
    const entries = imported();
    const taken = results.filter(function (r) { return r.pair; });
    taken.forEach(function (r) {
      entries.set(r.pair, entries.has(r.pair) ? merge(entries.get(r.pair), r.entry) : r.entry);
    });
    const names = Array.from(roster.keys()).filter(function (id) { return taken.some(function (r) { return r.pair === id; }); });
    let text = taken.length ? nt("Imported %(taken)s of %(n)s file: %(pairs)s.", "Imported %(taken)s of %(n)s files: %(pairs)s.", results.length,
      { taken: taken.length, pairs: P.list(names.map(function (id) { return roster.get(id).label; })) }) : t("No file was imported.");
    if (taken.length && !P.writeAll([[STORE, JSON.stringify({ pairs: Object.fromEntries(entries) })]])) text = P.noRoom;
    status.textContent = text + (notes.length ? " " + t("Skipped:") : "");
    messages.replaceChildren.apply(messages, notes.map(function (note) { return element("li", note); }));
    showAll();
  }

  function importFiles(input) {
    const files = Array.from(input.files || []);
    input.value = "";
    if (files.length) Promise.all(files.map(check)).then(keep);
  }

  // --- Spreadsheet ----------------------------------------------------------

  /* A spreadsheet cell: one that would start a formula gets an apostrophe, as generator/tasks_csv.py does. */
  function cell(value) {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }

  function spreadsheet() {
    const header = [t("pair id"), t("pair"), t("file saved"), t("month reached")]
      .concat(DATA.months.map(function (m) { return t("month %(n)s ticks", m); }))
      .concat([t("last check-in"), t("check-in scores"), t("last meeting"), t("days since last meeting"), t("follow-up")]);
    const lines = [header];
    Array.from(table.tBodies[0].rows).filter(function (row) { return !row.hidden; }).forEach(function (row) {
      const f = shown.get(row.dataset.pair);
      lines.push([
        f.pair.id, f.pair.label, f.entry ? isoDay(new Date(f.entry.exported)) : t("no file yet"), f.entry ? f.month : "",
      ].concat(DATA.months.map(function (m, i) { return f.entry && f.ticks[i][1] ? t("%(done)s of %(total)s", { done: f.ticks[i][0], total: f.ticks[i][1] }) : ""; }))
        .concat([
          f.checkIn ? f.checkIn.day : "",
          f.checkIn ? f.checkIn.scores.map(function (s) { return t("%(label)s %(value)s of %(max)s", s); }).join("; ") : "",
          f.met || "", f.since === null ? "" : f.since, f.followUp ? t("needs follow-up: %(why)s", { why: f.followUp }) : "",
        ]));
    });
    const text = "\ufeff" + lines.map(function (line) { return line.map(cell).join(","); }).join("\r\n") + "\r\n";
    const name = t("%(cohort)s-dashboard.csv", { cohort: DATA.cohort });
    P.download(name, text, "text/csv;charset=utf-8");
    status.textContent = t("The rows shown are in the spreadsheet %(file)s, among your downloads.", { file: name });
  }

  // --- Start --------------------------------------------------------------

  P.onAction(toolbar, {
    "export-csv": spreadsheet,
    forget: function () {
      if (!window.confirm(t("Forget every file imported for this cohort? The pairs' own browsers keep their progress."))) return;
      P.remove(STORE);
      messages.replaceChildren();
      status.textContent = t("The imported files are forgotten.");
      showAll();
      document.getElementById("dashboard-files").focus(); // the button pressed is gone
    },
  });
  document.getElementById("dashboard-files").addEventListener("change", function (event) { importFiles(event.target); });
  table.querySelectorAll("th[data-sort] button").forEach(function (button) {
    button.addEventListener("click", function () { sortBy(button.parentElement); });
  });
  find.addEventListener("input", applyFilters);
  followUpOnly.addEventListener("change", applyFilters);
  toolbar.hidden = false;
  filters.hidden = false;
  showAll();
})();

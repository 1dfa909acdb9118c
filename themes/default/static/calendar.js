/* Playbook: real dates. Each program's schedule rule comes with the page (#schedule-data),
   the same rule the build applies with dateutil, so a start date the reader picks dates
   every meeting and due item on every page exactly as the build would. Also "this month",
   what is overdue for the role the reader chose, and a calendar file made on the spot. */
(function () {
  "use strict";
  const P = window.Playbook;
  const t = P.t;
  const nt = P.nt;
  const root = document.documentElement.dataset.root || "";
  const DAY = 86400000;
  const source = document.getElementById("schedule-data");
  if (!source) return;
  const schedule = JSON.parse(source.textContent);
  const OVERDUE_SHOWN = 5;

  /* --- Days and the schedule rule --------------------------------------- */

  function parseDate(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  }

  function isoDate(date) { return date.toISOString().slice(0, 10); }

  function addDays(date, days) { return new Date(date.getTime() + days * DAY); }

  function weekday(date) { return (date.getUTCDay() + 6) % 7; } /* 0 is Monday, as in Python */

  function today() {
    const now = new Date();
    return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  }

  function daysInMonth(year, month) { return new Date(Date.UTC(year, month + 1, 0)).getUTCDate(); }

  /* The day of a monthly rule in one month: the nth (or last) weekday, or a day of the month. */
  function dayInMonth(year, month, rule, weekdayWanted, nth) {
    if (rule.day) return new Date(Date.UTC(year, month, Math.min(rule.day, daysInMonth(year, month))));
    if (nth > 0) {
      const first = new Date(Date.UTC(year, month, 1));
      return new Date(Date.UTC(year, month, 1 + ((weekdayWanted - weekday(first) + 7) % 7) + 7 * (nth - 1)));
    }
    const last = new Date(Date.UTC(year, month, daysInMonth(year, month)));
    return addDays(last, -((weekday(last) - weekdayWanted + 7) % 7));
  }

  /* The rule's days from `start`, as dateutil's rrule makes them: weekly rules count weeks from the
     Monday of the start's week, monthly ones months from the start's month; days before the start
     and skipped days are left out. */
  function meetingDays(rule, start) {
    const wanted = rule.weekday === null || rule.weekday === undefined ? weekday(start) : rule.weekday;
    const week = Math.floor((start.getUTCDate() - 1) / 7) + 1;
    const nth = rule.nth || (week === 5 ? -1 : week);
    const skipped = new Set(rule.skip || []);
    const days = [];
    for (let step = 0; days.length < rule.count && step < rule.count + skipped.size + 60; step += 1) {
      let day;
      if (rule.every === "week") {
        day = addDays(start, 7 * rule.interval * step - weekday(start) + wanted);
      } else {
        const months = start.getUTCMonth() + rule.interval * step;
        day = dayInMonth(start.getUTCFullYear() + Math.floor(months / 12), months % 12, rule, wanted, nth);
      }
      if (day >= start && !skipped.has(isoDate(day))) days.push(day);
    }
    return days;
  }

  /* The UTC time of a wall-clock time in an IANA time zone, through the browser's own zone data. */
  function zoneOffset(time, zone) {
    const parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
      .formatToParts(new Date(time)).forEach(function (part) { parts[part.type] = Number(part.value); });
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - time;
  }

  function instant(day, clock, zone) {
    const hm = clock.split(":").map(Number);
    const wall = day.getTime() + (hm[0] * 60 + hm[1]) * 60000;
    if (!zone) return new Date(wall);
    let time = wall - zoneOffset(wall, zone);
    const again = wall - zoneOffset(time, zone);
    if (again !== time) time = again;
    return new Date(time);
  }

  /* --- How dates read: the playbook's CLDR pattern and names ----------- */

  function formatDate(date, style) {
    const pattern = (style || schedule.style).pattern;
    const names = (style || schedule.style).names;
    return pattern.replace(/'((?:[^']|'')*)'|([A-Za-z])\2*/g, function (field, quoted) {
      if (quoted !== undefined) return quoted ? quoted.replace(/''/g, "'") : "'";
      const letter = field.charAt(0);
      const width = field.length;
      if (names[field]) return names[field][letter === "M" || letter === "L" ? date.getUTCMonth() : weekday(date)];
      if (letter === "y") return width === 2 ? String(date.getUTCFullYear() % 100).padStart(2, "0") : String(date.getUTCFullYear()).padStart(width, "0");
      if (letter === "M" || letter === "L") return String(date.getUTCMonth() + 1).padStart(width, "0");
      if (letter === "d") return String(date.getUTCDate()).padStart(width, "0");
      return field;
    });
  }

  /* --- Each program's dates, from the reader's start date or the build's - */

  function startOf(id) {
    const program = schedule.programs[id];
    return program ? parseDate(P.getText("start:" + id)) || parseDate(program.start) : null;
  }

  const known = new Map();
  function datesOf(id) {
    const start = startOf(id);
    if (!start) return null;
    const key = id + "@" + isoDate(start);
    if (!known.has(key)) {
      const days = meetingDays(schedule.programs[id], start);
      const byMonth = new Map();
      schedule.programs[id].months.forEach(function (n, index) { if (days[index]) byMonth.set(n, days[index]); });
      known.set(key, byMonth);
    }
    return known.get(key);
  }

  /* A `<time>` for a day, as %(day)s of `message` (e.g. "Due %(day)s"), with the meeting's %(time)s. */
  function dateNodes(element, day, message, clock) {
    element.textContent = "";
    if (!day) return;
    const time = document.createElement("time");
    time.dateTime = isoDate(day);
    time.textContent = formatDate(day);
    element.append.apply(element, P.parts(message, { day: time, time: clock }));
  }

  function dueDay(dates, month, due) {
    if (due.month !== undefined) return dates.get(due.month) || null;
    const meeting = dates.get(month);
    return meeting ? addDays(meeting, due.days || 0) : null;
  }

  /* Date every meeting and due item on the page again: the reader may have picked their own start. */
  function redate() {
    document.querySelectorAll(".meeting-date[data-meeting], .due-date[data-meeting]").forEach(function (element) {
      /* A checklist page ticks for the month checklists.js chose (?for= or "Ticking for"). */
      const form = element.closest("form.checklist[data-use]");
      const use = (form && form.dataset.use.indexOf("/") > 0 ? form.dataset.use : element.dataset.meeting).split("/");
      const dates = datesOf(use[0]);
      if (!dates) { element.textContent = ""; return; }
      const month = Number(use[1]);
      if (element.classList.contains("due-date")) {
        dateNodes(element, dueDay(dates, month, JSON.parse(element.dataset.due)), t("Due %(day)s"));
      } else {
        const clock = schedule.programs[use[0]].clock;
        dateNodes(element, dates.get(month), clock ? t("%(day)s, %(time)s") : "%(day)s", clock);
      }
    });
    document.querySelectorAll(".first-meeting").forEach(function (line) {
      line.hidden = !line.querySelector("time");
    });
    redateInstances();
  }

  /* A repeating worksheet's instances, dated again from a start the reader picked as the build dates them:
     at a month's meeting, or so many days after the first one (a weekend day moving to the Monday). */
  function redateInstances() {
    document.querySelectorAll("[data-instance-of]").forEach(function (element) {
      const id = element.dataset.instanceOf;
      const dates = parseDate(P.getText("start:" + id)) && datesOf(id);
      if (!dates) return;
      let day = dates.get(Number(element.dataset.month));
      if (element.dataset.offset) {
        day = addDays(dates.get(schedule.programs[id].months[0]), Number(element.dataset.offset));
        day = addDays(day, [1, 0, 0, 0, 0, 0, 2][day.getUTCDay()]);
      }
      if (!day) return;
      element.dataset.day = isoDate(day);
      element.textContent = element.dataset.name + " · " + formatDate(day);
    });
  }

  /* --- This month, and what is overdue for the chosen role --------------- */

  function programData(id) {
    const data = document.getElementById("program-data-" + id);
    return data ? JSON.parse(data.textContent) : null;
  }

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function link(url, text) {
    const made = element("a", text);
    made.href = root + url;
    return made;
  }

  function lens() { return document.documentElement.getAttribute("data-lens") || ""; }

  /* Every item of the program's checklists with its due day and whether it is ticked, for the chosen role. */
  function items(data, dates) {
    const role = lens();
    const found = [];
    data.months.forEach(function (month) {
      month.checklists.forEach(function (checklist) {
        const saved = P.read("checklist:" + checklist.id + ":" + data.id + "/" + month.n);
        const ticks = saved || {};
        checklist.items.forEach(function (item) {
          if (role && item.owner.indexOf(role) < 0) return;
          found.push({ item: item, checklist: checklist, month: month, due: dueDay(dates, month.n, item.due), done: Boolean(ticks[item.key]), started: Boolean(saved) });
        });
      });
    });
    return found;
  }

  function itemRow(data, entry) {
    const row = element("li");
    const values = { item: link(entry.checklist.url + "?for=" + data.id + "/" + entry.month.n, entry.item.text), checklist: entry.checklist.title, month: entry.month.n };
    if (entry.due) {
      values.day = element("time", formatDate(entry.due));
      values.day.dateTime = isoDate(entry.due);
    }
    row.append.apply(row, P.parts(entry.due ? t("%(item)s (%(checklist)s, month %(month)s, due %(day)s)") : t("%(item)s (%(checklist)s, month %(month)s)"), values));
    return row;
  }

  /* Items past their day: in the months since the last meeting, and in earlier months' checklists the
     reader has started ticking (one who joined mid-year is not told of every month before). */
  function overdueOf(data, dates, now) {
    const recent = lastMet(data, dates, now);
    return items(data, dates)
      .filter(function (entry) { return !entry.done && entry.due && entry.due < now && (entry.started || entry.month.n >= recent); })
      .sort(function (a, b) { return b.due - a.due || b.month.n - a.month.n; });
  }

  function lastMet(data, dates, now) {
    return data.months.reduce(function (found, month) { return dates.get(month.n) <= now ? month.n : found; }, 0);
  }

  function showThisMonth(section) {
    const data = programData(section.dataset.program);
    const dates = data && datesOf(data.id);
    const body = section.querySelector(".this-month__body");
    if (!dates) { section.hidden = true; return; }
    const now = today();
    const numbers = data.months.map(function (month) { return month.n; });
    const current = numbers.reduce(function (found, n, index) { return dates.get(n) <= now ? index : found; }, -1);
    const next = numbers.findIndex(function (n) { return dates.get(n) > now; });
    body.textContent = "";
    if (current >= 0) {
      const month = data.months[current];
      const line = element("p", "", "this-month__now");
      const time = element("time", formatDate(dates.get(month.n)));
      time.dateTime = isoDate(dates.get(month.n));
      line.append.apply(line, P.parts(t("You are in %(month)s, which met on %(day)s."), { month: link(month.url, t("month %(n)s: %(title)s", month)), day: time }));
      body.appendChild(line);
    }
    /* What is due next, for the chosen role: this month's items still open, and the next meeting's preparation. */
    const soon = data.months.slice(Math.max(current, 0), next >= 0 ? next + 1 : undefined);
    const todo = items({ id: data.id, months: soon }, dates)
      .filter(function (entry) { return !entry.done && entry.due && entry.due >= now; })
      .sort(function (a, b) { return a.due - b.due; });
    if (todo.length) {
      body.appendChild(element("h3", lens() ? t("Coming up for you") : t("Coming up")));
      const list = element("ul", "", "this-month__todo");
      todo.slice(0, OVERDUE_SHOWN).forEach(function (entry) { list.appendChild(itemRow(data, entry)); });
      body.appendChild(list);
    }
    if (next >= 0) {
      const month = data.months[next];
      const day = dates.get(month.n);
      const days = Math.round((day - now) / DAY);
      const line = element("p", "", "this-month__next");
      const time = element("time", formatDate(day));
      time.dateTime = isoDate(day);
      const message = days === 1 ? (current < 0 ? t("The first meeting, %(month)s, is on %(day)s (tomorrow).") : t("Next meeting, %(month)s, is on %(day)s (tomorrow)."))
        : current < 0 ? nt("The first meeting, %(month)s, is on %(day)s (in %(n)s day).", "The first meeting, %(month)s, is on %(day)s (in %(n)s days).", days)
          : nt("Next meeting, %(month)s, is on %(day)s (in %(n)s day).", "Next meeting, %(month)s, is on %(day)s (in %(n)s days).", days);
      line.append.apply(line, P.parts(message, { month: link(month.url, t("month %(n)s: %(title)s", month)), day: time }));
      body.appendChild(line);
      const agenda = element("ol", "", "this-month__agenda");
      month.agenda.forEach(function (topic) { agenda.appendChild(element("li", topic)); });
      body.append(element("p", t("Its agenda:")), agenda);
    } else {
      const last = dates.get(numbers[numbers.length - 1]);
      body.appendChild(element("p", t("The last meeting was on %(day)s. Time to decide what comes next.", { day: formatDate(last) })));
    }
    const late = overdueOf(data, dates, now);
    if (late.length) {
      body.appendChild(element("h3", lens() ? t("Overdue for you (%(n)s)", { n: late.length }) : t("Overdue (%(n)s)", { n: late.length })));
      const list = element("ul", "", "this-month__overdue");
      late.slice(0, OVERDUE_SHOWN).forEach(function (entry) { list.appendChild(itemRow(data, entry)); });
      body.appendChild(list);
      if (late.length > OVERDUE_SHOWN) {
        const more = element("p", "", "this-month__more");
        more.appendChild(link("progress/index.html#overdue-" + data.id, nt("See all %(n)s overdue item", "See all %(n)s overdue items", late.length)));
        body.appendChild(more);
      }
    }
    section.hidden = false;
  }

  /* The full overdue list, on the My progress page. */
  function showOverdue(section) {
    const data = programData(section.dataset.program);
    const dates = data && datesOf(data.id);
    const list = section.querySelector("ul");
    list.textContent = "";
    const late = dates ? overdueOf(data, dates, today()) : [];
    late.forEach(function (entry) { list.appendChild(itemRow(data, entry)); });
    section.querySelector(".overdue__none").hidden = late.length > 0;
    section.hidden = !dates;
  }

  function refresh() {
    redate();
    document.querySelectorAll(".this-month[data-program]").forEach(showThisMonth);
    document.querySelectorAll(".overdue[data-program]").forEach(showOverdue);
  }

  /* --- A calendar file for the reader's own dates (RFC 5545) ------------- */

  function icsText(text) { return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n"); }

  function fold(line) {
    const bytes = new TextEncoder();
    const parts = [];
    let current = "";
    Array.from(line).forEach(function (char) {
      if (bytes.encode(current + char).length > (parts.length ? 74 : 75)) { parts.push(current); current = ""; }
      current += char;
    });
    parts.push(current);
    return parts.join("\r\n ");
  }

  function compact(date, withTime) {
    return withTime ? date.toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z" : isoDate(date).replace(/-/g, "");
  }

  function calendarFile(data, start) {
    const rule = schedule.programs[data.id];
    const days = meetingDays(rule, start);
    const stamp = compact(new Date(), true);
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Playbook//Mentoring playbook//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:" + icsText(data.title)];
    data.months.forEach(function (month, index) {
      const day = days[index];
      if (!day) return;
      const page = new URL(root + month.url, window.location.href).href;
      const agenda = month.agenda.map(function (topic) { return "- " + topic; }).join("\n");
      lines.push("BEGIN:VEVENT", "UID:" + data.id + "-month-" + String(month.n).padStart(2, "0") + "@" + P.site + ".playbook", "DTSTAMP:" + stamp);
      if (rule.time) {
        const at = instant(day, rule.time, rule.zone);
        /* Without a time zone the time is the reader's own wall-clock time ("floating"). */
        lines.push("DTSTART:" + (rule.zone ? compact(at, true) : compact(day) + "T" + rule.time.replace(":", "") + "00"), "DURATION:PT" + rule.minutes + "M");
      } else {
        lines.push("DTSTART;VALUE=DATE:" + compact(day), "DTEND;VALUE=DATE:" + compact(addDays(day, 1)), "TRANSP:TRANSPARENT");
      }
      lines.push("SUMMARY:" + icsText(t("Month %(n)s: %(title)s", month)),
        "DESCRIPTION:" + icsText(month.goal + "\n\n" + t("Agenda:") + "\n" + agenda + "\n\n" + t("In the playbook: %(url)s", { url: page })), "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  /* --- Wiring ------------------------------------------------------------ */

  refresh();
  document.querySelectorAll(".start-date[data-program]").forEach(function (picker) {
    const id = picker.dataset.program;
    const saved = P.getText("start:" + id);
    if (saved) picker.value = saved;
    picker.addEventListener("change", function () {
      if (parseDate(picker.value)) P.setText("start:" + id, picker.value); else P.remove("start:" + id);
      refresh();
    });
    picker.closest("[hidden]").hidden = false;
  });
  /* A checklist ticked for another month is due on that month's dates. */
  document.querySelectorAll(".ticks-for").forEach(function (select) { select.addEventListener("change", redate); });
  document.addEventListener("playbook:lens", refresh);
  window.addEventListener("storage", function (event) {
    if (event.key && event.key.startsWith(P.key("start:"))) refresh();
  });
  P.onAction(document, {
    "download-calendar": function (event, button) {
      const id = button.dataset.program;
      const picker = document.querySelector(".start-date[data-program='" + id + "']");
      const start = parseDate(picker && picker.value) || startOf(id);
      if (!start) { if (picker) picker.focus(); return; }
      P.download(id + ".ics", calendarFile(programData(id), start), "text/calendar");
    },
  });
  P.dates = { meetingDays: meetingDays, instant: instant, formatDate: formatDate, parseDate: parseDate, isoDate: isoDate, today: today };
})();

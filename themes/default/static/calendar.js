/* Playbook: real dates, once there is a start date (from playbook.yaml, or picked
   by the reader and kept in this browser): "this month", the next meeting, what is
   overdue in this browser's checklists, and a calendar file made on the spot. */
(function () {
  "use strict";
  const P = window.Playbook;
  const root = document.documentElement.dataset.root || "";
  const DAY = 86400000;
  const AFTER_DAYS = { weekly: 7, fortnightly: 14 };

  function program(id) {
    const data = document.getElementById("program-data-" + id);
    return data ? JSON.parse(data.textContent) : null;
  }

  function parseDate(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  }

  function isoDate(date) { return date.toISOString().slice(0, 10); }

  function today() {
    const now = new Date();
    return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  }

  function startOf(data) { return parseDate(P.getText("start:" + data.id)) || parseDate(data.start); }

  /* The date of meeting `index` (from 0), as the build computes it for the .ics file. */
  function meetingDate(start, cadence, index) {
    if (AFTER_DAYS[cadence]) return new Date(start.getTime() + AFTER_DAYS[cadence] * index * DAY);
    const month = start.getUTCMonth() + index;
    const year = start.getUTCFullYear() + Math.floor(month / 12);
    const last = new Date(Date.UTC(year, (month % 12) + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month % 12, Math.min(start.getUTCDate(), last)));
  }

  function spoken(date) {
    return date.toLocaleDateString(document.documentElement.lang || undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function plain(markdown) { return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*_`]/g, ""); }

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

  /* Items due before today in the reader's checklists: those of the current month, and
     any of an earlier month the reader has started ticking. */
  function overdue(data, dates, now, current) {
    const late = [];
    data.months.forEach(function (month, index) {
      if (dates[index] > now) return;
      month.checklists.forEach(function (checklist) {
        const ticks = P.read("checklist:" + checklist.id + ":" + data.id + "/" + month.n);
        if (!ticks && index !== current) return;
        checklist.items.forEach(function (item) {
          const byMonth = item.due.month ? data.months.findIndex(function (m) { return m.n === item.due.month; }) : -1;
          const due = byMonth >= 0 ? dates[byMonth] : new Date(dates[index].getTime() + (item.due.days || 0) * DAY);
          if (!(ticks && ticks[item.key]) && due < now) late.push({ item: item, checklist: checklist, month: month, due: due });
        });
      });
    });
    return late;
  }

  function showThisMonth(section) {
    const data = program(section.dataset.program);
    const start = data && startOf(data);
    const body = section.querySelector(".this-month__body");
    if (!start) { section.hidden = true; return; }
    const now = today();
    const dates = data.months.map(function (_, index) { return meetingDate(start, data.cadence, index); });
    const current = dates.reduce(function (found, date, index) { return date <= now ? index : found; }, -1);
    const next = dates.findIndex(function (date) { return date > now; });
    body.innerHTML = "";
    if (current >= 0) {
      const month = data.months[current];
      const line = element("p", "", "this-month__now");
      line.append("You are in ", link(month.url, "month " + month.n + ": " + month.title), ", which met on " + spoken(dates[current]) + ".");
      body.appendChild(line);
    }
    if (next >= 0) {
      const month = data.months[next];
      const days = Math.round((dates[next] - now) / DAY);
      const line = element("p", "", "this-month__next");
      line.append(current < 0 ? "The first meeting, " : "Next meeting, ", link(month.url, "month " + month.n + ": " + month.title),
        ", is on " + spoken(dates[next]) + (days === 1 ? " (tomorrow)." : " (in " + days + " days)."));
      body.appendChild(line);
      const agenda = element("ol", "", "this-month__agenda");
      month.agenda.forEach(function (topic) { agenda.appendChild(element("li", topic)); });
      body.append(element("p", "Its agenda:"), agenda);
    } else {
      body.appendChild(element("p", "The last meeting was on " + spoken(dates[dates.length - 1]) + ". Time to decide what comes next."));
    }
    const late = overdue(data, dates, now, current);
    if (late.length) {
      body.appendChild(element("h3", "Overdue in your checklists (" + late.length + ")"));
      const list = element("ul", "", "this-month__overdue");
      late.slice(0, 8).forEach(function (entry) {
        const row = element("li");
        row.append(link(entry.checklist.url + "?for=" + data.id + "/" + entry.month.n, plain(entry.item.text)),
          " (" + entry.checklist.title + ", month " + entry.month.n + ", due " + spoken(entry.due) + ")");
        list.appendChild(row);
      });
      body.appendChild(list);
      if (late.length > 8) body.appendChild(element("p", "And " + (late.length - 8) + " more.", "meta"));
    }
    section.hidden = false;
  }

  /* RFC 5545: escape text, end lines with CRLF, fold lines longer than 75 bytes. */
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

  function calendarFile(data, start) {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z";
    const compact = function (date) { return isoDate(date).replace(/-/g, ""); };
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Playbook//Mentoring playbook//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:" + icsText(data.title)];
    data.months.forEach(function (month, index) {
      const day = meetingDate(start, data.cadence, index);
      const page = new URL(root + month.url, window.location.href).href;
      const agenda = month.agenda.map(function (topic) { return "- " + topic; }).join("\n");
      lines.push("BEGIN:VEVENT", "UID:" + data.id + "-month-" + String(month.n).padStart(2, "0") + "@" + P.site + ".playbook", "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + compact(day), "DTEND;VALUE=DATE:" + compact(new Date(day.getTime() + DAY)),
        "SUMMARY:" + icsText("Month " + month.n + ": " + month.title),
        "DESCRIPTION:" + icsText(month.goal + "\n\nAgenda:\n" + agenda + "\n\nIn the playbook: " + page), "TRANSP:TRANSPARENT", "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  document.querySelectorAll(".this-month[data-program]").forEach(showThisMonth);
  document.querySelectorAll(".start-date[data-program]").forEach(function (picker) {
    const data = program(picker.dataset.program);
    const saved = P.getText("start:" + data.id);
    if (saved) picker.value = saved;
    picker.addEventListener("change", function () {
      if (parseDate(picker.value)) P.setText("start:" + data.id, picker.value); else P.remove("start:" + data.id);
      document.querySelectorAll(".this-month[data-program='" + data.id + "']").forEach(showThisMonth);
    });
    picker.closest("[hidden]").hidden = false;
  });
  P.onAction(document, {
    "download-calendar": function (event, button) {
      const data = program(button.dataset.program);
      const picker = document.querySelector(".start-date[data-program='" + data.id + "']");
      const start = parseDate(picker && picker.value) || startOf(data);
      if (!start) { if (picker) picker.focus(); return; }
      P.download(data.id + ".ics", calendarFile(data, start), "text/calendar");
    },
  });
})();

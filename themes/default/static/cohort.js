/* Playbook: a cohort's pages. Where each pair is today, from the meeting dates in the page
   (dates read as calendar.js writes them), and the lead's tasks shown for one pair. */
(function () {
  "use strict";
  const P = window.Playbook;
  const dates = P && P.dates;
  if (!dates) return;
  const t = P.t;
  const now = dates.today();

  function timeOf(day) {
    const time = document.createElement("time");
    time.dateTime = dates.isoDate(day);
    time.textContent = dates.formatDate(day);
    return time;
  }

  /* A pair is in the month of its last meeting on or before today; finished once its last meeting is past. */
  function showPair(row) {
    const days = row.dataset.meetings.split(" ").map(dates.parseDate);
    const cells = row.querySelectorAll(".timeline__months > li");
    const status = row.querySelector(".timeline__status");
    const current = days.filter(function (day) { return day <= now; }).length - 1;
    const finished = now > days[days.length - 1];
    status.textContent = "";
    const next = days[current + 1];
    const values = { month: current < 0 ? 0 : cells[current].dataset.month, count: days.length, day: timeOf(current < 0 ? days[0] : next || now) };
    status.append.apply(status, P.parts(current < 0 ? t("Starts %(day)s.") : finished ? t("Finished.")
      : next ? t("Now in month %(month)s of %(count)s, next meeting %(day)s.") : t("Now in month %(month)s of %(count)s."), values));
    status.hidden = false;
    cells.forEach(function (cell, i) {
      const here = i === current && !finished;
      cell.classList.toggle("is-past", i < current || finished);
      cell.classList.toggle("is-current", here);
      if (here) {
        cell.setAttribute("aria-current", "step");
        const mark = document.createElement("span");
        mark.className = "timeline__now";
        mark.textContent = t("now");
        cell.append(" ", mark);
      }
    });
  }

  const today = document.querySelector(".cohort-timeline__today");
  if (today) {
    today.querySelector("span").replaceWith(timeOf(now));
    today.hidden = false;
  }
  document.querySelectorAll(".timeline__pair[data-meetings]").forEach(showPair);

  /* The tasks page: past tasks set back, the next one marked, and a choice of pair. */
  const rows = document.querySelectorAll(".task-table tr[data-day]");
  const next = Array.prototype.find.call(rows, function (row) { return dates.parseDate(row.dataset.day) >= now; });
  rows.forEach(function (row) { row.classList.toggle("is-past", dates.parseDate(row.dataset.day) < now); });
  if (next) {
    const mark = document.createElement("strong");
    mark.className = "tag tag--in-progress";
    mark.textContent = t("next");
    next.cells[0].prepend(mark, " ");
  }
  const choice = document.getElementById("task-pair");
  if (!choice) return;
  choice.addEventListener("change", function () {
    rows.forEach(function (row) { row.hidden = Boolean(choice.value) && row.dataset.pair !== choice.value; });
    document.querySelectorAll(".task-table tbody").forEach(function (group) {
      group.hidden = !group.querySelector("tr[data-day]:not([hidden])");
    });
  });
  choice.closest("[hidden]").hidden = false;
})();

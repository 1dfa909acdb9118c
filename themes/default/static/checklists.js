/* Playbook: ticks kept in this browser, and progress counted from them.
   A checklist used in several months is ticked separately for each month
   (its "use", written program/month); ticks in guides' task lists are kept per guide. */
(function () {
  "use strict";
  const P = window.Playbook;
  const t = P.t;

  function checklistKey(checklist, use) {
    return "checklist:" + checklist + ":" + (use || "all");
  }

  /* The use a checklist page ticks for: from ?for=, if the page offers it, else the first one. */
  function chosenUse(form, select) {
    const wanted = P.param("for");
    if (select && wanted && Array.from(select.options).some(function (o) { return o.value === wanted; })) return wanted;
    return select ? select.value : form.dataset.use;
  }

  function showTicks(form) {
    const ticks = P.read(checklistKey(form.dataset.checklist, form.dataset.use)) || {};
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = Boolean(ticks[box.name]); });
  }

  function saveTicks(form) {
    const ticks = {};
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) { ticks[box.name] = true; });
    const key = checklistKey(form.dataset.checklist, form.dataset.use);
    if (Object.keys(ticks).length) P.write(key, ticks); else P.remove(key);
  }

  /* The printed header names the month being ticked for. */
  function showPrintedUse(use) {
    document.querySelectorAll(".print-head [data-use]").forEach(function (line) { line.hidden = line.dataset.use !== use; });
  }

  function setUp(form) {
    const toolbar = document.querySelector(".toolbar[data-for='checklist-" + form.dataset.checklist + "']");
    const select = toolbar && toolbar.querySelector(".ticks-for");
    form.dataset.use = chosenUse(form, select);
    if (select) {
      select.value = form.dataset.use;
      showPrintedUse(form.dataset.use);
      select.addEventListener("change", function () {
        form.dataset.use = select.value;
        showPrintedUse(select.value);
        retarget(toolbar, form.dataset.checklist, select.value);
        showTicks(form);
        showProgress();
      });
    }
    if (toolbar) {
      retarget(toolbar, form.dataset.checklist, form.dataset.use);
      toolbar.hidden = false;
      P.onAction(toolbar, {
        reset: function () {
          if (!window.confirm(t("Untick every item of this checklist?"))) return;
          P.remove(checklistKey(form.dataset.checklist, form.dataset.use));
          showTicks(form);
          showProgress();
        },
      });
    }
    showTicks(form);
    form.addEventListener("change", function () { saveTicks(form); showProgress(); });
  }

  /* Point the toolbar's progress line at the use being ticked. */
  function retarget(toolbar, checklist, use) {
    toolbar.querySelectorAll("[data-progress]").forEach(function (element) {
      const entries = JSON.parse(element.dataset.progress).map(function (entry) {
        return entry.c === checklist ? Object.assign({}, entry, { u: use }) : entry;
      });
      element.dataset.progress = JSON.stringify(entries);
    });
  }

  /* Task lists in guides: ticks by position, per guide. */
  function setUpTasks(guide) {
    const boxes = Array.from(guide.querySelectorAll(".task-list-item-checkbox"));
    if (!boxes.length) return;
    const key = "guide:" + guide.dataset.guide;
    const saved = P.read(key);
    if (saved) boxes.forEach(function (box, index) { box.checked = Boolean(saved[index]); });
    guide.addEventListener("change", function (event) {
      if (!event.target.classList.contains("task-list-item-checkbox")) return;
      P.write(key, boxes.map(function (box) { return box.checked; }));
      showProgress();
    });
  }

  /* The role chosen in the lens, or "" for everyone. */
  function lensRole() {
    return document.documentElement.getAttribute("data-lens") || "";
  }

  /* Ticks counted over the items of the lens's role only (each entry's "r" holds every key's owners). */
  function count(entries, role) {
    let done = 0;
    let total = 0;
    entries.forEach(function (entry) {
      const ticks = P.read(checklistKey(entry.c, entry.u)) || {};
      const keys = role ? entry.k.filter(function (key, index) { return entry.r[index].includes(role); }) : entry.k;
      total += keys.length;
      done += keys.filter(function (key) { return ticks[key]; }).length;
    });
    return { done: done, total: total };
  }

  function describe(element, done, total) {
    const status = done === 0 ? "not-started" : done === total ? "completed" : "in-progress";
    const label = element.dataset.label;
    element.innerHTML = "";
    const role = lensRole();
    if (total === 0 && role) {
      const option = document.querySelector("#lens option[value='" + role + "']");
      const values = { label: label, role: option ? option.textContent : role };
      element.textContent = label ? t("%(label)s: nothing to tick for the %(role)s.", values) : t("Nothing to tick for the %(role)s.", values);
      element.style.setProperty("--done", 0);
      return;
    }
    const tag = document.createElement("strong");
    tag.className = "tag tag--" + status;
    tag.textContent = { "not-started": t("Not started"), completed: t("Completed"), "in-progress": t("In progress") }[status];
    const ticked = P.nt("%(n)s of %(total)s ticked", "%(n)s of %(total)s ticked", done, { total: total });
    element.append(tag, " " + (label ? t("%(label)s: %(progress)s", { label: label, progress: ticked }) : ticked));
    element.style.setProperty("--done", total ? done / total : 0);
  }

  function showProgress() {
    document.querySelectorAll("[data-progress]").forEach(function (element) {
      const counted = count(JSON.parse(element.dataset.progress), lensRole());
      describe(element, counted.done, counted.total);
    });
    document.querySelectorAll("[data-progress-tasks]").forEach(function (element) {
      const boxes = document.querySelectorAll(".task-list-item-checkbox");
      const done = Array.from(boxes).filter(function (box) { return box.checked; }).length;
      describe(element, done, boxes.length);
    });
  }

  document.querySelectorAll("form.checklist[data-checklist]").forEach(setUp);
  document.querySelectorAll("article.guide[data-guide]").forEach(setUpTasks);
  showProgress();
  document.addEventListener("playbook:lens", showProgress);
  window.addEventListener("storage", function (event) {
    if (!event.key || !event.key.startsWith(P.key(""))) return;
    document.querySelectorAll("form.checklist[data-checklist]").forEach(showTicks);
    showProgress();
  });
})();

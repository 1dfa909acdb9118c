/* Playbook: worksheet answers kept in this browser as the reader types, with
   export to a file (JSON to import again, Markdown to read or share), import,
   clear, and printing with the answers or blank. A repeating worksheet keeps each instance (?n=3)
   on its own. */
(function () {
  "use strict";
  const P = window.Playbook;
  const t = P.t;
  const FORMAT = "playbook-worksheet";

  function keyOf(form) {
    const instance = form.dataset.instance ? "@" + form.dataset.instance : "";
    return "worksheet:" + (form.dataset.program || "all") + ":" + form.dataset.worksheet + instance;
  }

  /* What the page and its files call the answers shown: "Pulse check 3", or the worksheet's title. */
  function nameOf(form) {
    return form.dataset.name || form.dataset.title;
  }

  function fileStem(form) {
    return form.dataset.worksheet + (form.dataset.instance ? "-" + form.dataset.instance : "");
  }

  function jsonName(form) {
    return t("%(name)s-answers.json", { name: fileStem(form) });
  }

  function collect(form) {
    const answers = {};
    Array.from(form.elements).forEach(function (field) {
      if (!field.name) return;
      if (field.type === "checkbox") {
        if (field.checked) (answers[field.name] = answers[field.name] || []).push(field.value);
      } else if (field.type === "radio") {
        if (field.checked) answers[field.name] = field.value;
      } else if (field.value.trim() !== "") {
        answers[field.name] = field.value;
      }
    });
    return answers;
  }

  function fill(form, answers) {
    Array.from(form.elements).forEach(function (field) {
      if (!field.name) return;
      const value = answers[field.name];
      if (field.type === "checkbox") field.checked = Array.isArray(value) && value.includes(field.value);
      else if (field.type === "radio") field.checked = value === field.value;
      else field.value = typeof value === "string" ? value : "";
    });
  }

  function save(form) {
    const answers = collect(form);
    if (Object.keys(answers).length) return P.write(keyOf(form), answers);
    P.remove(keyOf(form));
    return P.saves;
  }

  function load(form) {
    fill(form, P.read(keyOf(form)) || {});
  }

  /* The worksheet as Markdown: headings, each question in bold, then its answer. */
  function markdown(form) {
    const answers = collect(form);
    const lines = ["# " + nameOf(form) + (form.dataset.when ? " · " + form.dataset.when : ""), ""];
    form.querySelectorAll(".worksheet__section").forEach(function (section) {
      lines.push("## " + section.querySelector("h2, h3, h4, h5").textContent.trim(), "");
      section.querySelectorAll(".field[data-field]").forEach(function (field) {
        lines.push("**" + field.querySelector(".field__label").textContent.trim() + "**", "", answerText(field, answers) || "_" + t("(no answer)") + "_", "");
      });
    });
    return lines.join("\n");
  }

  function answerText(field, answers) {
    const id = field.dataset.field;
    if (field.classList.contains("field--table")) {
      const columns = Array.from(field.querySelectorAll("th")).map(function (th) { return th.textContent.trim(); });
      const rows = Array.from(field.querySelectorAll("tbody tr")).map(function (row, r) {
        return columns.map(function (_, c) { return (answers[id + "." + (r + 1) + "." + (c + 1)] || "").replace(/\|/g, "\\|"); });
      }).filter(function (cells) { return cells.some(Boolean); });
      if (!rows.length) return "";
      return ["| " + columns.join(" | ") + " |", "|" + columns.map(function () { return " --- |"; }).join("")]
        .concat(rows.map(function (cells) { return "| " + cells.join(" | ") + " |"; })).join("\n");
    }
    if (field.classList.contains("field--list")) {
      const entries = Object.keys(answers).filter(function (name) { return name.startsWith(id + "."); }).sort(function (a, b) {
        return Number(a.split(".")[1]) - Number(b.split(".")[1]);
      });
      return entries.map(function (name, i) { return (i + 1) + ". " + answers[name]; }).join("\n");
    }
    const value = answers[id];
    // A choice is saved as its text in the playbook's main language: show the words of this page's.
    const shown = function (saved) {
      const input = Array.from(field.querySelectorAll("input[type=radio], input[type=checkbox]")).find(function (i) { return i.value === saved; });
      return input ? input.parentNode.textContent.trim() : saved;
    };
    return Array.isArray(value) ? value.map(shown).join(", ") : value ? shown(value) : "";
  }

  function exportJson(form) {
    const file = {
      format: FORMAT, version: 1, playbook: P.site, program: form.dataset.program,
      worksheet: form.dataset.worksheet, title: form.dataset.title,
      instance: form.dataset.instance ? Number(form.dataset.instance) : undefined,
      exported: new Date().toISOString(), answers: collect(form),
    };
    P.download(jsonName(form), JSON.stringify(file, null, 2) + "\n", "application/json");
  }

  function importFile(form, input, say) {
    P.readBackup(input, FORMAT, function (data, file) {
      const before = collect(form);
      if (data.worksheet !== form.dataset.worksheet) {
        say(t("That file holds answers for “%(title)s”, not this worksheet; nothing was changed.", { title: data.title || data.worksheet }));
      } else if (data.instance !== undefined && String(data.instance) !== (form.dataset.instance || "")) {
        say(t("That file holds %(title)s %(number)s, not %(name)s: choose it above, then restore; nothing was changed.", { title: form.dataset.title, number: data.instance, name: nameOf(form) }));
      } else if (!P.isMap(data.answers)) {
        say(t("This backup has no answers; nothing was changed."));
      } else if (!P.isMap(data.answers, P.isAnswer)) {
        say(t("This backup’s answers are damaged; nothing was changed."));
      } else if (Object.keys(before).length && !window.confirm(t("Replace the answers on this page with the ones in the file?"))) {
        say(t("Nothing was restored; your answers are as they were."));
      } else {
        fill(form, data.answers);
        const answers = collect(form);
        // Where the browser keeps nothing at all, the answers still show, as typed ones do.
        if (P.saves && Object.keys(answers).length && !P.writeAll([[keyOf(form), JSON.stringify(answers)]])) {
          fill(form, before);
          say(P.noRoom);
        } else {
          save(form);
          const values = { name: nameOf(form), file: file.name };
          say(form.dataset.instance ? t("Restored the answers to %(name)s from %(file)s.", values) : t("Restored the answers from %(file)s.", values));
        }
      }
    }, say);
  }

  function printBlank(form) {
    const answers = collect(form);
    fill(form, {});
    window.print();
    fill(form, answers);
  }

  /* --- A repeating worksheet's instances --------------------------------- */

  function isoDay(date) { return date.toISOString().slice(0, 10); }

  /* The instance asked for (?n=3), else the one due now by today's date (the last begun), else the first. */
  function chosenInstance(select) {
    const options = Array.from(select.options);
    const wanted = options.find(function (option) { return option.value === P.param("n"); });
    if (wanted) return wanted;
    const now = new Date();
    const today = isoDay(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
    return options.filter(function (option) { return option.dataset.day && option.dataset.day <= today; }).pop() || options[0];
  }

  function showInstance(form, option) {
    const when = option.textContent.split(" · ").slice(1).join(" · ");
    form.dataset.instance = option.value;
    form.dataset.name = option.dataset.name;
    form.dataset.when = when;
    document.querySelector(".instance-number").textContent = " " + option.value;
    document.querySelector(".instance-now__when").textContent =
      t("%(when)s · %(number)s of %(count)s", { when: when.charAt(0).toUpperCase() + when.slice(1), number: Number(option.value), count: option.parentNode.options.length });
    document.querySelector(".instance-now__blank").hidden = true;
    load(form);
  }

  function setUpInstances(form, say) {
    const select = document.getElementById("instance");
    if (!select || form.dataset.repeat === undefined) return form.dataset.repeat === undefined;
    select.value = chosenInstance(select).value;
    showInstance(form, select.selectedOptions[0]);
    select.addEventListener("change", function () {
      showInstance(form, select.selectedOptions[0]);
      say(t("Showing %(name)s. Your answers are saved in this browser as you type.", { name: nameOf(form) }));
      const params = new URLSearchParams(window.location.search);
      params.set("n", select.value);
      // So that a reload shows the same one; some browsers refuse this on pages opened from disk.
      try { window.history.replaceState(null, "", "?" + params); } catch (error) { /* the choice still holds */ }
    });
    select.closest("[hidden]").hidden = false;
    return true;
  }

  function setUp(form) {
    const toolbar = document.querySelector(".toolbar[data-for='" + form.id + "']");
    const status = toolbar && toolbar.querySelector(".toolbar__status");
    const say = function (message) { if (status) status.textContent = message; };
    const select = toolbar && toolbar.querySelector(".answers-for");
    if (select) {
      const wanted = P.param("for");
      if (wanted && Array.from(select.options).some(function (o) { return o.value === wanted; })) select.value = wanted;
      form.dataset.program = select.value;
      select.addEventListener("change", function () { form.dataset.program = select.value; load(form); });
    } else if (P.param("for") && toolbar) {
      form.dataset.program = form.dataset.program || P.param("for");
    }
    if (!setUpInstances(form, say)) return; // a repeating worksheet printed in a booklet keeps nothing
    if (form.dataset.instance === undefined) load(form);
    form.addEventListener("input", function () {
      const values = { name: nameOf(form), time: new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) };
      say(!save(form) ? t("This browser does not keep answers for this page: save a backup file before you leave it.")
        : form.dataset.instance ? t("%(name)s saved in this browser at %(time)s.", values) : t("Saved in this browser at %(time)s.", values));
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (!toolbar) return;
    toolbar.hidden = false;
    P.onAction(toolbar, {
      "export-json": function () {
        exportJson(form);
        say(t("Your answers to %(name)s are in the backup file %(file)s, among your downloads.", { name: nameOf(form), file: jsonName(form) }));
      },
      "export-markdown": function () {
        P.download(fileStem(form) + ".md", markdown(form), "text/markdown");
        say(t("Your answers to %(name)s are in the text document %(file)s, among your downloads.", { name: nameOf(form), file: fileStem(form) + ".md" }));
      },
      "print-blank": function () { printBlank(form); },
      clear: function () {
        if (!window.confirm(t("Clear every answer on %(name)s? This cannot be undone.", { name: nameOf(form) }))) return;
        fill(form, {});
        P.remove(keyOf(form));
        say(t("Answers to %(name)s cleared.", { name: nameOf(form) }));
      },
    });
    toolbar.querySelector("[data-action='import']").addEventListener("change", function (event) {
      importFile(form, event.target, say);
    });
  }

  document.querySelectorAll("form.worksheet[data-worksheet]").forEach(setUp);
  window.addEventListener("storage", function (event) {
    document.querySelectorAll("form.worksheet[data-worksheet]").forEach(function (form) {
      if (event.key === P.key(keyOf(form)) && !form.contains(document.activeElement)) load(form);
    });
  });
})();

/* Playbook: "My progress": how many questions each worksheet has answers for, and
   all of this browser's ticks and answers as one file to export and import. */
(function () {
  "use strict";
  const P = window.Playbook;
  const t = P.t;
  const nt = P.nt;
  const FORMAT = "playbook-progress";
  const toolbar = document.querySelector(".toolbar[data-for='progress']");
  if (!toolbar) return;
  const status = toolbar.querySelector(".toolbar__status");
  const KEPT = P.kept; // and P.fits: store.js, which the dashboard shares

  function say(message) { status.textContent = message; }

  function kept() {
    return P.entries().filter(function (entry) { return KEPT.test(entry[0]); });
  }

  function showAnswers() {
    document.querySelectorAll("[data-answers]").forEach(function (line) {
      const answers = P.read(line.dataset.answers) || {};
      const answered = new Set(Object.keys(answers).map(function (name) { return name.split(".")[0]; })).size;
      line.textContent = answered ? nt("%(answered)s of %(n)s question answered", "%(answered)s of %(n)s questions answered", Number(line.dataset.fields), { answered: answered }) : t("Not started");
    });
  }

  function exportAll() {
    const items = {};
    kept().forEach(function (entry) { items[entry[0]] = entry[1]; });
    const file = { format: FORMAT, version: 1, playbook: P.site, exported: new Date().toISOString(), items: items };
    const name = t("%(playbook)s-progress.json", { playbook: P.site });
    P.download(name, JSON.stringify(file, null, 2) + "\n", "application/json");
    say(nt("The backup file %(file)s, among your downloads, holds %(n)s checklist, worksheet or guide.",
      "The backup file %(file)s, among your downloads, holds %(n)s checklists, worksheets and guides.", Object.keys(items).length, { file: name }));
  }

  function importAll(input) {
    P.readBackup(input, FORMAT, function (data) {
      const items = data.items;
      if (!P.isMap(items)) return say(t("This backup has no checklists, worksheets or guides in it; nothing was changed."));
      const names = Object.keys(items);
      const damaged = names.find(function (name) { return !P.fits(name, items[name]); });
      if (damaged !== undefined) return say(t("This backup is damaged (at “%(name)s”); nothing was changed.", { name: damaged }));
      if (data.playbook !== P.site && !window.confirm(t("This file comes from another playbook (%(name)s). Restore it anyway?", { name: data.playbook }))) return;
      if (!window.confirm(nt("Restore %(n)s checklist, worksheet or guide? It replaces what this browser has for the same one.", "Restore %(n)s checklists, worksheets and guides? They replace what this browser has for the same ones.", names.length))) return;
      if (!P.writeAll(names.map(function (name) { return [name, items[name]]; }))) return say(P.noRoom);
      window.location.reload();
    }, say);
  }

  function forget() {
    if (!window.confirm(t("Forget every tick and answer this browser keeps for this playbook? Save a backup file first if you may need them."))) return;
    kept().forEach(function (entry) { P.remove(entry[0]); });
    window.location.reload();
  }

  toolbar.hidden = false;
  showAnswers();
  P.onAction(toolbar, { "export-all": exportAll, "clear-all": forget });
  toolbar.querySelector("[data-action='import-all']").addEventListener("change", function (event) { importAll(event.target); });
})();

/* Playbook: a pair page's "Is this your pair?": tells this browser which pair of the cohort it belongs to
   (kept as pair:<cohort>), so the progress backup names the pair for the program lead's dashboard. */
(function () {
  "use strict";
  const P = window.Playbook;
  const t = P.t;
  const box = document.querySelector(".pair-claim[data-cohort]");
  if (!box) return;
  const key = "pair:" + box.dataset.cohort;
  const now = box.querySelector(".pair-claim__now");
  const claim = box.querySelector("[data-action='claim']");
  const unclaim = box.querySelector("[data-action='unclaim']");

  function show(extra) {
    const owner = P.getText(key);
    const ours = owner === box.dataset.pair;
    if (ours) now.textContent = t("This browser belongs to %(pair)s.", { pair: box.dataset.label });
    else if (owner) now.textContent = t("This browser belongs to another pair of this cohort (%(pair)s).", { pair: owner });
    else now.textContent = t("This browser does not say yet which pair it belongs to.");
    if (extra) now.textContent += " " + extra;
    claim.hidden = ours;
    unclaim.hidden = !owner;
  }

  P.onAction(box, {
    claim: function () {
      const kept = P.setText(key, box.dataset.pair);
      show(kept ? t("Save a new backup file on My progress for the program lead.") : t("This browser keeps nothing after it closes: press again next time."));
      unclaim.focus();
    },
    unclaim: function () {
      P.remove(key);
      show();
      claim.focus();
    },
  });
  box.hidden = false;
  show();
})();

/* Playbook: previous and next guide in the reading order of the role the lens
   shows. The page holds each role's links; without JavaScript, or with no role
   chosen, the links follow the order for everyone. */
(function () {
  "use strict";
  const html = document.documentElement;
  const t = window.Playbook.t;
  const pager = document.querySelector("[data-guide-pager]");
  const data = document.getElementById("guide-pagers");
  if (!pager || !data) return;
  const pagers = JSON.parse(data.textContent);
  const root = html.dataset.root || "";

  function link(side, target) {
    const a = document.createElement("a");
    a.className = "pager__" + side;
    a.href = root + target.url;
    a.rel = side === "previous" ? "prev" : "next";
    const label = document.createElement("span");
    label.textContent = side === "previous" ? t("Previous") : t("Next");
    a.append(label, " " + target.title);
    return a;
  }

  function show(role) {
    const chosen = pagers[role] || pagers[""];
    const links = ["previous", "next"].filter(function (side) { return chosen[side]; });
    pager.replaceChildren.apply(pager, links.map(function (side) { return link(side, chosen[side]); }));
    pager.hidden = links.length === 0;
  }

  function update() { show(html.getAttribute("data-lens") || ""); }

  update();
  document.addEventListener("playbook:lens", update);
})();

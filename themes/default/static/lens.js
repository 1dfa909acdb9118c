/* Playbook: the role lens. Choose a role once and every page shows only that
   role's part; the choice is remembered. Without JavaScript everything shows.
   Other scripts hear of each change through the "playbook:lens" event. */
(function () {
  "use strict";
  const P = window.Playbook;
  const html = document.documentElement;
  const select = document.getElementById("lens");
  if (!select) return;
  const roles = Array.from(select.options).map(function (option) { return option.value; });
  const setters = document.querySelectorAll("[data-lens-set]");

  function apply(role) {
    if (role && roles.includes(role)) html.setAttribute("data-lens", role);
    else html.removeAttribute("data-lens");
    const chosen = html.getAttribute("data-lens") || "";
    select.value = chosen;
    setters.forEach(function (button) { button.setAttribute("aria-pressed", String(button.dataset.lensSet === chosen)); });
    document.dispatchEvent(new CustomEvent("playbook:lens", { detail: { role: chosen } }));
  }

  function choose(role) {
    P.setText("lens", role);
    apply(role);
  }

  apply(P.getText("lens") || "");
  select.addEventListener("change", function () { choose(select.value); });
  setters.forEach(function (button) {
    button.addEventListener("click", function () { choose(button.dataset.lensSet); });
  });
  window.addEventListener("storage", function (event) {
    if (event.key === P.key("lens")) apply(event.newValue || "");
  });
  P.reveal(".lens, .lens-tip");
})();

/* Playbook: the role lens. Choose a role once and every page shows only that
   role's part; the choice is remembered. Without JavaScript everything shows. */
(function () {
  "use strict";
  const P = window.Playbook;
  const html = document.documentElement;
  const select = document.getElementById("lens");
  if (!select) return;
  const roles = Array.from(select.options).map(function (option) { return option.value; });

  function apply(role) {
    if (role && roles.includes(role)) html.setAttribute("data-lens", role);
    else html.removeAttribute("data-lens");
    select.value = html.getAttribute("data-lens") || "";
  }

  apply(P.getText("lens") || "");
  select.addEventListener("change", function () {
    P.setText("lens", select.value);
    apply(select.value);
  });
  window.addEventListener("storage", function (event) {
    if (event.key === P.key("lens")) apply(event.newValue || "");
  });
  P.reveal(".lens, .lens-tip");
})();

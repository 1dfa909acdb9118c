/* Playbook editor: the "Edit this page" and "Editor" links on each page the dev server serves with --edit.
 * Styles are set through the DOM (no inline <style>), so a page with a strict CSP keeps them. */
(function () {
  "use strict";
  var BASE = "/__playbook__/edit/";
  var KEY = "playbook-edit-token";
  var me = document.currentScript || document.querySelector('script[src*="/__playbook__/edit/link.js"]');

  function takeToken() {
    var url = new URL(location.href);
    var token = url.searchParams.get("edit");
    if (!token) return;
    try { localStorage.setItem(KEY, token); } catch (e) { /* storage off: the editor asks for the terminal's link */ }
    url.searchParams.delete("edit");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  function link(text, href, id) {
    var a = document.createElement("a");
    a.href = href;
    a.id = id;
    a.textContent = text;
    Object.assign(a.style, {
      color: "#ffffff", background: "#1d4f91", padding: "0.45rem 0.8rem", borderRadius: "4px",
      textDecoration: "underline", fontWeight: "600", display: "inline-block",
    });
    return a;
  }

  function build() {
    var path = (me && me.getAttribute("data-path")) || "";
    var at = (me && me.getAttribute("data-at")) || "";
    var nav = document.createElement("nav");
    nav.id = "playbook-edit-links";
    nav.setAttribute("aria-label", "Editor");
    if (path) {
      var query = new URLSearchParams({ path: path });
      if (at) query.set("at", at);
      nav.appendChild(link("Edit this page", BASE + "?" + query.toString(), "playbook-edit-page"));
    }
    nav.appendChild(link("Editor", BASE, "playbook-editor-home"));
    var s = nav.style;
    Object.assign(s, { display: "flex", flexWrap: "wrap", gap: "0.5rem", font: "600 15px/1.4 system-ui, sans-serif", zIndex: "9999" });
    /* A corner of the window on a wide screen; on a phone, a bar at the end of the page, over nothing. */
    var wide = matchMedia("(min-width: 48em)");
    var CORNER = { position: "fixed", right: "1rem", bottom: "1rem", margin: "0", padding: "0", justifyContent: "flex-end" };
    var BAR = { position: "static", margin: "1.5rem 0 0", padding: "0.75rem 1rem", justifyContent: "flex-start" };
    function place() { Object.assign(s, { background: "transparent" }, wide.matches ? CORNER : BAR); }
    place();
    wide.addEventListener("change", place);
    /* Not on paper. */
    var printing = matchMedia("print");
    function show(on) { s.display = on ? "flex" : "none"; }
    printing.addEventListener("change", function () { show(!printing.matches); });
    addEventListener("beforeprint", function () { show(false); });
    addEventListener("afterprint", function () { show(true); });
    document.body.appendChild(nav);
  }

  takeToken();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();

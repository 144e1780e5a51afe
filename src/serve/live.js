// Injected by `annals serve` only (never written to the built site): reloads
// the page after a rebuild, swaps stylesheets in place, and shows build
// errors in an overlay until the next good build.
(function () {
  "use strict";
  var OVERLAY_ID = "annals-error-overlay";
  var source = new EventSource("/__annals/events");

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function showOverlay(text) {
    hideOverlay();
    var overlay = document.createElement("div");
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fafafa;font:14px/1.5 ui-monospace,monospace;";
    var title = document.createElement("strong");
    title.textContent = "annals: the last rebuild failed; showing the last good build";
    title.style.cssText = "display:block;color:#ff8a80;font-size:16px;margin-bottom:1rem;";
    var body = document.createElement("pre");
    body.textContent = text;
    body.style.cssText = "white-space:pre-wrap;overflow-wrap:anywhere;margin:0;";
    overlay.appendChild(title);
    overlay.appendChild(body);
    document.body.appendChild(overlay);
  }

  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("annals-reload", String(Date.now()));
      link.href = url.href;
    });
  }

  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () { hideOverlay(); swapStylesheets(); });
  source.addEventListener("build-error", function (event) { showOverlay(event.data); });
})();

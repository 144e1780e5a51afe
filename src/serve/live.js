// Injected by `annals serve` only (never written to the built site): reloads
// the page after a rebuild, swaps stylesheets in place, and shows build
// errors in an overlay until the next good build.
(function () {
  "use strict";
  var OVERLAY_ID = "annals-error-overlay";
  var source = new EventSource("/__annals/events");

  // The overlay lives in a shadow root so that no rule of the site's
  // stylesheet matches inside it (a site's `pre` rule once painted its text
  // #fafafa on #f3efe4). Two ways in remain, both closed here: rules matching
  // the host element itself, and properties the host inherits from the page.
  // `:host` declarations marked !important beat the page's, even its own
  // !important ones, and `all: initial` cuts inheritance (but for `direction`,
  // which `all` leaves alone). Sizes are in px: `rem` would follow the site's
  // root font size. Every element sets its colours, so none depends on another.
  var STYLE =
    ":host{all:initial!important;display:block!important;position:fixed!important;" +
    "inset:0!important;z-index:2147483647!important;overflow:auto!important;" +
    "box-sizing:border-box!important;padding:32px!important;margin:0!important;" +
    "background:#141414!important;color:#fafafa!important;color-scheme:dark!important;" +
    "direction:ltr!important;unicode-bidi:isolate!important;text-align:left!important;" +
    "font:14px/1.5 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace!important;}" +
    ".title{display:block;margin:0 0 16px;font-size:16px;font-weight:bold;" +
    "color:#ff8a80;background:#141414;}" +
    "pre{margin:0;padding:0;font:inherit;white-space:pre-wrap;overflow-wrap:anywhere;" +
    "color:#fafafa;background:#141414;}";

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function showOverlay(text) {
    hideOverlay();
    var host = document.createElement("div");
    host.id = OVERLAY_ID;
    host.setAttribute("role", "alert");
    // The report is in English whatever the site's language and direction.
    host.setAttribute("lang", "en");
    host.setAttribute("dir", "ltr");
    // Open: style isolation does not need a closed root (the mode only
    // governs scripts), and tests read the overlay through `shadowRoot`.
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = STYLE;
    var title = document.createElement("strong");
    title.className = "title";
    title.textContent = "annals: the last rebuild failed; showing the last good build";
    var body = document.createElement("pre");
    body.textContent = text;
    root.appendChild(style);
    root.appendChild(title);
    root.appendChild(body);
    document.body.appendChild(host);
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

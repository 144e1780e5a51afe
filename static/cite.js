// "Cite this": a Copy button beside each citation where the browser lets
// a page write to the clipboard. Without JavaScript the citations are
// still there, to select and copy by hand.
(() => {
  if (!navigator.clipboard) return;
  for (const pre of document.querySelectorAll("details.cite pre")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select and copy by hand";
      }
    });
    pre.before(button);
  }
})();

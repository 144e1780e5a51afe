// "Cite this": beside each plain-text citation, the same citation as BibTeX
// and as CSL-JSON, made here from the data the page carries once
// (#citations) rather than written into the page in three formats; and a
// Copy button beside each where the browser lets a page write to the
// clipboard. Without JavaScript the plain-text citations are still there.
(() => {
  const data = document.getElementById("citations");
  const page = data ? JSON.parse(data.textContent) : {};

  // The CSL-JSON item of `key`. A statement's names its source by number:
  // the page says each source, and its own address, once.
  function cslItem(key) {
    const fields = page.items?.[key];
    if (!fields) return undefined;
    const { source, ...item } = fields;
    if (source === undefined) return { id: key, ...item };
    const from = page.sources?.[source] ?? {};
    const permalink = `${page.page}#${key}`;
    return {
      id: key,
      ...item,
      publisher: from.publisher,
      "container-title": from["container-title"],
      URL: from.URL ?? permalink,
      accessed: from.accessed,
      note: `${page.found}: ${permalink}`,
    };
  }
  // The button's words, in the site's language (data-* of #citations).
  const words = {
    plainText: "Plain text",
    copy: "Copy",
    copied: "Copied",
    copyByHand: "Select and copy by hand",
    ...data?.dataset,
  };

  // Text safe inside a braced BibTeX value: no brace of it can end the value.
  const special = { "\\": "\\textbackslash{}", "^": "\\^{}", "~": "\\~{}", "\n": " ", "\r": " ", "\t": " " };
  const escape = (text) => text.replace(/[\\{}&%$#_^~\n\r\t]/g, (c) => special[c] ?? "\\" + c);
  // url fields are read verbatim: only what would break the value is escaped.
  const escapeUrl = (text) => escape(text).replace(/\\([_&#])/g, "$1");
  const date = (csl) =>
    csl?.["date-parts"]?.[0]?.map((n, i) => (i ? String(n).padStart(2, "0") : String(n))).join("-");

  // Names and titles are braced twice, so that an organisation is never
  // split into a first and a last name, nor a title's case changed.
  function bibtex(item) {
    const webpage = item.type === "webpage";
    const fields = webpage
      ? [["title", item.title, "name"], ["organization", item.publisher, "name"], ["date", date(item.issued)], ["url", item.URL, "url"]]
      : [
          ["author", item.author?.[0]?.literal, "name"],
          ["title", item.title, "name"],
          ["date", date(item.issued)],
          ["howpublished", [item.publisher, item["container-title"]].filter(Boolean).join(", ")],
          ["url", item.URL, "url"],
          ["urldate", date(item.accessed)],
          ["note", item.note],
        ];
    const lines = fields
      .filter(([, value]) => value)
      .map(([name, value, kind]) => {
        if (kind === "url") return `  ${name} = {${escapeUrl(value)}},\n`;
        if (kind === "name") return `  ${name} = {{${escape(value)}}},\n`;
        return `  ${name} = {${escape(value)}},\n`;
      });
    const key = String(item.id).replace(/[^A-Za-z0-9-]/g, "");
    return `@${webpage ? "online" : "misc"}{${key},\n${lines.join("")}}`;
  }

  function label(text) {
    const name = document.createElement("p");
    name.className = "cite-format";
    name.textContent = text;
    return name;
  }

  function addFormat(plain, name, className, text) {
    const pre = document.createElement("pre");
    pre.className = className;
    pre.textContent = text;
    plain.parentElement.append(label(name), pre);
  }

  // The page names no format: with one, it needs no name. Names come with
  // the others.
  for (const details of document.querySelectorAll("details.cite[data-cite]")) {
    const item = cslItem(details.dataset.cite);
    const plain = details.querySelector(".cite-text");
    if (!item || !plain) continue;
    if (!details.querySelector(".cite-format")) plain.before(label(words.plainText));
    addFormat(plain, "BibTeX", "cite-bibtex", bibtex(item));
    addFormat(plain, "CSL-JSON", "cite-csl", JSON.stringify([item], null, 2));
  }

  if (!navigator.clipboard) return;
  for (const pre of document.querySelectorAll("details.cite pre")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = words.copy;
    // Three buttons a citation: each named by its format ("Copy BibTeX"),
    // and what it did said aloud, not only shown.
    const format = pre.previousElementSibling?.classList.contains("cite-format")
      ? pre.previousElementSibling.textContent : "";
    if (format) button.setAttribute("aria-label", `${words.copy} ${format}`);
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = words.copied;
      } catch {
        button.textContent = words.copyByHand;
      }
      if (format) button.setAttribute("aria-label", `${button.textContent} ${format}`);
    });
    pre.before(button);
  }
})();

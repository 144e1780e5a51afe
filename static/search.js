// Search for an annals site, in the browser. The index is split in small
// files under search-index/ (see src/search.rs); a query fetches the manifest,
// the chunk of each of its words, and the records it shows.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  if (!form) return;
  const root = form.dataset.root || "/";
  const field = (name) => form.elements.namedItem(name);
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const PAGE = 20;

  const cache = new Map();
  const load = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(`${root}search-index/${path}`)
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null));
    }
    return cache.get(path);
  };

  // The same words as the index: Unicode word boundaries, lowercase,
  // accents removed.
  const segmenter = Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
  const words = (text) => {
    const parts = segmenter
      ? [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment)
      : text.split(/[^\p{L}\p{N}'’.]+/u);
    return parts
      .map((w) => w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase())
      .filter(Boolean);
  };
  const fileKey = (key) =>
    [...key].map((c) => (/^[a-z0-9]$/i.test(c) ? c : `_${c.codePointAt(0).toString(16)}`)).join("");

  const intersect = (a, b) => {
    const out = [];
    for (let i = 0, j = 0; i < a.length && j < b.length;) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  };
  const union = (lists) => [...new Set(lists.flat())].sort((x, y) => x - y);

  // Record ids of one query word; the last word also matches as a prefix,
  // so results come while typing.
  async function idsOf(word, manifest, prefix) {
    const key = [...word].slice(0, manifest.key_letters).join("");
    if (!manifest.keys.includes(key)) return [];
    const chunk = (await load(`w/${fileKey(key)}.json`)) || {};
    if (!prefix || [...word].length < manifest.key_letters) return chunk[word] || [];
    return union(Object.keys(chunk).filter((w) => w.startsWith(word)).map((w) => chunk[w]));
  }

  // Ids follow date order, newest first; a chunk's date span tells whether
  // any of its records can fall in the range.
  const inRange = (manifest, from, to) => (id) => {
    const [newest, oldest] = manifest.dates[Math.floor(id / manifest.chunk)] || [];
    return (!from || newest >= from) && (!to || oldest <= to);
  };

  // A record's date is as written: a year or a month covers its days, so
  // it matches when that span overlaps the range. `~` sorts after every
  // digit and `-`, so "2021-05~" is after every day of May 2021.
  const overlaps = (date, from, to) => (!from || `${date}~` >= from) && (!to || date <= to);

  async function matches(manifest, query) {
    let ids = null;
    const terms = words(query.q);
    for (const [i, word] of terms.entries()) {
      const found = await idsOf(word, manifest, i === terms.length - 1);
      ids = ids ? intersect(ids, found) : found;
    }
    if (query.person) {
      const said = (await load(`p/${query.person}.json`)) || [];
      ids = ids ? intersect(ids, said) : said;
    }
    if (!ids && (query.from || query.to)) ids = [...Array(manifest.records).keys()];
    return inDates(manifest, (ids || []).filter(inRange(manifest, query.from, query.to)), query);
  }

  // Exactly the ids whose date overlaps the range, so that the count, the
  // list and "Show more" agree. A chunk whose whole span lies inside the
  // range keeps all its ids unread; only chunks across an end of the range
  // are loaded, to look at each record's date.
  async function inDates(manifest, ids, { from, to }) {
    if (!from && !to) return ids;
    const kept = [];
    for (const id of ids) {
      const [newest, oldest] = manifest.dates[Math.floor(id / manifest.chunk)] || [];
      if ((!from || oldest >= from) && (!to || newest <= to)) { kept.push(id); continue; }
      const r = await record(manifest, id);
      if (r && overlaps(r.date, from, to)) kept.push(id);
    }
    return kept;
  }

  async function record(manifest, id) {
    const chunk = (await load(`r/${Math.floor(id / manifest.chunk)}.json`)) || [];
    return chunk[id % manifest.chunk];
  }

  function show(r) {
    const item = document.createElement("li");
    item.className = `result result-${r.kind}`;
    const link = document.createElement("a");
    link.href = root + r.url.replace(/^\//, "");
    link.textContent = r.person ? `${r.person}` : r.title;
    // Names and titles keep their own direction inside the English line.
    link.dir = "auto";
    const when = document.createElement("time");
    when.dateTime = r.date;
    when.textContent = r.date;
    const text = document.createElement(r.kind === "quote" ? "blockquote" : "p");
    text.className = "excerpt";
    text.textContent = r.text;
    text.dir = "auto";
    if (r.lang) text.lang = r.lang;
    const head = document.createElement("p");
    head.className = "result-head";
    head.append(link, " · ", when);
    if (r.article) {
      const title = document.createElement("bdi");
      title.textContent = r.article;
      head.append(" · in “", title, "”");
    }
    if (r.kind === "paraphrase") head.append(" · paraphrase");
    item.append(head, text);
    return item;
  }

  let run = 0;
  let pending = [];
  const query = () => ({
    q: field("q").value.trim(),
    person: field("person").value,
    from: field("from").value,
    to: field("to").value,
  });

  async function showMore(manifest, mine) {
    const shown = [];
    while (shown.length < PAGE && pending.length) {
      const r = await record(manifest, pending.shift());
      if (mine !== run) return;
      if (r) shown.push(r);
    }
    list.append(...shown.map(show));
    more.hidden = pending.length === 0;
  }

  async function search() {
    const mine = ++run;
    const q = query();
    const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v));
    history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
    const manifest = await load("index.json");
    if (mine !== run) return;
    list.replaceChildren();
    if (!manifest) { status.textContent = "The search index could not be loaded."; return; }
    if (!q.q && !q.person && !q.from && !q.to) { status.textContent = ""; more.hidden = true; return; }
    pending = await matches(manifest, q);
    if (mine !== run) return;
    const count = pending.length;
    status.textContent = count === 0 ? "Nothing found." : `${count} result${count === 1 ? "" : "s"}, newest first.`;
    await showMore(manifest, mine);
  }

  async function start() {
    const manifest = await load("index.json");
    const people = field("person");
    for (const [id, name] of Object.entries((manifest && manifest.people) || {})) {
      people.append(new Option(name, id));
    }
    const params = new URLSearchParams(location.search);
    for (const name of ["q", "person", "from", "to"]) {
      if (params.has(name)) field(name).value = params.get(name);
    }
    let timer;
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
    form.addEventListener("submit", (e) => { e.preventDefault(); search(); });
    more.addEventListener("click", async () => showMore(await load("index.json"), run));
    search();
  }
  start();
})();

// Search for an annals site, in the browser. The index is split in small
// files under search-index/ (see src/search/mod.rs), gzipped all but the
// manifest; a query fetches the manifest,
// the chunk of each of its words, the id list of each filter it uses, and
// the records it shows.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  if (!form) return;
  const root = form.dataset.root || "/";
  // The index of the page's language: results link from the site's root.
  const index = form.dataset.index || `${root}search-index/`;
  // The page's words for what the script writes, in the site's language
  // (data-* of the form); counts take the language's plural forms.
  const texts = form.dataset;
  const lang = document.documentElement.lang || "en";
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { useGrouping: "min2" });
  const results = (count, order) => {
    const key = "results" + plural.select(count).replace(/^./, (c) => c.toUpperCase());
    const pattern = texts[key] || texts.resultsOther || "{count}";
    return pattern.replace("{count}", number.format(count)).replace("{order}", order);
  };
  const field = (name) => form.elements.namedItem(name);
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const PAGE = 20;
  // Characters of a record's text a result shows, and of them how many
  // come before the first word found when that word is further in.
  const SHOWN = 280;
  const LEAD = 60;
  // Each a select whose options the manifest lists, and a folder of id
  // lists (f/<filter>/<value>.json.gz).
  const FILTERS = ["person", "publisher", "topic", "place", "kind", "source"];
  const FIELDS = ["q", ...FILTERS, "from", "to", "sort"];

  // A chunk's JSON from its gzipped bytes; a host that sent it with
  // Content-Encoding: gzip has had the browser decompress it already, which
  // gzip's first two bytes tell apart.
  const unzipped = async (response) => {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).json();
  };
  // A file of the index, fetched once. It fails when it cannot be read
  // (missing on the host, a dropped connection, a browser without
  // DecompressionStream), and the search then says so (`guarded`) rather
  // than "nothing found"; a failed file is fetched again next time.
  const cache = new Map();
  const load = (path) => {
    if (!cache.has(path)) {
      const read = path.endsWith(".gz") ? unzipped : (r) => r.json();
      const file = fetch(`${index}${path}`)
        .then((r) => (r.ok ? read(r) : Promise.reject(new Error(`${path}: ${r.status}`))));
      file.catch(() => cache.delete(path));
      cache.set(path, file);
    }
    return cache.get(path);
  };

  // The same words as the index: Unicode word boundaries, lowercase,
  // accents removed.
  const segmenter = Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
  // As the index folds them (src/words.rs): Arabic letters readers type
  // for each other as one, the tatweel dropped, Arabic-Indic and Persian
  // digits as 0-9, their thousands and decimal separators as `,` and `.`.
  const arabic = { "\u0629": "\u0647", "\u0649": "\u064A", "\u06CC": "\u064A", "\u06A9": "\u0643", "\u0640": "" };
  // Both runs of digits start at a multiple of 16.
  const digit = (c) => String(c.charCodeAt(0) % 16);
  const fold = (w) => w.normalize("NFD").replace(/\p{M}/gu, "")
    .replace(/[\u0629\u0649\u06CC\u06A9\u0640]/g, (c) => arabic[c])
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, digit)
    .replace(/\u066C/g, ",").replace(/\u066B/g, ".").toLowerCase();
  // A text in pieces, each a word or what lies between words; joined,
  // they are the text.
  const pieces = (text) => joined(segmenter
    ? [...segmenter.segment(text)].map((s) => ({ text: s.segment, word: Boolean(s.isWordLike) }))
    : text.split(/([\p{L}\p{N}'’.]+)/u).map((t, i) => ({ text: t, word: i % 2 === 1 })));
  // Chromium's segmenter breaks "U.S." at its stops, where the index (and
  // Unicode's word rules) keep `u.s` whole: two words with a stop or an
  // apostrophe between letters, or between digits, are one again here.
  const inner = (mark, before, after) =>
    (/^[.'’]$/.test(mark) && ((/\p{L}$/u.test(before) && /^\p{L}/u.test(after))
      || (/\p{N}$/u.test(before) && /^\p{N}/u.test(after))))
    || (/^[:·]$/.test(mark) && /\p{L}$/u.test(before) && /^\p{L}/u.test(after));
  function joined(list) {
    const out = [];
    for (let i = 0; i < list.length; i++) {
      const last = out[out.length - 1];
      const next = list[i + 1];
      if (last?.word && next?.word && !list[i].word && inner(list[i].text, last.text, next.text)) {
        last.text += list[i].text + next.text;
        i++;
      } else {
        out.push({ ...list[i] });
      }
    }
    return out;
  }
  const words = (text) => pieces(text).filter((p) => p.word).map((p) => fold(p.text)).filter(Boolean);
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

  // A word's postings: ids, written `-1 - id` (`~id`) where the word is in
  // what the result shows, which relevance counts.
  const postings = (list) => ({
    ids: list.map((x) => (x < 0 ? ~x : x)),
    shown: list.filter((x) => x < 0).map((x) => ~x),
  });

  // A word's chunk: the longest key that starts it. A large chunk is split
  // by its words' next letter (`co` into `coa`, `cou`…), so keys differ in
  // length; a word no longer than a key is under that key itself.
  const keyOf = (word, manifest) => {
    const letters = [...word];
    const fewest = Math.min(letters.length, manifest.key_letters);
    for (let n = letters.length; n >= fewest && n > 0; n--) {
      const key = letters.slice(0, n).join("");
      if (manifest.keys.includes(key)) return key;
    }
    return null;
  };
  // The chunks that may hold a word `word` starts: its own and those split
  // off under it (`cease` for "ce"); at most PREFIX_CHUNKS, beyond which a
  // typed word is matched whole (typing "co" does not fetch every `co…`).
  const PREFIX_CHUNKS = 8;
  const prefixChunks = (word, manifest) => {
    if ([...word].length < manifest.key_letters) return null;
    const under = manifest.keys.filter((key) => key.length > word.length && key.startsWith(word));
    const chunks = [keyOf(word, manifest), ...under].filter((key) => key !== null);
    return chunks.length <= PREFIX_CHUNKS ? chunks : null;
  };
  const prefixable = (word, manifest) => prefixChunks(word, manifest) !== null;

  // Record ids of one query word, and those showing it; the last word also
  // matches as a prefix, so results come while typing.
  async function idsOf(word, manifest, prefix) {
    const chunks = prefix ? prefixChunks(word, manifest) : null;
    const keys = chunks ?? [keyOf(word, manifest)].filter((key) => key !== null);
    const loaded = await Promise.all(keys.map((key) => load(`w/${fileKey(key)}.json.gz`)));
    const found = chunks === null
      ? loaded.map((chunk) => chunk[word] || [])
      : loaded.flatMap((chunk) => Object.keys(chunk).filter((w) => w.startsWith(word)).map((w) => chunk[w]));
    const each = found.map(postings);
    return { ids: union(each.map((p) => p.ids)), shown: new Set(each.flatMap((p) => p.shown)) };
  }

  // A filter value's record ids, kept as gaps from the id before.
  async function filtered(manifest, name, value) {
    if (!((await load("filters.json.gz"))[name] || {})[value]) return [];
    const gaps = await load(`f/${name}/${encodeURIComponent(value)}.json.gz`);
    let id = 0;
    return gaps.map((gap) => (id += gap));
  }

  // Ids follow date order, newest first; a chunk's date span tells whether
  // any of its records can fall in the range. Undated records (pages such
  // as the methodology) come last, from `dated` on, and fall in none.
  const inRange = (manifest, from, to) => (id) => {
    if (!from && !to) return true;
    if (id >= manifest.dated) return false;
    const [newest, oldest] = manifest.dates[Math.floor(id / manifest.chunk)] || [];
    return (!from || newest >= from) && (!to || oldest <= to);
  };

  // A record's date is as written: a year or a month covers its days, so
  // it matches when that span overlaps the range. `~` sorts after every
  // digit and `-`, so "2021-05~" is after every day of May 2021.
  // An undated record (a page) overlaps no range.
  const overlaps = (date, from, to) =>
    date ? (!from || `${date}~` >= from) && (!to || date <= to) : !from && !to;

  async function matches(manifest, query) {
    let ids = null;
    const shown = [];
    const terms = words(query.q);
    for (const [i, word] of terms.entries()) {
      const found = await idsOf(word, manifest, i === terms.length - 1);
      ids = ids ? intersect(ids, found.ids) : found.ids;
      shown.push(found.shown);
    }
    for (const name of FILTERS.filter((n) => query[n])) {
      const kept = await filtered(manifest, name, query[name]);
      ids = ids ? intersect(ids, kept) : kept;
    }
    if (!ids && (query.from || query.to)) ids = [...Array(manifest.records).keys()];
    const found = await inDates(manifest, (ids || []).filter(inRange(manifest, query.from, query.to)), query);
    return query.sort === "relevance" ? byRelevance(found, shown) : found;
  }

  // Most query words in what the result shows first; ties newest first,
  // which is id order. Only the index is read, never a record.
  function byRelevance(ids, shown) {
    const score = (id) => shown.reduce((n, set) => n + (set.has(id) ? 1 : 0), 0);
    return ids.map((id) => [score(id), id])
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .map(([, id]) => id);
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
    const chunk = await load(`r/${Math.floor(id / manifest.chunk)}.json.gz`);
    return chunk[id % manifest.chunk];
  }

  // Whether a word of a result is one the query found: the last query word
  // also as a prefix when it is long enough to be one, as `idsOf` matched.
  const finder = (terms, manifest) => (word) => {
    const w = fold(word);
    const last = terms.length - 1;
    return terms.some((t, i) => w === t || (i === last && prefixable(t, manifest) && w.startsWith(t)));
  };

  // A text's pieces into `element`, the words found in <mark>. Text nodes
  // only: index text is what editors wrote, never markup.
  function marked(element, parts, found) {
    for (const p of parts) {
      if (p.word && found(p.text)) {
        const mark = document.createElement("mark");
        mark.textContent = p.text;
        element.append(mark);
      } else {
        element.append(p.text);
      }
    }
    element.normalize();
    return element;
  }

  // At most SHOWN characters of `text`, starting a little before the first
  // word found when it lies further in; an ellipsis where text is left out.
  function excerpt(text, found) {
    const parts = pieces(text);
    const starts = [];
    parts.reduce((n, p) => { starts.push(n); return n + p.text.length; }, 0);
    const hit = parts.findIndex((p) => p.word && found(p.text));
    const first = hit > 0 && starts[hit] > LEAD
      ? parts.findIndex((p, j) => p.word && starts[j] >= starts[hit] - LEAD)
      : 0;
    let end = first;
    while (end < parts.length && (end === first || starts[end] + parts[end].text.length - starts[first] <= SHOWN)) end++;
    const ellipsis = { text: "…", word: false };
    return [
      ...(first > 0 ? [ellipsis] : []),
      ...parts.slice(first, end),
      ...(end < parts.length ? [ellipsis] : []),
    ];
  }

  // An untranslated original, in another language's search: its page's
  // language on the link, and a label naming it, as the lists show it.
  let languages = {};
  function original(r, link, head) {
    link.hreflang = r.original;
    if (r.kind === "article" || r.kind === "page") link.lang = r.original;
    const article = head.querySelector("bdi");
    if (article) article.lang = r.original;
    const label = document.createElement("span");
    label.className = "badge badge-language";
    label.lang = r.original;
    label.textContent = languages[r.original] || r.original;
    link.after(" ", label);
  }

  function show(r, found) {
    const item = document.createElement("li");
    item.className = `result result-${r.kind}`;
    const link = document.createElement("a");
    link.href = root + r.url.replace(/^\//, "");
    marked(link, pieces(r.person || r.title), found);
    // Names and titles keep their own direction inside the page's line.
    link.dir = "auto";
    const text = document.createElement(r.kind === "quote" ? "blockquote" : "p");
    text.className = "excerpt";
    marked(text, excerpt(r.text, found), found);
    text.dir = "auto";
    if (r.lang) text.lang = r.lang;
    const head = document.createElement("p");
    head.className = "result-head";
    head.append(link);
    if (r.date) {
      const when = document.createElement("time");
      when.dateTime = r.date;
      when.textContent = r.when || r.date;
      head.append(" · ", when);
    }
    if (r.article) {
      const [before, after = ""] = texts.inArticle.split("{article}");
      head.append(` · ${before}`, marked(document.createElement("bdi"), pieces(r.article), found), after);
    }
    if (r.kind === "paraphrase") head.append(` · ${texts.paraphrase}`);
    item.append(head, text);
    // A statement's translation into the page's language, as its pages
    // show it.
    if (r.translation) {
      const translation = marked(document.createElement("p"), excerpt(r.translation, found), found);
      translation.className = "excerpt translation";
      translation.dir = "auto";
      item.append(translation);
    }
    if (r.original) original(r, link, head);
    return item;
  }

  let run = 0;
  let pending = [];
  let found = () => false;
  const query = () => Object.fromEntries(FIELDS.map((name) => [name, field(name).value.trim()]));

  async function showMore(manifest, mine) {
    const shown = [];
    while (shown.length < PAGE && pending.length) {
      const r = await record(manifest, pending.shift());
      if (mine !== run) return;
      if (r) shown.push(r);
    }
    const items = shown.map((r) => show(r, found));
    list.append(...items);
    more.hidden = pending.length === 0;
    return items[0];
  }

  // Runs `work` for the search numbered `mine`: a file of the index it
  // cannot read leaves no results but the words saying so, unless a newer
  // search has begun meanwhile.
  async function guarded(mine, work) {
    try {
      await work();
    } catch {
      if (mine !== run) return;
      list.replaceChildren();
      status.textContent = texts.unavailable;
      more.hidden = true;
    }
  }

  async function search() {
    const mine = ++run;
    const q = query();
    const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v));
    history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
    await guarded(mine, async () => {
      const manifest = await load("index.json");
      if (mine !== run) return;
      list.replaceChildren();
      const asked = FIELDS.some((name) => name !== "sort" && q[name]);
      if (!asked) { status.textContent = ""; more.hidden = true; return; }
      pending = await matches(manifest, q);
      if (mine !== run) return;
      found = finder(words(q.q), manifest);
      const count = pending.length;
      const order = q.sort === "relevance" && q.q ? texts.relevant : texts.newest;
      status.textContent = count === 0 ? texts.nothing : results(count, order);
      await showMore(manifest, mine);
    });
  }

  async function start() {
    // Without a manifest the form still works: each search says the index
    // could not be loaded.
    const manifest = await load("index.json").catch(() => null);
    languages = (manifest && manifest.languages) || {};
    // The filters' options (every person of the record among them) are
    // read when the filters are opened or a search uses one, not by every
    // search. By the names shown, as the page's language orders them: the
    // file has them by id, which for a name in Arabic is Latin letters.
    const byName = new Intl.Collator(document.documentElement.lang || undefined).compare;
    let options = null;
    const withOptions = () => (options ??= load("filters.json.gz").then((filters) => {
      for (const name of FILTERS) {
        const sorted = Object.entries(filters[name] || {}).sort((a, b) => byName(a[1], b[1]));
        field(name).append(...sorted.map(([value, label]) => new Option(label, value)));
      }
    }, () => { options = null; }));
    const params = new URLSearchParams(location.search);
    if (FILTERS.some((name) => params.get(name))) await withOptions();
    for (const name of FIELDS) {
      if (params.has(name)) field(name).value = params.get(name);
    }
    // The filters fold away so that results start on a phone's first
    // screen; a search that uses any opens them, to show what it keeps.
    const folded = document.getElementById("search-options");
    folded.addEventListener("toggle", () => { if (folded.open) withOptions(); });
    if (FIELDS.some((name) => name !== "q" && field(name).value)) folded.open = true;
    let timer;
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
    form.addEventListener("submit", (e) => { e.preventDefault(); search(); });
    // The keyboard goes on where the new results begin: "Show more" may
    // be gone once they are all shown, and a screen reader reads on there.
    more.addEventListener("click", () => {
      const mine = run;
      guarded(mine, async () => {
        const first = await showMore(await load("index.json"), mine);
        if (mine === run) first?.querySelector("a")?.focus();
      });
    });
    search();
  }
  start();
})();

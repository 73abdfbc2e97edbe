/*
 * gongkai search: Chinese full-text search over a term-sharded lunr 2.3.9 index.
 *
 * Works from file:// as well as over HTTP: no fetch, XHR, workers or modules. Every index
 * file is a classic script that calls a registration function on window.GongkaiSearch
 * (meta, shard, docs, facets); this file injects those scripts on demand and keeps one
 * promise per file.
 *
 * Flow of a query: tokens -> terms (queryTerms, identical to gongkai/search/tokenize.py)
 * -> the shards those terms hash to (termHash, identical to shard_format.py), each turned
 * into a lunr index on load (expandShard: raw postings + corpus statistics -> BM25) -> one lunr
 * query per shard with every term required -> AND across shards, scores summed after undoing
 * lunr's per-query normalisation -> filters on the facet chunks -> the doc-store chunks of
 * the results on screen -> rendering with <mark> highlights found by string search.
 *
 * The lunr pipelines are empty on both sides: lunr's trimmer, stemmer and stop words are
 * English-only and would empty Chinese tokens. Queries are built with index.query(q => q.term())
 * because the query-string parser throws on input such as "预算:x".
 */
(function (global) {
  "use strict";

  // ---------------------------------------------------------------------------------------
  // Tokeniser: mirror of the rules of gongkai/search/tokenize.py. Its character classes and
  // the query-term cap are not written here: search/meta.js carries them (Python's
  // index.shared_constants), and useConstants builds the tokeniser from them.
  // ---------------------------------------------------------------------------------------
  var RUN_SOURCE = null;
  var DROP = null; // quotation and title marks, dropped: “三公”经费 → 三公经费
  var MAX_QUERY_TERMS = 0;
  // lunr's BM25 parameters, from meta.bm25 (Python: shard_format.K1 / B).
  var K1 = NaN;
  var B = NaN;

  // The format and hash scheme this file implements; meta.js must name the same.
  var FORMAT_VERSION = 3;
  var HASH_SCHEME = "fnv1a32-codepoints-fmix32";

  /** Take the shared constants from a meta.js of the format this file reads. */
  function useConstants(meta) {
    if (!meta || meta.version !== FORMAT_VERSION || meta.hash !== HASH_SCHEME) return;
    var t = meta.tokenizer;
    RUN_SOURCE = "([" + t.cjk + "]+)|[" + t.digits + "]+|[" + t.letters + "]+";
    DROP = new RegExp("[" + t.drop + "]", "gu");
    MAX_QUERY_TERMS = meta.maxTerms;
    K1 = meta.bm25.k1;
    B = meta.bm25.b;
  }

  function requireConstants() {
    if (RUN_SOURCE === null) throw new Error("search/meta.js (format " + FORMAT_VERSION + ") is not loaded");
  }

  function normalize(text) {
    requireConstants();
    return String(text == null ? "" : text).normalize("NFKC").toLowerCase().replace(DROP, "");
  }

  /** [[isCjk, run], ...] of the normalised text; separators dropped. */
  function runs(text) {
    var re = new RegExp(RUN_SOURCE, "gu");
    var s = normalize(text);
    var out = [];
    var m;
    while ((m = re.exec(s)) !== null) {
      out.push([m[1] !== undefined, m[0]]);
    }
    return out;
  }

  /** Index-side tokens: c1 c1c2 c2 c2c3 ... cn for CJK runs; digit and letter runs whole. */
  function tokenize(text) {
    var out = [];
    runs(text).forEach(function (r) {
      var chars = Array.from(r[1]);
      if (!r[0] || chars.length === 1) {
        out.push(r[1]);
        return;
      }
      for (var i = 0; i < chars.length; i++) {
        out.push(chars[i]);
        if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1]);
      }
    });
    return out;
  }

  /** Required terms of a user query: bigrams of CJK runs (a lone character as itself). */
  function queryTerms(text) {
    var seen = Object.create(null);
    var out = [];
    function add(term) {
      if (!(term in seen)) {
        seen[term] = true;
        out.push(term);
      }
    }
    runs(text).forEach(function (r) {
      var chars = Array.from(r[1]);
      if (r[0] && chars.length > 1) {
        for (var i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
      } else {
        add(r[1]);
      }
    });
    return out.slice(0, MAX_QUERY_TERMS);
  }

  /** FNV-1a over code points + murmur3 fmix32: mirror of shard_format.term_hash. */
  function termHash(term) {
    var h = 0x811c9dc5;
    for (var ch of term) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  var PAGE_SIZE = 10;
  var SNIPPET_LENGTH = 110;

  // ---------------------------------------------------------------------------------------
  // Loading index files: one promise per file, settled by the file's registration call.
  // ---------------------------------------------------------------------------------------
  var registry = { meta: {}, shard: {}, docs: {}, facets: {}, lengths: {} };
  var config = { root: "", loadScript: null, lunr: null };

  function entry(kind, key) {
    var table = registry[kind];
    var e = table[key];
    if (!e) {
      e = table[key] = { value: undefined, settled: false, requested: false };
      e.promise = new Promise(function (resolve, reject) {
        e.resolve = resolve;
        e.reject = reject;
      });
    }
    return e;
  }

  function register(kind, key, value) {
    var e = entry(kind, key);
    if (!e.settled) {
      e.settled = true;
      e.value = value;
      e.resolve(value);
    }
  }

  function defaultLoadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = function () {
        s.remove();
        resolve();
      };
      s.onerror = function () {
        s.remove();
        reject(new Error("无法加载 " + url));
      };
      (document.head || document.documentElement).appendChild(s);
    });
  }

  function load(kind, key, path) {
    var e = entry(kind, key);
    if (!e.requested && !e.settled) {
      e.requested = true;
      var loader = config.loadScript || defaultLoadScript;
      var fail = function (err) {
        if (e.settled) return;
        if (registry[kind][key] === e) delete registry[kind][key]; // a later query retries
        e.reject(err);
      };
      Promise.resolve()
        .then(function () {
          return loader(config.root + path);
        })
        .then(function () {
          fail(new Error(path + " did not register"));
        }, fail);
    }
    return e.promise;
  }

  function metaReady() {
    var e = entry("meta", "");
    if (!e.settled && !e.requested && typeof document !== "undefined") {
      // The page normally includes search/meta.js itself; if not, fetch it once ourselves.
      return load("meta", "", "search/meta.js");
    }
    return e.promise;
  }

  function lunrLib() {
    var l = config.lunr || global.lunr;
    if (!l) throw new Error("lunr.js is not loaded");
    return l;
  }

  function shardName(meta, term) {
    return (termHash(term) % meta.shards).toString(16).padStart(meta.shardWidth, "0");
  }

  /**
   * The lunr serialised index of one shard, from its raw postings (gongkai/search/
   * shard_format.py). Each posting is one number: ((ref * 8 + field) * 2^20 + length) * 2^10
   * + tf; the body's length is 0 there and comes from search/lengths/ instead. Weights are
   * computed exactly as lunr.js's Builder does (same expression, same rounding), with the
   * corpus-wide document count and average field lengths from meta.js, so a shard depends only
   * on its own terms and a rebuild rewrites only the shards whose terms changed. Mirror of
   * shard_format.lunr_index.
   */
  function expandShard(meta, data, bodyLength) {
    var n = meta.docs;
    var fields = meta.fields;
    var avg = meta.lengths.map(function (total) { return n ? total / n : 0; });
    var inverted = [];
    var vectors = Object.create(null);
    var order = [];
    for (var i = 0; i < data.t.length; i++) {
      var codes = data.p[i];
      var withTerm = codes.length; // lunr counts a document once per field it matches in
      var x = (n - withTerm + 0.5) / (withTerm + 0.5);
      var idf = Math.log(1 + Math.abs(x));
      var posting = { _index: i };
      for (var k = 0; k < fields.length; k++) posting[fields[k]] = {};
      for (var j = 0; j < codes.length; j++) {
        var code = codes[j];
        var tf = code % 1024;
        var rest = (code - tf) / 1024;
        var length = rest % 1048576;
        rest = (rest - length) / 1048576;
        var f = rest % 8;
        var ref = String((rest - f) / 8);
        if (f === meta.body) length = bodyLength(+ref);
        var name = fields[f];
        posting[name][ref] = {};
        var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / avg[f])) + tf);
        score *= meta.boosts[f];
        var key = name + "/" + ref;
        var vector = vectors[key];
        if (!vector) {
          vector = vectors[key] = [];
          order.push(key);
        }
        vector.push(i, Math.round(score * 1000) / 1000);
      }
      inverted.push([data.t[i], posting]);
    }
    return {
      version: meta.lunr,
      fields: fields,
      fieldVectors: order.map(function (key) { return [key, vectors[key]]; }),
      invertedIndex: inverted,
      pipeline: [],
    };
  }

  /** The body-length chunks a shard's body postings need. */
  function lengthChunks(meta, data) {
    var per = meta.lengthsPerChunk;
    var seen = Object.create(null);
    var out = [];
    for (var i = 0; i < data.p.length; i++) {
      var codes = data.p[i];
      for (var j = 0; j < codes.length; j++) {
        var rest = Math.floor(codes[j] / 1073741824); // 2^30: drop tf and length
        if (rest % 8 !== meta.body) continue;
        var c = Math.floor((rest - meta.body) / 8 / per);
        if (!seen[c]) {
          seen[c] = true;
          out.push(c);
        }
      }
    }
    return out;
  }

  function loadShard(meta, name) {
    return load("shard", name, "search/shards/" + name + ".js").then(function (data) {
      var e = registry.shard[name];
      if (e.index) return e.index;
      var per = meta.lengthsPerChunk;
      return Promise.all(lengthChunks(meta, data).map(function (c) {
        return load("lengths", String(c), "search/lengths/" + c + ".js");
      })).then(function () {
        if (!e.index) {
          var bodyLength = function (ref) {
            return registry.lengths[String(Math.floor(ref / per))].value[ref % per];
          };
          e.index = lunrLib().Index.load(expandShard(meta, data, bodyLength));
        }
        return e.index;
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Query: per-shard lunr queries, AND across shards, exact score recombination.
  // ---------------------------------------------------------------------------------------

  var HIT_CACHE_SIZE = 24;
  var hitCache = new Map(); // terms -> hits, most recent last

  /**
   * Hits of a list of terms, remembered for the last few queries: paging, changing a filter
   * or going back to an earlier query does not query lunr again.
   */
  function searchTerms(meta, terms) {
    var key = terms.join(" ");
    if (hitCache.has(key)) {
      var cached = hitCache.get(key);
      hitCache.delete(key);
      hitCache.set(key, cached);
      return Promise.resolve(cached);
    }
    return searchShards(meta, terms).then(function (hits) {
      hitCache.set(key, hits);
      if (hitCache.size > HIT_CACHE_SIZE) hitCache.delete(hitCache.keys().next().value);
      return hits;
    });
  }

  /** lunr.MatchData stand-in: collects nothing. See queryShard. */
  function NoMatchData() {
    this.metadata = Object.create(null);
  }
  NoMatchData.prototype.add = function () {};
  NoMatchData.prototype.combine = function () {};

  /**
   * lunr query of one shard with every term required. Built with index.query and q.term, never
   * the query-string parser (which throws on "预算:x").
   *
   * While the query runs, lunr.MatchData is swapped for a collector that records nothing:
   * lunr builds match metadata for every (document, field) of every posting, which is about
   * 40% of the time of a query on a common term, and we never read it (pre-tokenised lunr has
   * no positions; snippets come from string search). Queries are synchronous, so nothing else
   * can observe the swap, and it is undone in `finally`.
   */
  function queryShard(l, index, terms) {
    var original = l.MatchData;
    l.MatchData = NoMatchData;
    try {
      return index.query(function (q) {
        terms.forEach(function (t) {
          q.term(t, {
            presence: l.Query.presence.REQUIRED,
            usePipeline: false,
            wildcard: l.Query.wildcard.NONE,
          });
        });
      });
    } finally {
      l.MatchData = original;
    }
  }

  /**
   * One lunr query per shard, every term required (AND), then AND across shards.
   *
   * lunr scores a document as sum over fields of dot(query, field) / |query|, with |query| =
   * sqrt(number of distinct query terms) when every term is present. A shard only sees its
   * own n_s terms, so its score is divided by sqrt(n_s): multiplying back by sqrt(n_s) and
   * dividing the sum by sqrt(n) gives exactly what one unsharded index would return.
   */
  function searchShards(meta, terms) {
    var groups = Object.create(null);
    var names = [];
    terms.forEach(function (t) {
      var name = shardName(meta, t);
      if (!groups[name]) {
        groups[name] = [];
        names.push(name);
      }
      groups[name].push(t);
    });
    return Promise.all(names.map(function (n) { return loadShard(meta, n); })).then(function (indexes) {
      var l = lunrLib();
      // A term absent from its shard means no document has it: skip the lunr queries.
      var missing = indexes.some(function (index, i) {
        return groups[names[i]].some(function (t) { return !(t in index.invertedIndex); });
      });
      if (missing) return [];
      var combined = null;
      for (var i = 0; i < indexes.length; i++) {
        var shardTerms = groups[names[i]];
        var results = queryShard(l, indexes[i], shardTerms);
        var weight = Math.sqrt(shardTerms.length);
        var scores = new Map();
        results.forEach(function (r) { scores.set(r.ref, r.score * weight); });
        if (combined === null) {
          combined = scores;
        } else {
          var next = new Map();
          combined.forEach(function (score, ref) {
            if (scores.has(ref)) next.set(ref, score + scores.get(ref));
          });
          combined = next;
        }
        if (combined.size === 0) break;
      }
      var norm = Math.sqrt(terms.length);
      var hits = [];
      (combined || new Map()).forEach(function (score, ref) {
        hits.push({ ref: ref, n: parseInt(ref, 10), score: score / norm });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
      return hits;
    });
  }

  var FILTER_NAMES = ["area", "kind", "year", "village"];

  /** Keep hits whose facet row matches every active filter (facet chunks load on demand). */
  function applyFilters(meta, hits, filters) {
    var active = [];
    FILTER_NAMES.forEach(function (name, column) {
      var value = filters && filters[name];
      if (!value) return;
      var code = -2; // matches nothing if the value is unknown
      (meta.filters[name] || []).forEach(function (opt, i) { if (opt[0] === value) code = i; });
      active.push([column, code]);
    });
    if (!active.length || !hits.length) return Promise.resolve(hits);
    var per = meta.facetsPerChunk;
    var chunks = [];
    hits.forEach(function (h) {
      var c = Math.floor(h.n / per);
      if (chunks.indexOf(c) < 0) chunks.push(c);
    });
    return Promise.all(chunks.map(function (c) {
      return load("facets", String(c), "search/facets/" + c + ".js");
    })).then(function () {
      return hits.filter(function (h) {
        var row = registry.facets[String(Math.floor(h.n / per))].value[h.n % per];
        return active.every(function (a) {
          return a[0] === 3 ? row[3].indexOf(a[1]) >= 0 : row[a[0]] === a[1];
        });
      });
    });
  }

  /** Display data of the given hits (their doc-store chunks load on demand). */
  function loadDocs(meta, hits) {
    var per = meta.docsPerChunk;
    var chunks = [];
    hits.forEach(function (h) {
      var c = Math.floor(h.n / per);
      if (chunks.indexOf(c) < 0) chunks.push(c);
    });
    return Promise.all(chunks.map(function (c) {
      return load("docs", String(c), "search/docs/" + c + ".js");
    })).then(function () {
      return hits.map(function (h) {
        return registry.docs[String(Math.floor(h.n / per))].value[h.n % per];
      });
    });
  }

  /**
   * Run a query: resolves to {query, terms, hits, total, page, pages, docs} where docs are
   * the display entries of the requested page. Never throws on user input.
   */
  function run(query, filters, page) {
    return metaReady().then(function (meta) {
      if (meta.hash !== HASH_SCHEME) throw new Error("index hash scheme " + meta.hash);
      if (meta.version !== FORMAT_VERSION) throw new Error("index format " + meta.version);
      var terms = queryTerms(query || "");
      var found = terms.length ? searchTerms(meta, terms) : Promise.resolve([]);
      return found
        .then(function (hits) { return applyFilters(meta, hits, filters || {}); })
        .then(function (hits) {
          var pages = Math.max(1, Math.ceil(hits.length / PAGE_SIZE));
          var p = Math.min(Math.max(1, page || 1), pages);
          var shown = hits.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE);
          return loadDocs(meta, shown).then(function (docs) {
            var result = {
              query: query || "", terms: terms, hits: hits, total: hits.length,
              page: p, pages: pages, docs: docs,
            };
            api.last = result;
            return result;
          });
        });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Highlighting: string search in the stored text (pre-tokenised lunr keeps no positions).
  // ---------------------------------------------------------------------------------------

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /**
   * Strings to mark: the whole query if it occurs as typed (a 文号 with its brackets), else
   * each query run; a CJK run that does not occur whole falls back to its bigrams.
   */
  function needlesFor(query, normText) {
    var whole = normalize(query).trim();
    if (whole && /\s/.test(whole) === false && normText.indexOf(whole) >= 0 && runs(whole).length > 1) {
      return [whole];
    }
    var out = [];
    runs(query).forEach(function (r) {
      if (normText.indexOf(r[1]) >= 0 || !r[0]) {
        out.push(r[1]);
      } else {
        var chars = Array.from(r[1]);
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      }
    });
    return out.sort(function (a, b) { return b.length - a.length; });
  }

  /**
   * Normalise text character by character, remembering for each UTF-16 unit of the
   * normalised string which original character it came from, so matches found in
   * normalised text (full-width digits, upper case) map back to the original.
   */
  function normalizedWithMap(text) {
    var chars = Array.from(text);
    var norm = "";
    var origin = [];
    for (var i = 0; i < chars.length; i++) {
      var n = normalize(chars[i]);
      for (var j = 0; j < n.length; j++) origin.push(i);
      norm += n;
    }
    origin.push(chars.length);
    return { chars: chars, norm: norm, origin: origin };
  }

  /** Character ranges [start, end) of the original text matching any needle, merged. */
  function matchRanges(mapped, needles) {
    var ranges = [];
    needles.forEach(function (needle) {
      if (!needle) return;
      var from = 0;
      var at;
      while ((at = mapped.norm.indexOf(needle, from)) >= 0) {
        ranges.push([mapped.origin[at], mapped.origin[at + needle.length - 1] + 1]);
        from = at + needle.length;
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /** HTML of chars[start:end) with <mark> around the ranges, everything escaped. */
  function markup(chars, ranges, start, end) {
    var html = "";
    var pos = start;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], start);
      var b = Math.min(r[1], end);
      if (a >= b) return;
      html += escapeHtml(chars.slice(pos, a).join("")) + "<mark>" + escapeHtml(chars.slice(a, b).join("")) + "</mark>";
      pos = b;
    });
    return html + escapeHtml(chars.slice(pos, end).join(""));
  }

  /** Highlighted HTML of a short text (titles). */
  function highlight(text, query) {
    var mapped = normalizedWithMap(text || "");
    var ranges = matchRanges(mapped, needlesFor(query, mapped.norm));
    return markup(mapped.chars, ranges, 0, mapped.chars.length);
  }

  /** A window of the body around its first match, highlighted; the opening if no match. */
  function snippet(text, query, length) {
    length = length || SNIPPET_LENGTH;
    var mapped = normalizedWithMap(text || "");
    var ranges = matchRanges(mapped, needlesFor(query, mapped.norm));
    var total = mapped.chars.length;
    var start = ranges.length ? Math.max(0, ranges[0][0] - Math.floor(length / 4)) : 0;
    var end = Math.min(total, start + length);
    start = Math.max(0, Math.min(start, end - length));
    return (start > 0 ? "…" : "") + markup(mapped.chars, ranges, start, end) + (end < total ? "…" : "");
  }

  // ---------------------------------------------------------------------------------------
  // Page integration (browser only).
  // ---------------------------------------------------------------------------------------

  function resultHtml(doc, query) {
    var href = escapeHtml(config.root + doc.u);
    var meta = [];
    if (doc.k) meta.push('<span class="search-result-kind">' + escapeHtml(doc.k) + "</span>");
    if (doc.d) meta.push('<time datetime="' + escapeHtml(doc.d) + '">' + escapeHtml(doc.d) + "</time>");
    if (doc.n) meta.push('<span class="search-result-docno">' + highlight(doc.n, query) + "</span>");
    if (doc.v && doc.v.length) meta.push('<span class="search-result-villages">' + highlight(doc.v.join("、"), query) + "</span>");
    if (doc.l) meta.push('<span class="search-result-attribute">' + escapeHtml(doc.l) + "</span>");
    var text = doc.x
      ? snippet(doc.x, query)
      : highlight([doc.a, doc.m].filter(Boolean).join(" · "), query);
    return '<li class="search-result">' +
      '<h2 class="search-result-title"><a href="' + href + '">' + highlight(doc.t, query) + "</a></h2>" +
      '<p class="search-result-meta">' + meta.join(" ") + "</p>" +
      (text ? '<p class="search-result-snippet">' + text + "</p>" : "") +
      "</li>";
  }

  function pageHref(state, page) {
    return "?" + stateParams(state, page).toString();
  }

  function stateParams(state, page) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTER_NAMES.forEach(function (name) {
      if (state.filters[name]) params.set(name, state.filters[name]);
    });
    if (page && page > 1) params.set("page", String(page));
    return params;
  }

  function pagerHtml(state, result) {
    if (result.pages <= 1) return "";
    var parts = [];
    if (result.page > 1) {
      parts.push('<a class="search-pager-prev" rel="prev" data-page="' + (result.page - 1) + '" href="' + escapeHtml(pageHref(state, result.page - 1)) + '">上一页</a>');
    }
    parts.push('<span class="search-pager-current">第 ' + result.page + " / " + result.pages + " 页</span>");
    if (result.page < result.pages) {
      parts.push('<a class="search-pager-next" rel="next" data-page="' + (result.page + 1) + '" href="' + escapeHtml(pageHref(state, result.page + 1)) + '">下一页</a>');
    }
    return parts.join(" ");
  }

  function fillSelect(select, options) {
    if (select.options.length > 1 || !options) return;
    if (select.options.length === 0) select.add(new Option("全部", ""));
    options.forEach(function (opt) { select.add(new Option(opt[1], opt[0])); });
  }

  function initPage() {
    var container = document.getElementById("search-results");
    if (!container) return; // other pages: the form simply submits to search.html
    var inputs = Array.prototype.slice.call(document.querySelectorAll(".search-form input[name=q]"));
    var selects = {};
    FILTER_NAMES.forEach(function (name) {
      var el = document.querySelector("select[name=" + name + "]");
      if (el) selects[name] = el;
    });

    var status = document.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.tabIndex = -1;
    var list = document.createElement("ol");
    list.className = "search-results-list";
    var pager = document.createElement("nav");
    pager.className = "search-pager";
    pager.setAttribute("aria-label", "搜索结果分页");
    container.textContent = "";
    container.appendChild(status);
    container.appendChild(list);
    container.appendChild(pager);

    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", filters: {}, page: parseInt(params.get("page") || "1", 10) || 1 };
    FILTER_NAMES.forEach(function (name) { state.filters[name] = params.get(name) || ""; });
    inputs.forEach(function (input) { input.value = state.q; });

    var sequence = 0;
    function setState(kind, message) {
      container.setAttribute("data-state", kind);
      container.setAttribute("aria-busy", kind === "loading" ? "true" : "false");
      status.textContent = message;
    }

    function updateUrl() {
      var qs = stateParams(state, state.page).toString();
      try {
        history.replaceState(null, "", qs ? "?" + qs : location.pathname);
      } catch (err) {
        // Some browsers refuse history changes on file:// pages; the results still show.
      }
    }

    function render() {
      var mine = ++sequence;
      if (!state.q.trim()) {
        list.innerHTML = "";
        pager.innerHTML = "";
        setState("empty", "请输入要查找的关键词，例如“低保”“2024 预算”或文号。");
        return Promise.resolve(null);
      }
      setState("loading", "正在加载…");
      return run(state.q, state.filters, state.page).then(function (result) {
        if (mine !== sequence) return result;
        state.page = result.page;
        if (!result.total) {
          list.innerHTML = "";
          pager.innerHTML = "";
          var filtered = FILTER_NAMES.some(function (n) { return state.filters[n]; });
          setState("done", "没有找到与“" + state.q.trim() + "”相关的信息。" +
            (filtered ? "可以减少筛选条件再试。" : "可以换用更短的关键词再试。"));
          return result;
        }
        list.innerHTML = result.docs.map(function (doc) { return resultHtml(doc, state.q); }).join("");
        list.start = (result.page - 1) * PAGE_SIZE + 1;
        pager.innerHTML = pagerHtml(state, result);
        setState("done", "找到 " + result.total + " 条结果" +
          (result.pages > 1 ? "，第 " + result.page + " / " + result.pages + " 页" : "") + "。");
        return result;
      }, function (err) {
        if (mine !== sequence) return null;
        list.innerHTML = "";
        pager.innerHTML = "";
        setState("error", "搜索索引加载失败，请刷新页面重试。");
        if (global.console) global.console.error(err);
        return null;
      });
    }

    var timer = null;
    function onQueryChange(value, immediate) {
      state.q = value;
      state.page = 1;
      inputs.forEach(function (input) { if (input.value !== value) input.value = value; });
      clearTimeout(timer);
      timer = setTimeout(function () { updateUrl(); render(); }, immediate ? 0 : 250);
    }

    inputs.forEach(function (input) {
      // With a Chinese IME, input events fire for the pinyin being composed ("di'bao"):
      // search only once the characters are committed.
      input.addEventListener("input", function (ev) {
        if (!ev.isComposing) onQueryChange(input.value, false);
      });
      input.addEventListener("compositionend", function () { onQueryChange(input.value, false); });
      var form = input.form;
      if (form) {
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          onQueryChange(input.value, true);
        });
      }
    });

    pager.addEventListener("click", function (ev) {
      var link = ev.target.closest ? ev.target.closest("a[data-page]") : null;
      if (!link) return;
      ev.preventDefault();
      state.page = parseInt(link.getAttribute("data-page"), 10) || 1;
      updateUrl();
      render().then(function () {
        status.focus();
        if (container.scrollIntoView) container.scrollIntoView({ block: "start" });
      });
    });

    metaReady().then(function (meta) {
      FILTER_NAMES.forEach(function (name) {
        var select = selects[name];
        if (!select) return;
        fillSelect(select, meta.filters[name]);
        select.value = state.filters[name];
        state.filters[name] = select.value; // an unknown value from an old link is dropped
        select.addEventListener("change", function () {
          state.filters[name] = select.value;
          state.page = 1;
          updateUrl();
          render();
        });
      });
    }, function () { /* reported by render() */ });

    render();
  }

  // ---------------------------------------------------------------------------------------
  // Public object: registration calls used by the index files, plus the pieces tests use.
  // ---------------------------------------------------------------------------------------
  var api = {
    meta: function (meta) {
      useConstants(meta);
      register("meta", "", meta);
    },
    shard: function (name, index) { register("shard", name, index); },
    docs: function (chunk, entries) { register("docs", String(chunk), entries); },
    facets: function (chunk, rows) { register("facets", String(chunk), rows); },
    lengths: function (chunk, values) { register("lengths", String(chunk), values); },
    configure: function (options) {
      Object.keys(options).forEach(function (k) { config[k] = options[k]; });
    },
    normalize: normalize,
    tokenize: tokenize,
    queryTerms: queryTerms,
    termHash: termHash,
    expandShard: expandShard,
    run: run,
    clearCache: function () { hitCache.clear(); },
    highlight: highlight,
    snippet: snippet,
    escapeHtml: escapeHtml,
    last: null,
  };

  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  global.GongkaiSearch = api;

  var script = document.currentScript;
  var root = script && script.getAttribute("data-root");
  if (root === null || root === undefined) {
    var src = (script && script.getAttribute("src")) || "";
    root = src.replace(/assets\/search\.js(?:[?#].*)?$/, "");
    if (root === src) root = "";
  }
  config.root = root;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initPage);
  } else {
    initPage();
  }
})(typeof window !== "undefined" ? window : globalThis);

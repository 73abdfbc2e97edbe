/*
 * gongkai search: Chinese full-text search over a term-sharded index (format 4,
 * gongkai/search/shard_format.py), scored with lunr.js 2.3.9's BM25.
 *
 * Works from file:// as well as over HTTP: no fetch, XHR, workers or modules. Every index
 * file is a classic script that calls a registration function on window.GongkaiSearch
 * (meta, shard, block, docs, facets, lengths); this file injects those scripts on demand and
 * keeps one promise per file.
 *
 * Flow of a query: tokens -> terms (queryTerms, identical to gongkai/search/tokenize.py)
 * -> the shards (term dictionaries) those terms hash to (termHash, identical to
 * shard_format.py) -> the terms' posting counts -> the terms' postings, rarest first, each
 * list narrowing the candidates so that a long list is read only in the blocks that can
 * hold one -> lunr's BM25 score of each remaining document (weights as lunr.js's Builder
 * computes them, sums as lunr.js's Index.query does) -> filters on the facet chunks -> the
 * doc-store chunks of the page on screen -> results shown, then <mark> highlights found by
 * string search in a later task.
 *
 * lunr.js itself is not loaded: the index is pre-tokenised and every query term is required,
 * so all lunr did was sum precomputed weights, after this file had built a lunr index of
 * every term of every loaded shard (docs/performance.md has the measurements).
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
  var FORMAT_VERSION = 5;
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
  var registry = { meta: {}, shard: {}, block: {}, docs: {}, facets: {}, lengths: {} };
  var config = { root: "", loadScript: null };

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

  function shardName(meta, term) {
    return (termHash(term) % meta.shards).toString(16).padStart(meta.shardWidth, "0");
  }

  // ---------------------------------------------------------------------------------------
  // Postings: base64 of delta + varint bytes (gongkai/search/shard_format.py encode_postings).
  // ---------------------------------------------------------------------------------------
  var B64 = new Int8Array(128).fill(-1);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach(function (c, i) {
    B64[c.charCodeAt(0)] = i;
  });

  /** The bytes of unpadded standard base64. */
  function unbase64(text) {
    var n = text.length;
    var out = new Uint8Array(Math.floor(n * 3 / 4));
    var o = 0;
    var acc = 0;
    var bits = 0;
    for (var i = 0; i < n; i++) {
      var v = B64[text.charCodeAt(i)];
      if (v < 0) throw new Error("bad base64 in search index");
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (acc >> bits) & 255;
      }
    }
    return out;
  }

  /**
   * Postings of one encoded list: {n, ref, field, length, tf} (parallel typed arrays). The
   * body's length is not in the list (search/lengths/): 0 here. Mirror of decode_postings.
   */
  function decodePostings(text, body, start) {
    var bytes = unbase64(text);
    var cap = bytes.length; // at least two bytes per posting
    var ref = new Int32Array(cap), field = new Uint8Array(cap), length = new Int32Array(cap), tf = new Int32Array(cap);
    var i = 0, n = 0, prev = start || 0;
    function varint() {
      var v = 0, mul = 1, b;
      do {
        b = bytes[i++];
        v += (b & 127) * mul;
        mul *= 128;
      } while (b >= 128);
      return v;
    }
    while (i < bytes.length) {
      var head = varint();
      var f = head % 8;
      prev += (head - f) / 8;
      ref[n] = prev;
      field[n] = f;
      length[n] = f === body ? 0 : varint();
      tf[n] = varint();
      n++;
    }
    return { n: n, ref: ref, field: field, length: length, tf: tf };
  }

  /** Index of a term in a shard's sorted term list (JS string order), or -1. */
  function findTerm(data, term) {
    var lo = 0, hi = data.t.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var t = data.t[mid];
      if (t === term) return mid;
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  function loadShard(name) {
    return load("shard", name, "search/shards/" + name + ".js");
  }

  /** Milliseconds of scoring or highlighting per task before yielding to the page. */
  var SLICE_MS = 8;

  /** Wait for the next task: long decoding never blocks input for more than one step. */
  function nextTask() {
    if (global.scheduler && typeof global.scheduler.yield === "function") return global.scheduler.yield();
    if (typeof MessageChannel === "function") { // not clamped to 4 ms like nested setTimeout
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function () {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(null);
      });
    }
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  /** Indices of the blocks (by first refs) that can hold one of the sorted refs; all if null. */
  function blocksFor(firsts, refs) {
    if (refs === null) return firsts.map(function (_, k) { return k; });
    var out = [];
    var k = 0;
    for (var r = 0; r < refs.length; r++) {
      while (k + 1 < firsts.length && firsts[k + 1] <= refs[r]) k++;
      if (firsts[k] <= refs[r] && out[out.length - 1] !== k) out.push(k);
    }
    return out;
  }

  /**
   * The postings of a term restricted to the sorted candidate refs (null: every document):
   * an inline list is decoded whole; of a blocked list only the blocks that can hold a
   * candidate are loaded and decoded. Resolves to [{n, ref, field, length, tf}, ...].
   */
  function termPostings(meta, shard, data, i, candidates) {
    var entry = data.p[i];
    if (typeof entry === "string") {
      var e = registry.shard[shard];
      e.decoded = e.decoded || Object.create(null);
      if (!e.decoded[i]) e.decoded[i] = decodePostings(entry, meta.body, 0);
      return Promise.resolve([e.decoded[i]]);
    }
    var firsts = entry[1];
    var wanted = blocksFor(firsts, candidates);
    return Promise.all(wanted.map(function (k) {
      var name = shard + "-" + entry[0] + "-" + k;
      return load("block", name, "search/blocks/" + name + ".js").then(function (text) {
        var b = registry.block[name];
        if (!b.decoded) b.decoded = decodePostings(text, meta.body, firsts[k]);
        return b.decoded;
      });
    }));
  }

  // ---------------------------------------------------------------------------------------
  // Query: AND of every term, rarest first, then lunr's BM25 scores of the survivors.
  // ---------------------------------------------------------------------------------------

  var HIT_CACHE_SIZE = 24;
  var hitCache = new Map(); // terms -> query state, most recent last

  /**
   * The state of a list of terms' query, remembered for the last few queries: paging,
   * changing a filter or going back to an earlier query does not query again.
   * {hits, complete, ...}: hits so far (all of them once complete); more(state) adds to them.
   */
  function searchTerms(meta, terms) {
    var key = terms.join(" ");
    if (hitCache.has(key)) {
      var cached = hitCache.get(key);
      hitCache.delete(key);
      hitCache.set(key, cached);
      return cached;
    }
    var state = { meta: meta, hits: [], complete: false, tiered: false, depth: -1, next: null };
    var ready = lookupTerms(meta, terms).then(function (found) {
      state.found = found;
      if (!found) {
        state.complete = true;
        return state;
      }
      state.groups = found.groupCount;
      state.tiers = 0;
      state.tiered = found.every(function (item) {
        state.tiers = Math.max(state.tiers, tierCount(item));
        return tierCount(item) > 0;
      });
      return more(state).then(function () { return state; });
    });
    hitCache.set(key, ready);
    if (hitCache.size > HIT_CACHE_SIZE) hitCache.delete(hitCache.keys().next().value);
    ready.catch(function () { if (hitCache.get(key) === ready) hitCache.delete(key); });
    return ready;
  }

  /**
   * The shards of the terms, and each term's entry: [{term, shard, group, data, i, count}]
   * (group: the shard's position among the query's shards), or null if a term is in no
   * document (then nothing else is loaded).
   */
  function lookupTerms(meta, terms) {
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
    return Promise.all(names.map(loadShard)).then(function (shards) {
      var found = [];
      for (var s = 0; s < names.length; s++) {
        var group = groups[names[s]];
        for (var g = 0; g < group.length; g++) {
          var i = findTerm(shards[s], group[g]);
          if (i < 0) return null;
          found.push({ term: group[g], shard: names[s], group: s, data: shards[s], i: i, count: shards[s].n[i] });
        }
      }
      found.groupCount = names.length;
      return found;
    });
  }

  /** Number of impact tiers of a term (shard_format.entry_tiers): 0 for a list without. */
  function tierCount(item) {
    var e = item.data.p[item.i];
    return typeof e === "string" || e.length < 3 ? 0 : e[2];
  }

  /**
   * One step further: when every term is common (each has impact tiers), the next tier of
   * each term; otherwise (or once the tiers are used up) every hit. One step at a time.
   */
  function more(state) {
    if (state.complete) return Promise.resolve();
    if (!state.next) {
      // The tiers first, all of them if need be: together they are a few KB of each term,
      // the whole lists hundreds.
      var step = state.tiered && state.depth + 1 < state.tiers ? tierStep(state) : fullStep(state);
      state.next = step.then(function () { state.next = null; }, function (err) {
        state.next = null;
        throw err;
      });
    }
    return state.next;
  }

  /** A term's postings in impact tier k: {n, ref, field, length, tf}. */
  function loadTier(meta, item, k) {
    var entry = item.data.p[item.i];
    var name = item.shard + "-" + entry[0] + "-t" + k;
    return load("block", name, "search/blocks/" + name + ".js").then(function (text) {
      var b = registry.block[name];
      if (!b.decoded) b.decoded = decodePostings(text, meta.body, 0);
      return b.decoded;
    });
  }

  /** Add tier k of every term that has one; item.tiered: ref -> postings, item.tierOf: ref -> k. */
  function loadTiers(state, k) {
    return Promise.all(state.found.map(function (item) {
      item.tiered = item.tiered || new Map();
      item.tierOf = item.tierOf || new Map();
      if (k >= tierCount(item) || item.tierOf.loaded > k) return null;
      return loadTier(state.meta, item, k).then(function (p) {
        if (item.tierOf.loaded > k) return;
        collect([p], null, item.tiered, null);
        for (var j = 0; j < p.n; j++) item.tierOf.set(p.ref[j], k);
        item.tierOf.loaded = k + 1;
      });
    }));
  }

  /**
   * Hits among the documents of the first tiers: a document that is in tiers 0..k of every
   * term is a hit (it has every term), scored exactly as when every hit is known. Hits are
   * ordered by depth (the deepest tier of the document among the terms), then score: the
   * documents where every term weighs most come first, and pages already shown stay as they
   * are when more tiers (or all hits) are read for later pages.
   */
  function tierStep(state) {
    var k = state.depth + 1;
    return loadTiers(state, k).then(function () {
      var found = state.found;
      var rarest = found.reduce(function (a, b) { return b.count < a.count ? b : a; });
      var refs = [];
      rarest.tiered.forEach(function (_, ref) {
        if (found.every(function (item) { return item.tiered.has(ref); })) refs.push(ref);
      });
      refs.sort(function (a, b) { return a - b; });
      var items = found.map(function (item) {
        return { term: item.term, group: item.group, i: item.i, count: item.count, postings: item.tiered };
      });
      return scoreRefs(state.meta, items, state.groups, refs).then(function (hits) {
        state.hits = byDepth(state, hits);
        state.depth = k;
        // For the estimate: the share of the rarest term's documents read so far that are
        // hits, and its number of documents (in its entry; its count is of postings).
        state.sample = rarest.tiered.size;
        state.rarestDocs = rarest.data.p[rarest.i][3];
      });
    });
  }

  function byDepth(state, hits) {
    hits.forEach(function (h) {
      var depth = 0;
      state.found.forEach(function (item) {
        var k = item.tierOf.get(h.n);
        depth = Math.max(depth, k === undefined ? state.tiers : k);
      });
      h.depth = depth;
    });
    return hits.sort(function (a, b) { return a.depth - b.depth || b.score - a.score || a.n - b.n; });
  }

  /** Every hit: the terms' whole lists, rarest first (see intersect). */
  function fullStep(state) {
    var items = state.found.map(function (item) {
      return { term: item.term, shard: item.shard, group: item.group, data: item.data, i: item.i, count: item.count };
    });
    return intersect(state.meta, items).then(function (refs) {
      return scoreRefs(state.meta, items, state.groups, refs);
    }).then(function (hits) {
      if (!state.tiered) {
        state.hits = hits;
        state.complete = true;
        return null;
      }
      var loads = [];
      for (var k = 0; k < state.tiers; k++) loads.push(loadTiers(state, k));
      return Promise.all(loads).then(function () {
        state.hits = byDepth(state, hits);
        state.complete = true;
      });
    });
  }

  function scoreRefs(meta, items, groupCount, refs) {
    if (!refs.length) return Promise.resolve([]);
    return bodyLengths(meta, items, refs).then(function (bodyLength) {
      return score(meta, items, groupCount, refs, bodyLength);
    });
  }

  /**
   * Keep the postings of `lists` (each ascending by ref) of the refs candidates has (all if
   * null) in byRef (ref -> [field, length, tf, ...]), adding new refs to refs (if given); a
   * slice of time per task when `slices`.
   */
  function collect(lists, candidates, byRef, refs, slices) {
    var l = 0, j = 0;
    function slice() {
      var until = Date.now() + SLICE_MS;
      while (l < lists.length) {
        var p = lists[l];
        for (var stop = Math.min(p.n, j + 256); j < stop; j++) {
          var ref = p.ref[j];
          if (candidates !== null && !candidates.has(ref)) continue;
          var list = byRef.get(ref);
          if (!list) {
            byRef.set(ref, (list = []));
            if (refs) refs.push(ref);
          }
          list.push(p.field[j], p.length[j], p.tf[j]);
        }
        if (j === p.n) {
          l++;
          j = 0;
        }
        if (slices && Date.now() >= until) return nextTask().then(slice);
      }
      return null;
    }
    return slice();
  }

  /**
   * Every term required; the score of a document is what lunr.js gives the same query on
   * one unsharded index of these weights: per field, the sum of the weights of the query's
   * terms divided by sqrt(number of terms), summed over fields. The sums run in the order
   * lunr.js and the former per-shard lunr queries ran them (shards in order of their first
   * term, fields in the order the terms first matched them, terms in shard order), so the
   * scores are those of format 3 to the last bit.
   *
   * Terms are intersected rarest first (counts from the shards), so a long list is read
   * only in the blocks that can hold a remaining candidate; decoding yields to the page
   * between lists. Resolves to the refs that have every term (ascending); item.postings is
   * then each term's ref -> [field, length, tf, ...] of them.
   */
  function intersect(meta, found) {
    var order = found.slice().sort(function (a, b) { return a.count - b.count; });
    var candidates = null; // sorted refs, null before the first term
    var step = 0;
    function next() {
      if (step === order.length || (candidates !== null && candidates.length === 0)) return Promise.resolve();
      var item = order[step++];
      return termPostings(meta, item.shard, item.data, item.i, candidates).then(function (lists) {
        var byRef = new Map();
        var refs = [];
        return Promise.resolve(collect(lists, candidates, byRef, refs, true)).then(function () {
          item.postings = byRef;
          candidates = refs; // ascending: blocks are in ref order
          candidates.has = function (r) { return byRef.has(r); };
          return nextTask().then(next);
        });
      });
    }
    return next().then(function () { return candidates || []; });
  }

  /** lunr.js Builder's weight of one posting (same expression, same rounding). */
  function weight(meta, idf, f, length, tf, avg) {
    var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / avg[f])) + tf);
    score *= meta.boosts[f];
    return Math.round(score * 1000) / 1000;
  }

  /** Load the body lengths of the candidates that have a body posting. */
  function bodyLengths(meta, found, refs) {
    var per = meta.lengthsPerChunk;
    var chunks = [];
    refs.forEach(function (ref) {
      var c = Math.floor(ref / per);
      if (chunks[chunks.length - 1] === c) return;
      var body = found.some(function (item) {
        var list = item.postings.get(ref);
        if (!list) return false;
        for (var j = 0; j < list.length; j += 3) if (list[j] === meta.body) return true;
        return false;
      });
      if (body) chunks.push(c);
    });
    return Promise.all(chunks.map(function (c) {
      return load("lengths", String(c), "search/lengths/" + c + ".js");
    })).then(function () {
      return function (ref) { return registry.lengths[String(Math.floor(ref / per))].value[ref % per]; };
    });
  }

  function score(meta, found, groupCount, refs, bodyLength) {
    var n = meta.docs;
    var avg = meta.lengths.map(function (total) { return n ? total / n : 0; });
    var groupTerms = [];
    for (var s = 0; s < groupCount; s++) groupTerms.push([]);
    found.forEach(function (item) {
      var x = (n - item.count + 0.5) / (item.count + 0.5);
      item.idf = Math.log(1 + Math.abs(x));
      groupTerms[item.group].push(item);
    });
    // Within a shard lunr sums in term order (the shard's sorted list); fields are visited in
    // the order the query's terms (query order) first matched them. rank[g][k]: position in
    // shard order of the group's k-th term.
    var rank = groupTerms.map(function (items) {
      var sorted = items.slice().sort(function (a, b) { return a.i - b.i; });
      return items.map(function (item) { return sorted.indexOf(item); });
    });
    var norm = Math.sqrt(found.length);
    var hits = [];
    var fieldCount = meta.fields.length;
    var most = Math.max.apply(null, groupTerms.map(function (items) { return items.length; }));
    var weights = new Float64Array(fieldCount * most).fill(NaN); // field * most + rank -> weight
    var fieldOrder = new Int8Array(fieldCount);
    var r = 0;
    function slice() {
      var until = Date.now() + SLICE_MS;
      while (r < refs.length && Date.now() < until) {
        for (var c = 0; c < 8 && r < refs.length; c++) one(refs[r++]);
      }
      if (r < refs.length) return nextTask().then(slice);
      hits.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
      return hits;
    }
    return slice();

    function one(ref) {
      var total = null;
      for (var g = 0; g < groupCount; g++) {
        var items = groupTerms[g];
        var m = items.length;
        var magnitude = Math.sqrt(m);
        var fields = 0;
        for (var k = 0; k < m; k++) {
          var item = items[k];
          var list = item.postings.get(ref);
          for (var j = 0; j < list.length; j += 3) {
            var f = list[j];
            var length = f === meta.body ? bodyLength(ref) : list[j + 1];
            var seen = false;
            for (var q = 0; q < fields; q++) if (fieldOrder[q] === f) seen = true;
            if (!seen) fieldOrder[fields++] = f;
            weights[f * most + rank[g][k]] = weight(meta, item.idf, f, length, list[j + 2], avg);
          }
        }
        var shardScore = 0;
        for (var o = 0; o < fields; o++) {
          var base = fieldOrder[o] * most;
          var dot = 0;
          for (var x = 0; x < m; x++) {
            var w = weights[base + x];
            if (w === w) dot += w; // not NaN: the term is in this field
            weights[base + x] = NaN;
          }
          shardScore += dot / magnitude || 0;
        }
        shardScore *= magnitude;
        total = total === null ? shardScore : total + shardScore;
      }
      hits.push({ ref: String(ref), n: ref, score: total / norm });
    }
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

  /** n to two significant digits (an estimate should not look exact). */
  function roughly(n) {
    if (n < 100) return n;
    var unit = Math.pow(10, Math.floor(Math.log10(n)) - 1);
    return Math.round(n / unit) * unit;
  }

  /**
   * Run a query: resolves to {query, terms, hits, total, estimated, page, pages, docs} where
   * docs are the display entries of the requested page. When every term is common, hits are
   * those of the first impact tiers, enough for the page asked (later pages read more), and
   * total is then an estimate (estimated: true): the share of the rarest term's documents read
   * so far that are hits, times its number of documents. Never throws on user input.
   */
  function run(query, filters, page) {
    return metaReady().then(function (meta) {
      if (meta.hash !== HASH_SCHEME) throw new Error("index hash scheme " + meta.hash);
      if (meta.version !== FORMAT_VERSION) throw new Error("index format " + meta.version);
      var terms = queryTerms(query || "");
      var want = Math.max(1, page || 1) * PAGE_SIZE;
      var ready = terms.length ? searchTerms(meta, terms) : Promise.resolve({ hits: [], complete: true });
      return ready.then(function (state) {
        function attempt() {
          return applyFilters(meta, state.hits, filters || {}).then(function (hits) {
            if (!state.complete && hits.length < want) return more(state).then(attempt);
            return show(meta, query, terms, state, hits, page);
          });
        }
        return attempt();
      });
    });
  }

  function show(meta, query, terms, state, hits, page) {
    var total = hits.length;
    var estimated = !state.complete;
    if (estimated) {
      var share = hits.length / Math.max(1, state.sample);
      total = Math.max(total, roughly(Math.round(share * Math.min(state.rarestDocs, meta.docs))));
    }
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    var p = Math.min(Math.max(1, page || 1), pages, Math.max(1, Math.ceil(hits.length / PAGE_SIZE)));
    var shown = hits.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE);
    return loadDocs(meta, shown).then(function (docs) {
      var result = {
        query: query || "", terms: terms, hits: hits, total: total, estimated: estimated,
        page: p, pages: pages, docs: docs,
      };
      api.last = result;
      return result;
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

  /** The opening of a text, escaped: the snippet shown before the highlights are computed. */
  function opening(text, length) {
    var chars = Array.from(text || "");
    return escapeHtml(chars.slice(0, length).join("")) + (chars.length > length ? "…" : "");
  }

  /** A result's HTML; with no query (the first, plain rendering) nothing is searched or marked. */
  function resultHtml(doc, query) {
    var plain = !query;
    var highlight = plain ? function (text) { return escapeHtml(text || ""); } : highlightText;
    var snippet = plain ? function (text) { return opening(text, SNIPPET_LENGTH); } : snippetText;
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

  var highlightText = highlight;
  var snippetText = snippet;

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
    parts.push('<span class="search-pager-current">第 ' + result.page + (result.estimated ? "" : " / " + result.pages) + " 页</span>");
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
        // Results first, as plain text (the opening of each body); the highlights (and the
        // snippet window around the first match) replace them in later tasks.
        list.innerHTML = result.docs.map(function (doc) { return resultHtml(doc, ""); }).join("");
        list.start = (result.page - 1) * PAGE_SIZE + 1;
        pager.innerHTML = pagerHtml(state, result);
        status.textContent = (result.estimated ? "找到约 " : "找到 ") + result.total + " 条结果" +
          (result.pages > 1 ? "，第 " + result.page + (result.estimated ? "" : " / " + result.pages) + " 页" : "") + "。";
        if (global.performance && performance.mark) performance.mark("gongkai-results");
        return highlightResults(result.docs, state.q, function () { return mine === sequence; }).then(function () {
          if (mine === sequence) setState("done", status.textContent);
          return result;
        });
      }, function (err) {
        if (mine !== sequence) return null;
        list.innerHTML = "";
        pager.innerHTML = "";
        setState("error", "搜索索引加载失败，请刷新页面重试。");
        if (global.console) global.console.error(err);
        return null;
      });
    }

    /** Replace each shown result by its highlighted version, a few per task (no long task). */
    function highlightResults(docs, query, current) {
      var items = list.children;
      var i = 0;
      function step() {
        if (!current()) return Promise.resolve();
        var until = Date.now() + SLICE_MS;
        while (i < docs.length && Date.now() < until) {
          var holder = document.createElement("ol");
          holder.innerHTML = resultHtml(docs[i], query);
          list.replaceChild(holder.firstChild, items[i]);
          i++;
        }
        return i < docs.length ? nextTask().then(step) : Promise.resolve();
      }
      return nextTask().then(step);
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
    block: function (name, text) { register("block", name, text); },
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
    decodePostings: decodePostings,
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

/* riskscore explore: re-score the embedded model in the browser.
 *
 * The engine part is a port of riskscore/model/weights.py (apply_weight_overrides) and
 * riskscore/engine/aggregate.py (aggregate, decompose) and riskscore/engine/ranking.py; keep them
 * in step. Everything from the data is put into the page as text nodes, never as
 * markup; links only for http(s) URLs and DOIs (decided in Python, checked again here).
 */
"use strict";
(function () {
  var DATA = JSON.parse(document.getElementById("riskscore-data").textContent);
  var STATE = document.getElementById("riskscore-state");
  var ITEMS = DATA.items;
  var ROOT = DATA.root;
  var IND = DATA.indicators;
  var ORDER = DATA.order;
  var NI = IND.length;
  var TOLERANCE = 1e-9;

  // ---- engine ------------------------------------------------------------------

  function slotOf(id) {
    var i = IND.indexOf(id);
    return i >= 0 ? i : NI + ORDER.indexOf(id);
  }
  var CHILD_SLOTS = ORDER.map(function (n) { return ITEMS[n].children.map(slotOf); });
  var RULES = DATA.rules;   // per node in ORDER: riskscore.engine.aggregate.NodeRule
  var MEANS = { arithmetic: true, geometric: true };
  var MIN_COVERAGE = ORDER.map(function (n) { return ITEMS[n].min_coverage; });

  function sum(xs) {
    var s = 0;
    for (var i = 0; i < xs.length; i++) s += xs[i];
    return s;
  }

  function fmtG(x) { return String(Math.round(x * 1e6) / 1e6); }

  function weightError(key, problem, expected) {
    var err = new Error("--weight: " + key + ": " + problem + "; expected " + expected);
    err.isWeightError = true;
    return err;
  }

  // Raw weights realising the overrides (riskscore.model.weights.apply_weight_overrides).
  function applyOverrides(overrides) {
    var raw = {};
    Object.keys(ITEMS).forEach(function (id) { raw[id] = ITEMS[id].weight; });
    var byParent = {};
    var parents = [];
    Object.keys(overrides).forEach(function (node) {
      var share = overrides[node];
      if (!Object.prototype.hasOwnProperty.call(ITEMS, node)) {
        throw weightError(node, "is not a node or indicator of the model (" + DATA.model_file + ")",
          "one of " + DATA.weight_ids.join(", "));
      }
      var parent = ITEMS[node].parent;
      if (parent === null) throw weightError(node, "is the index itself", "a node below the index");
      if (!byParent[parent]) { byParent[parent] = {}; parents.push(parent); }
      byParent[parent][node] = share;
    });
    parents.forEach(function (parent) {
      var fixed = byParent[parent];
      var names = Object.keys(fixed);
      var siblings = ITEMS[parent].children;
      var rest = siblings.filter(function (s) { return !Object.prototype.hasOwnProperty.call(fixed, s); });
      var fixedTotal = sum(names.map(function (k) { return fixed[k]; }));
      if (fixedTotal > 1 + TOLERANCE) {
        throw weightError(names.join(","), "sets shares of '" + parent + "' summing to " + fmtG(fixedTotal),
          "shares of one parent summing to at most 1");
      }
      var restTotal = sum(rest.map(function (s) { return ITEMS[s].weight; }));
      var remainder = Math.max(0, 1 - fixedTotal);
      if (!rest.length && Math.abs(fixedTotal - 1) > TOLERANCE) {
        throw weightError(names.join(","), "sets every child of '" + parent + "' with shares summing to " +
          fmtG(fixedTotal), "shares summing to 1");
      }
      if (rest.length && restTotal <= 0 && remainder > TOLERANCE) {
        throw weightError(names.join(","), "leaves " + fmtG(remainder) + " of '" + parent +
          "' to siblings whose weights are all zero", "shares summing to 1");
      }
      if (fixedTotal <= 0 && restTotal <= 0) {
        throw weightError(names.join(","), "makes all weights under '" + parent + "' zero",
          "at least one positive weight");
      }
      names.forEach(function (k) { raw[k] = fixed[k]; });
      rest.forEach(function (s) {
        raw[s] = restTotal > 0 ? remainder * ITEMS[s].weight / restTotal : 0;
      });
    });
    return raw;
  }

  // Each node's normalised child weights (Hierarchy.from_model).
  function nodeWeights(raw) {
    return ORDER.map(function (n) {
      var w = ITEMS[n].children.map(function (c) { return raw[c]; });
      var total = sum(w);
      return w.map(function (x) { return x / total; });
    });
  }

  // riskscore.engine.aggregate.node_value for one entity: a node's value from its children
  // (NaN = missing) under its rule; wAvail are the weights of the available children.
  function nodeValue(rule, child, wAvail, wSum) {
    var op = rule.op, n = child.length, k, acc = 0;
    var avail = child.map(function (x) { return !isNaN(x); });
    var filled = child.map(function (x, i) { return avail[i] ? x : 0; });
    if (op === "arithmetic") {
      for (k = 0; k < n; k++) acc += wAvail[k] * filled[k];
      return acc / wSum;
    }
    if (op === "geometric" || op === "harmonic" || op === "power") {
      var x = filled.map(function (v, i) {
        if (!avail[i]) return 1;
        return rule.zeros === "floor" ? Math.max(v, DATA.floor) : Math.max(v, 0);
      });
      if (op === "geometric") {
        for (k = 0; k < n; k++) acc += wAvail[k] * (wAvail[k] > 0 ? Math.log(x[k]) : 0);
        return Math.exp(acc / wSum);
      }
      var p = op === "harmonic" ? -1 : rule.power;
      for (k = 0; k < n; k++) acc += wAvail[k] * (wAvail[k] > 0 ? Math.pow(x[k], p) : 0);
      var meanP = acc / wSum;
      return meanP === Infinity || meanP === -Infinity ? 0 : Math.pow(meanP, 1 / p);
    }
    if (op === "complement_geometric") {
      for (k = 0; k < n; k++) {
        acc += wAvail[k] * (wAvail[k] > 0 ? Math.log(Math.max(rule.complement - filled[k], 0)) : 0);
      }
      return rule.complement - Math.exp(acc / wSum);
    }
    if (op === "max" || op === "min") {
      var best = NaN;
      for (k = 0; k < n; k++) {
        if (!avail[k] || !(wAvail[k] > 0)) continue;   // a weight-0 child is dropped
        var scaled = child[k] * (rule.multipliers ? rule.multipliers[k] : 1);
        if (isNaN(best) || (op === "max" ? scaled > best : scaled < best)) best = scaled;
      }
      return best;
    }
    if (op === "invert") return 1 - child[0];
    if (op === "ratio") {
      var num = child[rule.operands[0]], den = child[rule.operands[1]];
      return den > 0 ? num / den : NaN;
    }
    throw new Error("unknown aggregation " + op);
  }

  // riskscore.engine.aggregate.aggregate for one entity: slots (indicators then nodes) and coverage.
  function aggregate(values, weights) {
    var slots = values.map(function (v) { return v === null ? NaN : v; });
    var coverage = [];
    for (var n = 0; n < ORDER.length; n++) {
      var kids = CHILD_SLOTS[n], w = weights[n], rule = RULES[n];
      var child = kids.map(function (s) { return slots[s]; });
      var wAvail = child.map(function (x, k) { return isNaN(x) ? 0 : w[k]; });
      var wSum = sum(wAvail), cover = wSum / sum(w);
      var score;
      if (MEANS[rule.op]) {   // riskscore.engine.aggregate._weighted_means
        var floor = rule.zeros === "floor" ? DATA.floor : 0;
        var arith = 0, logs = 0;
        for (var k = 0; k < kids.length; k++) {
          var available = !isNaN(child[k]);
          var filled = available ? child[k] : 0;
          arith += wAvail[k] * filled;
          logs += wAvail[k] * (available ? Math.log(Math.max(filled, floor)) : 0);
        }
        score = rule.op === "geometric" ? Math.exp(logs / wSum) : arith / wSum;
      } else {
        score = nodeValue(rule, child, wAvail, wSum);
      }
      var ok = wSum > 0 && cover >= MIN_COVERAGE[n] - 1e-12;
      slots.push(ok ? score : NaN);
      coverage.push(cover);
    }
    return { slots: slots, coverage: coverage };
  }

  // riskscore.engine.shapley.shapley_values: each child's Shapley value (absent = baseline) and f(absent).
  function shapley(valueOf, child, baseline) {
    var n = child.length, m, c, size = [], v = [];
    var fact = [1];
    for (c = 1; c <= n; c++) fact.push(fact[c - 1] * c);
    for (m = 0; m < (1 << n); m++) {
      var x = [], count = 0;
      for (c = 0; c < n; c++) {
        var present = (m >> c) & 1;
        count += present;
        x.push(present ? child[c] : (isNaN(child[c]) ? NaN : baseline));
      }
      size.push(count);
      v.push(valueOf(x));
    }
    var phi = [];
    for (c = 0; c < n; c++) {
      var total = 0;
      for (m = 0; m < (1 << n); m++) {
        if ((m >> c) & 1) continue;
        var k = size[m];
        var weight = k < n ? fact[k] * fact[n - k - 1] / fact[n] : 0;
        total += weight * (v[m | (1 << c)] - v[m]);
      }
      phi.push(total);
    }
    return { phi: phi, constant: v[0] };
  }

  // riskscore.engine.aggregate.decompose_nodes: each slot's part of the root score, its effective
  // weight, and the constant part a Shapley node keeps.
  function decompose(slots, weights) {
    var total = slots.length, root = total - 1;
    var allocation = new Array(total).fill(NaN), effective = new Array(total).fill(NaN);
    var constant = new Array(ORDER.length).fill(0);
    allocation[root] = slots[root];
    effective[root] = isNaN(slots[root]) ? NaN : 1;
    for (var n = ORDER.length - 1; n >= 0; n--) {
      var kids = CHILD_SLOTS[n], parentScore = slots[NI + n], rule = RULES[n];
      var child = kids.map(function (s) { return slots[s]; });
      var avail = child.map(function (x) { return !isNaN(x); });
      var w = kids.map(function (s, k) { return avail[k] ? weights[n][k] : 0; });
      var wTotal = sum(w);
      var wNorm = w.map(function (x) { return x / wTotal; });
      var share;
      if (MEANS[rule.op]) {   // riskscore.engine.aggregate._mean_shares
        share = kids.map(function (s, k) {
          return parentScore > 0 ? wNorm[k] * child[k] / parentScore : wNorm[k];
        });
        if (rule.op === "geometric") {
          var floor = DATA.floor;
          var terms = kids.map(function (s, k) {
            return wNorm[k] * Math.log(Math.max(avail[k] ? child[k] : 1, floor) / floor);
          });
          var t = sum(terms);
          share = terms.map(function (x, k) { return t > 0 ? x / t : wNorm[k]; });
        }
      } else {   // riskscore.engine.aggregate._shapley_shares
        var sh = shapley(function (x) { return nodeValue(rule, x, w, wTotal); }, child,
          rule.op === "ratio" ? 1 : 0);
        var scored = parentScore !== 0 && !isNaN(parentScore);
        share = sh.phi.map(function (p) { return scored ? p / parentScore : 0; });
        var constShare = scored ? sh.constant / parentScore : 0;
        var part = allocation[NI + n] * constShare;
        constant[n] = isNaN(part) ? 0 : part;
      }
      for (var k = 0; k < kids.length; k++) {
        allocation[kids[k]] = avail[k] ? allocation[NI + n] * share[k] : NaN;
        effective[kids[k]] = avail[k] ? effective[NI + n] * wNorm[k] : NaN;
      }
    }
    return { allocation: allocation, effective: effective, constant: constant };
  }

  // riskscore.engine.pipeline._refuse_zeros: a node declaring zeros = "error" must get no zero child.
  function zeroViolation(perEntity) {
    var found = [];
    ORDER.forEach(function (node, n) {
      if (RULES[n].zeros !== "error") return;
      perEntity.forEach(function (r, e) {
        CHILD_SLOTS[n].forEach(function (s) {
          if (r.slots[s] <= 0) found.push([e, node, s]);
        });
      });
    });
    if (!found.length) return null;
    var first = found[0];
    var child = IND.concat(ORDER)[first[2]];
    var err = new Error(DATA.entities[first[0]] + ": " + child + ": is 0 under node '" + first[1] +
      "', whose aggregation '" + ITEMS[first[1]].aggregation + "' declares zeros = 'error'" +
      (found.length > 1 ? " (and " + (found.length - 1) + " more)" : ""));
    err.isWeightError = true;
    return err;
  }

  // numpy.rint: round half to even.
  function rint(x) {
    var f = Math.floor(x), d = x - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  }

  // riskscore.engine.ranking.competition_ranks: ties (equal to 9 decimals) share the best rank.
  function competitionRanks(scores) {
    var keyed = scores.map(function (s) { return isNaN(s) ? -Infinity : rint(s * 1e9) / 1e9; });
    return scores.map(function (s, i) {
      if (isNaN(s)) return NaN;
      var above = 0;
      for (var j = 0; j < keyed.length; j++) if (keyed[j] > keyed[i]) above++;
      return above + 1;
    });
  }

  function assess(overrides) {
    var raw = applyOverrides(overrides);
    var weights = nodeWeights(raw);
    var perEntity = DATA.values.map(function (values) {
      var agg = aggregate(values, weights);
      return { slots: agg.slots, coverage: agg.coverage,
        score: agg.slots[agg.slots.length - 1] * DATA.scale };
    });
    var zero = zeroViolation(perEntity);
    if (zero) throw zero;
    perEntity.forEach(function (r) {
      var dec = decompose(r.slots, weights);
      r.allocation = dec.allocation;
      r.effective = dec.effective;
      r.constant = dec.constant;
    });
    var ranks = competitionRanks(perEntity.map(function (r) { return r.score; }));
    var order = DATA.entities.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var ra = isNaN(ranks[a]) ? Infinity : ranks[a], rb = isNaN(ranks[b]) ? Infinity : ranks[b];
      return ra - rb || a - b;
    });
    var shares = {};
    ORDER.forEach(function (n, i) {
      ITEMS[n].children.forEach(function (c, k) { shares[c] = weights[i][k]; });
    });
    return { entities: perEntity, ranks: ranks, order: order, shares: shares, weights: weights };
  }

  // ---- the fragment: #weights=NODE:W,NODE:W means --weight NODE=W --weight NODE=W ----------

  // riskscore.model.weights.parse_weight_options, ported: the same inputs accepted and
  // refused with the same messages (tests/weight_syntax_cases.py holds both to one table).
  var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  var SPACE = "[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
  var EDGE_SPACE = new RegExp("^" + SPACE + "|" + SPACE + "$");
  var ALL_SPACE = new RegExp("^" + SPACE + "+|" + SPACE + "+$", "g");
  var NON_FINITE = ["nan", "inf", "infinity"];

  function parseFragment(hash) {
    var text = hash.replace(/^#/, "");
    if (text.indexOf("weights=") !== 0) return null;
    var body = text.slice("weights=".length);
    var overrides = Object.create(null);   // "__proto__" is a key like any other, never a prototype
    if (!body) return overrides;
    body.split(",").forEach(function (part) {
      var item;
      try { item = decodeURIComponent(part); } catch (e) { item = part; }
      var at = item.indexOf(":");
      var node = at < 0 ? "" : item.slice(0, at);
      var value = at < 0 ? "" : item.slice(at + 1);
      if (at < 0 || !node.replace(ALL_SPACE, "")) {
        throw weightError(item, "is not of the form NODE:W", "e.g. #weights=debt:0.4");
      }
      if (EDGE_SPACE.test(node) || EDGE_SPACE.test(value)) {
        throw weightError(node.replace(ALL_SPACE, ""), "has white space around ':'",
          "NODE:W without spaces, e.g. #weights=debt:0.4");
      }
      var share = NUMBER.test(value) ? Number(value) : NaN;
      if (!NUMBER.test(value) || !isFinite(share)) {
        var bare = value.toLowerCase().replace(/^[+-]+/, "");
        var shown = NON_FINITE.indexOf(bare) >= 0 ? value : "'" + value + "'";
        throw weightError(node, "has the weight " + shown, "a number from 0 to 1 (a share of the parent)");
      }
      if (!(share >= 0 && share <= 1)) {
        throw weightError(node, "has the weight " + value, "a number from 0 to 1 (a share of the parent)");
      }
      if (Object.prototype.hasOwnProperty.call(overrides, node)) {
        throw weightError(node, "is given twice (" + fmtG(overrides[node]) + " and " + fmtG(share) + ")",
          "each node once");
      }
      overrides[node] = share;
    });
    return overrides;
  }

  function fragmentOf(overrides) {
    return "#weights=" + Object.keys(overrides).map(function (k) {
      return encodeURIComponent(k) + ":" + String(overrides[k]);
    }).join(",");
  }

  // ---- page state ----------------------------------------------------------------

  var current = null;      // the overrides in effect
  var result = null;       // assess(current)
  var baseline = null;     // assess(DATA.initial): ranks to compare against

  function setState(overrides, error) {
    var state = { weights: overrides, results: [] };
    if (result) {
      state.results = result.order.map(function (e) {
        var r = result.entities[e];
        return { entity: DATA.entities[e], score: isNaN(r.score) ? null : r.score,
          rank: isNaN(result.ranks[e]) ? null : result.ranks[e] };
      });
    }
    if (error) state.error = error;
    if (edits.length) state.what_if = edits.map(editText);
    STATE.textContent = JSON.stringify(state).replace(/\u003c/g, "\\u003c");
  }

  function showError(message) {
    var box = document.getElementById("error");
    box.hidden = !message;
    box.textContent = message || "";
  }

  function apply(overrides, fromHash) {
    var next;
    try {
      next = assess(overrides);
    } catch (err) {
      if (!err.isWeightError) throw err;
      showError((fromHash ? "The address asks for weights the model cannot take: " : "") + err.message +
        (fromHash ? ". Showing the starting weights instead." : ""));
      if (!result) { current = DATA.initial; result = assess(current); }
      render();
      setState(overrides, err.message);
      return false;
    }
    showError(null);
    current = overrides;
    result = next;
    render();
    setState(current, null);
    return true;
  }

  function writeFragment() {
    var target = fragmentOf(current);
    if (location.hash !== target) history.replaceState(null, "", target);
  }

  // Moving one share: its siblings keep their proportions, so every sibling override
  // already set is scaled with the rest (the set stays one that --weight accepts).
  function withShare(overrides, shares, node, share) {
    var parent = ITEMS[node].parent;
    var next = {};
    Object.keys(overrides).forEach(function (k) { next[k] = overrides[k]; });
    var rest = 1 - shares[node];
    ITEMS[parent].children.forEach(function (s) {
      if (s === node || !Object.prototype.hasOwnProperty.call(next, s)) return;
      if (rest > 1e-12) next[s] = next[s] * (1 - share) / rest;
      else delete next[s];
    });
    next[node] = share;
    return next;
  }

  function moved(node, share) {
    if (apply(withShare(current, result.shares, node, share), false)) writeFragment();
  }

  // ---- rendering -------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function fmt(x, digits) {
    return x === null || isNaN(x) ? "—" : x.toFixed(digits);
  }

  function pct(x) { return isNaN(x) ? "—" : (100 * x).toFixed(x > 0 && x < 0.1 ? 1 : 0) + "%"; }

  function safeLink(url) {
    if (typeof url !== "string") return null;
    return /^https?:\/\/[^\s"<>\\^`{|}]+$/i.test(url) ? url : null;
  }

  function label(id) { return ITEMS[id].kind === "indicator" ? ITEMS[id].short : ITEMS[id].label; }

  var AGGREGATION_NAMES = { arithmetic: "weighted mean", geometric: "weighted geometric mean",
    harmonic: "weighted harmonic mean", power: "weighted power mean",
    complement_geometric: "complement geometric mean", max: "maximum", min: "minimum",
    invert: "1 − its child", ratio: "ratio of its children" };

  var sliderInputs = {};
  var sliderOutputs = {};

  function buildSliders() {
    var box = document.getElementById("sliders");
    function group(node, depth) {
      var kids = ITEMS[node].children;
      var fieldset = el("fieldset", { className: "group depth" + depth });
      var legendText = node === ROOT ? "The index: shares of its dimensions" : "Inside " + ITEMS[node].label;
      var rule = AGGREGATION_NAMES[ITEMS[node].aggregation] || ITEMS[node].aggregation;
      if (ITEMS[node].min_coverage > 0) {
        rule += " · left out when under " + pct(ITEMS[node].min_coverage) + " of its weight is observed";
      }
      fieldset.appendChild(el("legend", { text: legendText }));
      fieldset.appendChild(el("p", { className: "note", text: rule }));
      kids.forEach(function (child) {
        var id = "w-" + child;
        var row = el("div", { className: "slider" });
        var text = label(child);
        var lab = el("label", { "for": id, text: text.charAt(0).toUpperCase() + text.slice(1) });
        if (ITEMS[child].kind === "indicator") lab.setAttribute("title", ITEMS[child].label);
        var input = el("input", { type: "range", id: id, min: "0", max: "1", step: "0.01",
          "aria-describedby": id + "-out", "data-node": child });
        var out = el("output", { id: id + "-out", "for": id });
        if (kids.length < 2) {
          input.disabled = true;
          input.setAttribute("title", "the only child of " + ITEMS[node].label + ": always 100%");
        }
        input.addEventListener("input", function () { moved(child, Number(input.value)); });
        sliderInputs[child] = input;
        sliderOutputs[child] = out;
        row.appendChild(lab);
        row.appendChild(el("div", { className: "control" }, [input, out]));
        fieldset.appendChild(row);
      });
      return fieldset;
    }
    (function visit(node, depth) {   // parents before children, in model order
      box.appendChild(group(node, depth));
      ITEMS[node].children.forEach(function (child) {
        if (ITEMS[child].kind === "node") visit(child, depth + 1);
      });
    }(ROOT, 0));
  }

  function updateSliders() {
    Object.keys(sliderInputs).forEach(function (id) {
      var share = result.shares[id];
      var input = sliderInputs[id];
      if (document.activeElement !== input || Math.abs(Number(input.value) - share) > 0.005) {
        input.value = String(share);
      }
      var text = pct(share) + (Object.prototype.hasOwnProperty.call(current, id) ? " what-if" : "");
      sliderOutputs[id].textContent = text;
      input.setAttribute("aria-valuetext", pct(share) + " of " + ITEMS[ITEMS[id].parent].label);
    });
  }

  var cards = [];

  function bar(value, className) {
    var fill = el("span", { className: "fill " + (className || "") });
    fill.style.width = (isNaN(value) ? 0 : Math.max(0, Math.min(100, value))) + "%";
    return el("span", { className: "track", "aria-hidden": "true" }, [fill]);
  }

  function evidenceList(e, col) {
    var ev = DATA.evidence[e][col];
    var list = el("ul", { className: "evidence" });
    if (ev.missing) list.appendChild(el("li", { className: "missing", text: "Missing: " + ev.missing }));
    if (ev.absent) list.appendChild(el("li", { text: "Documented absent: " + ev.absent }));
    if (ev.as_of || ev.published) {
      list.appendChild(el("li", { className: "dates", text: [ev.as_of ? "describes " + ev.as_of : "",
        ev.published ? "published " + ev.published : "", ev.selection || ""].filter(Boolean).join("; ") }));
    }
    if (ev.derivation) list.appendChild(el("li", { text: ev.derivation }));
    ev.items.forEach(function (item) {
      var li = el("li", { className: item.kind });
      if (item.quote) {
        li.appendChild(el("q", { text: item.quote }));
        li.appendChild(document.createTextNode(item.kind === "article" ?
          " (article" + (item.document ? ": " + item.document : "") + ")" : " "));
      }
      var bits = [item.source, item.date].filter(Boolean).join(", ");
      if (bits) li.appendChild(el("span", { className: "source", text: (item.quote ? " — " : "") + bits }));
      var href = safeLink(item.link);
      if (href) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("a", { href: href, rel: "noopener noreferrer nofollow", target: "_blank",
          className: "url", text: item.url }));
      } else if (item.url) {
        li.appendChild(el("span", { className: "url", text: " " + item.url }));
      }
      if (item.note) li.appendChild(el("span", { className: "note", text: " (" + item.note + ")" }));
      list.appendChild(li);
    });
    if (ev.judgement) list.appendChild(el("li", { className: "judgement", text: "Judgement: " + ev.judgement }));
    return list;
  }

  // ---- the ranking table: every entity, sortable, searchable, filtered by group -------------
  // Cards (contributions and evidence) are built when their row is opened, and only open
  // ones are updated, so a slider move costs one pass over the rows drawn (at most MAX_ROWS).

  var MAX_ROWS = 500;      // rows drawn at once; search or filter to reach the others
  var LABELS = DATA.labels || DATA.entities;
  var DIMS = ITEMS[ROOT].children;
  var GROUP_COLUMNS = DATA.group_columns || [];
  var rows = [];           // per entity, made when first drawn
  var open = {};           // entity -> true while its card is open
  var view = { key: "rank", dir: 1, query: "", groups: {} };
  var COLUMNS = [{ key: "rank", text: "Rank", num: true }, { key: "name", text: "Name" },
    { key: "score", text: "Score", num: true }].concat(DIMS.map(function (d) {
    return { key: "dim:" + d, text: label(d), num: true, title: ITEMS[d].label };
  })).concat(DATA.classes.length ? [{ key: "class", text: "Class" }] : [])
    .concat([{ key: "coverage", text: "Observed", num: true, title: "indicators observed, of " + IND.length }]);

  function makeCard(e) {
    var name = LABELS[e];
    var move = el("span", { className: "move" });
    var scoreBar = bar(0, "total");
    var dims = {};
    var dimBox = el("div", { className: "dims" });
    DIMS.forEach(function (d) {
      var val = el("span", { className: "val" });
      var b = bar(0);
      dims[d] = { val: val, bar: b };
      dimBox.appendChild(el("div", { className: "dim" }, [el("span", { className: "dlabel", text: label(d) }), b, val]));
    });
    var coverage = el("p", { className: "note coverage" });
    var contrib = {};
    var detailBody = el("div", { className: "contributions" });
    IND.forEach(function (id, col) {
      var points = el("span", { className: "points" });
      var info = el("span", { className: "info" });
      var b = bar(0, "contrib");
      var status = DATA.status[e][col];
      var value = el("span", { text: DATA.shown[e][col] + (status === "observed" || status === "missing" ? "" :
        " (" + status + ")") });
      contrib[id] = { points: points, info: info, bar: b, value: value };
      detailBody.appendChild(el("div", { className: "indicator" }, [
        el("div", { className: "ihead" }, [
          el("span", { className: "iname", text: ITEMS[id].label }), points]),
        el("div", { className: "ivalue" }, [value, info]),
        b,
        evidenceList(e, col)
      ]));
    });
    var details = el("details", {}, [el("summary", { text: "Contributions and evidence for " + name }), detailBody]);
    var box = el("div", { className: "country" }, [move, scoreBar, dimBox, coverage, details]);
    return { box: box, move: move, scoreBar: scoreBar, dims: dims, coverage: coverage, contrib: contrib };
  }

  function updateCard(e) {
    var card = cards[e], r = result.entities[e], scale = DATA.scale;
    var rank = result.ranks[e], was = baseline.ranks[e];
    card.move.textContent = isNaN(r.score) ? "no score: " + pct(r.coverage[ORDER.length - 1]) +
      " of the index weight is observed, below its minimum of " + pct(ITEMS[ROOT].min_coverage) :
      isNaN(rank) || isNaN(was) || rank === was ? "" :
      (rank < was ? "▲ up " + (was - rank) : "▼ down " + (rank - was)) + " from the starting rank " + was;
    card.scoreBar.firstChild.style.width = (isNaN(r.score) ? 0 : 100 * r.score / scale) + "%";
    DIMS.forEach(function (d) {
      var v = r.slots[slotOf(d)];
      card.dims[d].val.textContent = isNaN(v) ? "n/a" : fmt(v * scale, 1);
      card.dims[d].val.setAttribute("title", isNaN(v) ? "left out: too little of its weight observed" : "");
      card.dims[d].bar.firstChild.style.width = (isNaN(v) ? 0 : 100 * v) + "%";
    });
    var left = DIMS.filter(function (d) { return isNaN(r.slots[slotOf(d)]); });
    card.coverage.textContent = observedCount(e) + " of " + NI + " indicators observed; " +
      pct(r.coverage[ORDER.length - 1]) + " of the index weight on available dimensions" +
      (left.length ? " (n/a: " + left.map(label).join(", ") + " left out, too little of its weight observed)" : "");
    IND.forEach(function (id, col) {
      var c = card.contrib[id];
      var points = r.allocation[col] * scale;
      var normalised = r.slots[col];
      c.points.textContent = isNaN(points) ? (isNaN(normalised) ? "not scored" : "not counted") :
        "+" + points.toFixed(2) + " points" + (r.score > 0 ? " (" + pct(points / r.score) + ")" : "");
      c.info.textContent = isNaN(normalised) ? "" : " → " + fmt(normalised * scale, 1) + " of " +
        scale + " risk; effective weight " + fmt(r.effective[col], 3);
      // the bar is the indicator's share of the country's score
      c.bar.firstChild.style.width = (isNaN(points) || isNaN(r.score) || r.score <= 0 ? 0 :
        100 * points / r.score) + "%";
      c.bar.setAttribute("title", isNaN(points) || !(r.score > 0) ? "" : pct(points / r.score) + " of the score");
    });
  }

  function observedCount(e) {
    var n = 0;
    DATA.status[e].forEach(function (s) { if (s === "observed") n++; });
    return n;
  }

  function toggleCard(e, focus) {
    var row = rowOf(e);
    if (open[e]) {
      delete open[e];
      delete cards[e];
      if (row.cardRow.parentNode) row.cardRow.parentNode.removeChild(row.cardRow);
      row.cardRow = null;
    } else {
      open[e] = true;
      cards[e] = makeCard(e);
      row.cardRow = el("tr", { className: "card-row" }, [el("td", { colspan: String(COLUMNS.length) }, [cards[e].box])]);
      updateCard(e);
      if (row.tr.parentNode) row.tr.parentNode.insertBefore(row.cardRow, row.tr.nextSibling);
    }
    row.toggle.setAttribute("aria-expanded", open[e] ? "true" : "false");
    if (focus) row.toggle.focus();
  }

  // Set a text or attribute only when it changes: an unchanged cell then costs no layout.
  function setText(node, text) { if (node.textContent !== text) node.textContent = text; }
  function setAttr(node, name, value) { if (node.getAttribute(name) !== value) node.setAttribute(name, value); }

  var drawnBefore = [];

  function rowOf(e) {
    if (rows[e]) return rows[e];
    var toggle = el("button", { type: "button", className: "open", "aria-expanded": "false",
      title: "contributions and evidence", text: LABELS[e] });
    toggle.addEventListener("click", function () { toggleCard(e, false); });
    var cells = {};
    var tds = COLUMNS.map(function (c) {
      var td = c.key === "name" ? el("th", { scope: "row" }, [toggle]) : el("td", { className: c.num ? "num" : "" });
      cells[c.key] = td;
      return td;
    });
    var tr = el("tr", { "data-entity": DATA.entities[e] }, tds);
    rows[e] = { tr: tr, cells: cells, toggle: toggle, cardRow: null };
    return rows[e];
  }

  // the sort value of one column for entity e (NaN sorts last either way)
  function sortValue(key, e) {
    var r = result.entities[e];
    if (key === "rank") return result.ranks[e];
    if (key === "name") return LABELS[e].toLowerCase();
    if (key === "score") return r.score;
    if (key === "class") return isNaN(r.score) ? NaN : classIndex(r.score);
    if (key === "coverage") return observedCount(e);
    return r.slots[slotOf(key.slice(4))];
  }

  function visible(e) {
    if (view.query) {
      var q = view.query;
      if (LABELS[e].toLowerCase().indexOf(q) < 0 && DATA.entities[e].toLowerCase().indexOf(q) < 0) return false;
    }
    for (var c in view.groups) {
      if (Object.prototype.hasOwnProperty.call(view.groups, c) && groupOf(e, c) !== view.groups[c]) return false;
    }
    return true;
  }

  function groupOf(e, column) {
    var g = DATA.group_ranks && DATA.group_ranks[DATA.entities[e]];
    return g && g[column] ? g[column].group : null;
  }

  function sortedVisible() {
    var key = view.key, dir = view.dir;
    var list = result.order.filter(visible);
    if (key === "rank" && dir === 1) return list;   // already in rank order
    var values = {};
    list.forEach(function (e) { values[e] = sortValue(key, e); });
    list.sort(function (a, b) {
      var x = values[a], y = values[b];
      var xn = typeof x === "number" && isNaN(x), yn = typeof y === "number" && isNaN(y);
      if (xn || yn) return xn === yn ? result.ranksOrder[a] - result.ranksOrder[b] : (xn ? 1 : -1);
      if (x < y) return -dir;
      if (x > y) return dir;
      return result.ranksOrder[a] - result.ranksOrder[b];
    });
    return list;
  }

  function updateTable() {
    var body = document.getElementById("results");
    var scale = DATA.scale;
    result.ranksOrder = {};
    result.order.forEach(function (e, k) { result.ranksOrder[e] = k; });
    var list = sortedVisible();
    var drawn = list.slice(0, MAX_ROWS);
    var frag = document.createDocumentFragment();
    drawn.forEach(function (e) {
      var row = rowOf(e), r = result.entities[e], cells = row.cells;
      var rank = result.ranks[e], was = baseline.ranks[e];
      setText(cells.rank, isNaN(rank) ? "–" : String(rank));
      setAttr(cells.rank, "class", "num" + (isNaN(rank) || isNaN(was) || rank === was ? "" : rank < was ? " up" : " down"));
      setAttr(cells.rank, "title", isNaN(rank) || isNaN(was) || rank === was ? "" : "was " + was);
      setText(cells.score, fmt(r.score, 1));
      DIMS.forEach(function (d) {
        var v = r.slots[slotOf(d)];
        setText(cells["dim:" + d], isNaN(v) ? "n/a" : fmt(v * scale, 1));
      });
      if (cells["class"]) setText(cells["class"], isNaN(r.score) ? "—" : scoreClass(r.score).replace(/^ · /, ""));
      setText(cells.coverage, observedCount(e) + "/" + NI);
      frag.appendChild(row.tr);
      if (open[e]) {
        updateCard(e);
        frag.appendChild(row.cardRow);
      }
    });
    // the rows move only when their order (or the open cards) changed
    var same = drawn.length === drawnBefore.length && drawn.every(function (e, k) {
      return e === drawnBefore[k] && (!open[e] || (rows[e].cardRow && rows[e].cardRow.parentNode === body));
    }) && body.childNodes.length === drawn.length + Object.keys(open).filter(function (e) {
      return drawn.indexOf(Number(e)) >= 0; }).length;
    if (!same) {
      body.textContent = "";
      body.appendChild(frag);
    }
    drawnBefore = drawn;
    var total = DATA.entities.length;
    document.getElementById("shown-count").textContent = (list.length === total ? total + " entities" :
      list.length + " of " + total + " entities") + (list.length > drawn.length ?
      "; the first " + drawn.length + " drawn (search or filter to narrow)" : "");
    document.querySelectorAll("#ranking-table thead th").forEach(function (th) {
      var key = th.getAttribute("data-key");
      th.setAttribute("aria-sort", key === view.key ? (view.dir === 1 ? "ascending" : "descending") : "none");
    });
    scheduleMap(list);
  }

  // The map follows MAP_DELAY ms after the last change: repainting every country is the
  // slowest part of a move, so a slider being dragged only re-sorts the table.
  var MAP_DELAY = 120, mapTimer = null, mapFirst = true;

  function scheduleMap(list) {
    if (!DATA.map) return;
    if (mapFirst) { mapFirst = false; updateMap(list); return; }
    var box = document.getElementById("map");
    box.setAttribute("data-pending", "true");
    if (mapTimer !== null) clearTimeout(mapTimer);
    mapTimer = setTimeout(function () {
      mapTimer = null;
      updateMap(list);
      box.removeAttribute("data-pending");
    }, MAP_DELAY);
  }

  function buildTable() {
    var head = el("tr", {}, COLUMNS.map(function (c) {
      var button = el("button", { type: "button", className: "sort", text: c.text });
      if (c.title) button.setAttribute("title", c.title);
      button.addEventListener("click", function () {
        if (view.key === c.key) view.dir = -view.dir;
        else { view.key = c.key; view.dir = c.num && c.key !== "rank" ? -1 : 1; }
        updateTable();
      });
      return el("th", { scope: "col", "data-key": c.key, className: c.num ? "num" : "" }, [button]);
    }));
    document.querySelector("#ranking-table thead").appendChild(head);
    var search = document.getElementById("search");
    search.addEventListener("input", function () {
      view.query = search.value.trim().toLowerCase();
      updateTable();
    });
    var box = document.getElementById("group-filters");
    GROUP_COLUMNS.forEach(function (column) {
      var found = {};
      DATA.entities.forEach(function (_, e) { var g = groupOf(e, column); if (g !== null) found[g] = true; });
      var select = el("select", { "data-column": column }, [el("option", { value: "", text: "all" })].concat(
        Object.keys(found).sort().map(function (g) { return el("option", { value: g, text: g }); })));
      select.addEventListener("change", function () {
        if (select.value) view.groups[column] = select.value; else delete view.groups[column];
        updateTable();
      });
      box.appendChild(el("label", { text: column + " " }, [select]));
    });
  }

  // ---- the map: the countries coloured by score, following the sliders ------------------

  var mapPaths = {};       // entity index -> its path
  var mapLow = 0, mapHigh = DATA.scale;
  // YlOrRd (ColorBrewer), as the report's map
  var RAMP = [[255, 255, 204], [255, 237, 160], [254, 217, 118], [254, 178, 76], [253, 141, 60],
    [252, 78, 42], [227, 26, 28], [189, 0, 38], [128, 0, 38]];

  function rampColour(t) {
    t = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
    var k = Math.min(RAMP.length - 2, Math.floor(t)), f = t - k;
    var c = RAMP[k].map(function (v, i) { return Math.round(v + f * (RAMP[k + 1][i] - v)); });
    return "rgb(" + c.join(",") + ")";
  }

  function buildMap() {
    var m = DATA.map;
    var box = document.getElementById("map");
    if (!m) { box.hidden = true; return; }
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", m.view.join(" "));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "World map of the scores; the table above has every number");
    var byCode = {};
    Object.keys(m.placed).forEach(function (e) { byCode[m.placed[e]] = Number(e); });
    Object.keys(m.paths).sort().forEach(function (code) {
      var path = document.createElementNS(NS, "path");
      path.setAttribute("d", m.paths[code]);
      path.setAttribute("fill-rule", "evenodd");
      if (Object.prototype.hasOwnProperty.call(byCode, code)) {
        var e = byCode[code];
        path.setAttribute("class", "placed");
        path.setAttribute("data-entity", DATA.entities[e]);
        path.appendChild(document.createElementNS(NS, "title"));
        path.addEventListener("click", function () {
          if (!open[e]) toggleCard(e, true);
          else rowOf(e).toggle.focus();
        });
        mapPaths[e] = path;
      } else {
        path.setAttribute("class", "land");
      }
      svg.appendChild(path);
    });
    var scores = baseline.entities.map(function (r) { return r.score; }).filter(function (s) { return !isNaN(s); });
    if (scores.length) {   // the scores' range widened to tenths of the scale, as the report's map
      var step = DATA.scale / 10;
      mapLow = Math.floor(Math.min.apply(null, scores) / step) * step;
      mapHigh = Math.ceil(Math.max.apply(null, scores) / step) * step;
      if (mapHigh <= mapLow) { mapLow = Math.max(0, mapLow - step); mapHigh = Math.min(DATA.scale, mapHigh + step); }
    }
    var stops = RAMP.map(function (c, k) { return "rgb(" + c.join(",") + ") " + Math.round(100 * k / (RAMP.length - 1)) + "%"; });
    var legend = el("div", { className: "legend" }, [el("span", { text: fmt(mapLow, 0) }),
      el("span", { className: "ramp" }), el("span", { text: fmt(mapHigh, 0) + " score (higher = more risk); light grey: not in the data; mid grey: no score" })]);
    legend.querySelector(".ramp").style.background = "linear-gradient(to right, " + stops.join(", ") + ")";
    box.appendChild(el("h3", { text: "Map" }));
    box.appendChild(svg);
    box.appendChild(legend);
    if (m.unplaced.length) {
      box.appendChild(el("p", { className: "note", text: "Not on the map: " + m.unplaced.map(function (u) {
        return LABELS[u[0]] + " (" + u[1] + ")";
      }).join("; ") + "." }));
    }
  }

  function updateMap(list) {
    if (!DATA.map) return;
    var shown = {};
    list.forEach(function (e) { shown[e] = true; });
    Object.keys(mapPaths).forEach(function (key) {
      var e = Number(key), path = mapPaths[e], r = result.entities[e];
      var none = isNaN(r.score);
      var fill = none ? "" : rampColour((r.score - mapLow) / (mapHigh - mapLow));
      if (path.getAttribute("data-fill") !== fill) {
        path.style.fill = fill;
        path.setAttribute("data-fill", fill);
      }
      setAttr(path, "class", "placed" + (none ? " none" : "") + (shown[e] ? "" : " hidden"));
      setText(path.firstChild, LABELS[e] + ": " + (none ? "no score" :
        fmt(r.score, 1) + ", rank " + result.ranks[e]));
    });
  }

  function classIndex(score) {
    var label = scoreClass(score).replace(/^ · /, "");
    for (var k = 0; k < DATA.classes.length; k++) if (DATA.classes[k].label === label) return k;
    return NaN;
  }

  // Model.score_class: the last band (in model order) whose lower bound the score reaches.
  function scoreClass(score) {
    if (!DATA.classes.length) return "";
    if (DATA.class_decimals !== null) {
      var f = Math.pow(10, DATA.class_decimals);
      score = rint(score * f) / f;
    }
    var found = null;
    DATA.classes.forEach(function (c) { if (score >= c.from - 1e-12) found = c.label; });
    return found === null ? "" : " · " + found;
  }

  function updateMini() {
    var mini = document.getElementById("mini");
    mini.textContent = "";
    var TOP = 6;   // a strip, not a second ranking: it must not cover a phone's screen
    result.order.slice(0, TOP).forEach(function (e) {
      var r = result.entities[e];
      mini.appendChild(el("span", { text: isNaN(r.score) ? DATA.entities[e] + ": no score" :
        result.ranks[e] + " " + DATA.entities[e] + " " + fmt(r.score, 1) }));
    });
    if (result.order.length > TOP) mini.appendChild(el("span", { text: "+" + (result.order.length - TOP) + " more" }));
  }

  function updateSummary() {
    var keys = Object.keys(current);
    var set = setOf(current);
    document.getElementById("what-if").textContent = (set ? "Weight set " + set.name :
      keys.length ? "What-if weights: " + keys.map(function (k) { return k + " " + pct(current[k]); }).join(", ") :
      "Configured weights") + (DATA.what_if.length || edits.length ? " · what-if data: " +
      DATA.what_if.concat(edits.map(editText)).join("; ") : "");
    var select = document.getElementById("weight-set");
    if (select.options.length) select.value = set ? set.name : keys.length ? "-" : "";
  }

  // ---- data what-ifs: the page's --set ENTITY:INDICATOR=VALUE -----------------------------
  // A port of riskscore/inputs/what_if.py (check_what_if) and of the goalpost path of
  // riskscore/engine/pipeline.py (normalise_matrix); same rules, same messages.

  var edits = [];          // {e, col, value, was}: in the order made

  function setError(where, problem, expected) {
    var err = new Error("--set: " + where + ": " + problem + (expected ? "; expected " + expected : ""));
    err.isWeightError = true;
    return err;
  }

  var TRANSFORMS = { log: Math.log, log10: Math.log10, log1p: Math.log1p };

  function editedValue(e, col, text) {
    var id = IND[col];
    var rule = DATA.edit[id];
    var where = DATA.entities[e] + ":" + id;
    var stripped = text.trim();
    if (!NUMBER.test(text) || !isFinite(Number(stripped))) {
      throw setError(where, "has the value '" + stripped + "'", "a number ('" + stripped + "' is not " +
        DATA.number_syntax + ")");
    }
    var value = Number(stripped);
    var d = rule.domain;
    if (d) {
      var low = d.lower === null ? -Infinity : d.lower, high = d.upper === null ? Infinity : d.upper;
      var tooLow = d.lower_open ? value <= low : value < low;
      if (tooLow || value > high) {
        throw setError(where, "is " + fmtG(value) + ", outside the indicator's domain (" + d.name + ": " +
          d.describe + ")", "a value inside the indicator's domain");
      }
      if (d.integer && value !== Math.floor(value)) {
        throw setError(where, "is " + fmtG(value) + ", not a whole number (domain " + d.name + ": " +
          d.describe + ")", "a value inside the indicator's domain");
      }
    }
    if (rule.transform && !(value > (rule.transform === "log1p" ? -1 : 0))) {
      throw setError(where, "is " + fmtG(value) + " under a " + rule.transform + " transform",
        "a value that is " + rule.transform_expected);
    }
    if (rule.why_not) throw setError(where, "cannot be tried on this page: " + rule.why_not, null);
    var f = rule.transform ? TRANSFORMS[rule.transform] : function (x) { return x; };
    var lo = f(rule.goalposts[0]), hi = f(rule.goalposts[1]);
    var part = Math.min(1, Math.max(0, (f(value) - lo) / (hi - lo)));
    if (!rule.higher) part = 1 - part;
    return { value: value, normalised: rule.range[0] + (rule.range[1] - rule.range[0]) * part };
  }

  function editText(x) {
    return DATA.entities[x.e] + ":" + IND[x.col] + "=" + fmtG(x.value) + " (was " +
      (x.was === null ? "missing" : x.was) + ")";
  }

  function tryEdit(e, col, text) {
    var got;
    try {
      got = editedValue(e, col, text);
    } catch (err) {
      if (!err.isWeightError) throw err;
      showError(err.message);
      setState(current, err.message);
      return false;
    }
    var known = edits.filter(function (x) { return x.e === e && x.col === col; })[0];
    if (!known) {
      known = { e: e, col: col, was: DATA.raw[e][col] === null ? null : fmtG(DATA.raw[e][col]),
        original: DATA.values[e][col], status: DATA.status[e][col] };
      edits.push(known);
    }
    known.value = got.value;
    DATA.values[e][col] = got.normalised;
    DATA.status[e][col] = "observed";
    if (cards[e] && cards[e].contrib[IND[col]].value) {
      cards[e].contrib[IND[col]].value.textContent = fmtG(got.value) + " (what-if, was " +
        (known.was === null ? "missing" : known.was) + ")";
    }
    return apply(current, false);
  }

  function clearEdits() {
    edits.forEach(function (x) {
      DATA.values[x.e][x.col] = x.original;
      DATA.status[x.e][x.col] = x.status;
      if (cards[x.e]) cards[x.e].contrib[IND[x.col]].value.textContent = DATA.shown[x.e][x.col];
    });
    edits = [];
    apply(current, false);
  }

  function buildEditor() {
    var form = document.getElementById("edit");
    var entity = document.getElementById("edit-entity");
    var indicator = document.getElementById("edit-indicator");
    var value = document.getElementById("edit-value");
    DATA.entities.forEach(function (name, e) { entity.appendChild(el("option", { value: String(e), text: name })); });
    IND.forEach(function (id, col) {
      var opt = el("option", { value: String(col), text: label(id) });
      if (DATA.edit[id].why_not) opt.setAttribute("title", DATA.edit[id].why_not);
      indicator.appendChild(opt);
    });
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      tryEdit(Number(entity.value), Number(indicator.value), value.value);
    });
    document.getElementById("edit-clear").addEventListener("click", clearEdits);
  }

  // ---- named weight sets ([weight_sets.NAME]): a selector that sets their shares ------------

  function setOf(overrides) {
    return DATA.weight_sets.filter(function (s) {
      var keys = Object.keys(s.overrides);
      return keys.length === Object.keys(overrides).length && keys.every(function (k) {
        return Object.prototype.hasOwnProperty.call(overrides, k) &&
          Math.abs(overrides[k] - s.overrides[k]) < 1e-9;
      });
    })[0] || null;
  }

  function buildSetSelector() {
    var select = document.getElementById("weight-set");
    if (!DATA.weight_sets.length) return;
    select.parentNode.hidden = false;
    select.appendChild(el("option", { value: "", text: "as configured" }));
    DATA.weight_sets.forEach(function (s) {
      select.appendChild(el("option", { value: s.name, text: s.name, title: s.text }));
    });
    select.appendChild(el("option", { value: "-", text: "other weights", disabled: "disabled" }));
    select.addEventListener("change", function () {
      var chosen = DATA.weight_sets.filter(function (s) { return s.name === select.value; })[0];
      if (apply(chosen ? chosen.overrides : {}, false)) writeFragment();
    });
  }

  function render() {
    updateSliders();
    updateTable();
    updateMini();
    updateSummary();
  }

  function buildSensitivity() {
    var box = document.getElementById("sensitivity");
    var s = DATA.sensitivity;
    if (!s) {
      box.appendChild(el("p", { className: "note", text: "Rank intervals were not computed for this page (riskscore explore --samples 0)." }));
      return;
    }
    box.appendChild(el("h2", { text: "How sure is the ranking?" }));
    box.appendChild(el("p", { className: "note", text: s.samples + " Monte Carlo draws (seed " + s.seed +
      ") of weights and modelling choices around the starting weights: each country's median rank, " +
      "5–95% rank interval, chance of ranking first or in the top " + s.top_k + ", and 5–95% score interval." }));
    var head = el("tr", {}, ["Country", "Rank", "Median", "5–\u206095%", "P(1st)", "P(top " + s.top_k + ")", "Score 5–\u206095%"].map(function (h) {
      return el("th", { scope: "col", text: h });
    }));
    var body = el("tbody", {}, s.rows.map(function (row) {
      return el("tr", {}, [
        el("th", { scope: "row", text: row.entity }),
        el("td", { text: row.rank === null ? "—" : String(row.rank) }),
        el("td", { text: row.median_rank === null ? "—" : String(row.median_rank) }),
        el("td", { text: row.rank_p05 === null ? "—" : row.rank_p05 + "–" + row.rank_p95 }),
        el("td", { text: pct(row.p_top1) }),
        el("td", { text: pct(row.p_topk) }),
        el("td", { text: fmt(row.score_p05, 0) + "–" + fmt(row.score_p95, 0) })
      ]);
    }));
    box.appendChild(el("div", { className: "table-wrap", tabindex: "0", role: "region", "aria-label": "Rank intervals" },
      [el("table", {}, [el("thead", {}, [head]), body])]));
    box.appendChild(el("h3", { text: "Tipping points at the starting weights" }));
    if (!s.tipping.length) {
      box.appendChild(el("p", { className: "note", text: "No single weight in [0, 1] swaps two neighbours in the ranking." }));
      return;
    }
    box.appendChild(el("p", { className: "note", text: "The smallest change of one weight (its siblings " +
      "keeping their proportions) that swaps two neighbours in the ranking. \u201cTry it\u201d moves that " +
      "weight just past the tipping point, from the starting weights." }));
    box.appendChild(el("ul", { className: "tipping" }, s.tipping.map(function (t) {
      var rises = t.weight_to > t.weight_from;
      // just past the swap, on the 0.01 grid of the sliders
      var past = Math.min(1, Math.max(0, rises ? Math.ceil(t.weight_to * 100 + 1e-9) / 100 :
        Math.floor(t.weight_to * 100 - 1e-9) / 100));
      var within = t.parent === ROOT ? "the index" : ITEMS[t.parent].label;
      var text = t.entities[0] + " overtakes " + t.entities[1] + " if the weight of " +
        label(t.node) + " (within " + within + ") " + (rises ? "rises" : "falls") + " from " +
        pct(t.weight_from) + " to " + pct(t.weight_to) + ". ";
      var frag = withShare(DATA.initial, baseline.shares, t.node, past);
      return el("li", { "data-node": t.node, "data-overtaker": t.entities[0], "data-overtaken": t.entities[1] }, [
        document.createTextNode(text),
        el("a", { href: fragmentOf(frag), className: "try", text: "Try it (" + pct(past) + ")", title: "set " + t.node + " to " + past })
      ]);
    })));
  }

  function buildAbout() {
    var i = DATA.inputs;
    document.getElementById("scale-note").textContent = "Scores 0–" + DATA.scale +
      ", higher = more risk. Missing values: " + DATA.missing + "; normalisation: " + DATA.normalisation + ".";
    document.getElementById("about").textContent = "riskscore " + DATA.riskscore + " · model " + i.config +
      " (sha256 " + i.config_sha256.slice(0, 12) + "…) · inputs " + i.inputs + " (sha256 " +
      i.inputs_sha256.slice(0, 12) + "…) · sources: " + i.sources + (i.as_of ? " · as of " + i.as_of : "") +
      ". The same weights on the command line: riskscore score --weight NODE=W …";
  }

  function fromHash() {
    var overrides;
    try {
      overrides = parseFragment(location.hash);
    } catch (err) {
      if (!err.isWeightError) throw err;
      if (!result) { current = DATA.initial; result = assess(current); render(); }
      showError("The address asks for weights the model cannot take: " + err.message);
      setState(current, err.message);
      return;
    }
    apply(overrides === null ? DATA.initial : overrides, true);
  }

  // For tests and other tools: the contributions (points) now shown, entity -> indicator -> points.
  window.riskscoreExplore = {
    contributions: function () {
      var out = {};
      DATA.entities.forEach(function (name, e) {
        out[name] = {};
        IND.forEach(function (id, col) {
          var points = result.entities[e].allocation[col] * DATA.scale;
          out[name][id] = isNaN(points) ? null : points;
        });
      });
      return out;
    }
  };

  baseline = assess(DATA.initial);
  buildSetSelector();
  buildEditor();
  buildSliders();
  buildTable();
  buildMap();
  buildSensitivity();
  buildAbout();
  fromHash();
  window.addEventListener("hashchange", fromHash);
  document.getElementById("reset").addEventListener("click", function () {
    apply(DATA.initial, false);
    writeFragment();
  });
  document.querySelector(".skip").addEventListener("click", function (ev) {
    ev.preventDefault();   // keep the weights in the address bar
    document.getElementById("ranking").focus();
  });
}());

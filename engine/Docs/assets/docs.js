// The docs site's behaviour: draws the lineage graph as SVG from dagre's layout, opens a step's
// page on click (or #layer.step in the address), filters by name. The data is the JSON that
// `engine docs` embedded in the page, because a page opened from disk (file://) may not
// request the files next to it.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('docs-data').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var NODE_H = 42, PAD_X = 14, STRIP = 4, HEADER_H = 52;
  var FONT = '-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif';
  var steps = new Map(data.steps.map(function (s) { return [s.id, s]; }));
  var layerIndex = new Map(data.layers.map(function (l, i) { return [l.name, i]; }));
  var nodes = new Map(), edges = [], selected = null, scale = 1, graphSize = null;

  var measure = (function () {
    var context = document.createElement('canvas').getContext('2d');
    return function (text, font) { context.font = font; return context.measureText(text).width; };
  })();

  function formatRows(n) { return n.toLocaleString('en-US') + (n === 1 ? ' row' : ' rows'); }
  function formatSeconds(s) { return s < 1 ? Math.round(s * 1000) + ' ms' : s < 60 ? s.toFixed(2) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s'; }
  function subtitle(step) {
    var run = step.lastRun;
    if (!run) return step.materialize;
    if (run.status === 'failed') return step.materialize + ' · failed';
    if (run.status === 'skipped') return step.materialize + ' · skipped';
    return step.materialize + ' · ' + formatRows(run.rows) + ' · ' + formatSeconds(run.seconds);
  }

  // Layers as columns: a step's rank is its layer's first column plus its depth among the steps
  // of its own layer. dagre then orders the steps within each column, places them and routes
  // the edges (ranker "none" keeps these ranks).
  function ranks() {
    var depth = new Map(), rank = new Map(), start = 0;
    data.layers.forEach(function (layer) {
      var width = 0;
      data.steps.filter(function (s) { return s.layer === layer.name; }).forEach(function (s) {
        var d = 0;
        s.upstream.forEach(function (u) { if (steps.get(u).layer === layer.name) d = Math.max(d, depth.get(u) + 1); });
        depth.set(s.id, d);
        rank.set(s.id, start + d);
        width = Math.max(width, d + 1);
      });
      start += width;
    });
    return rank;
  }

  function layout() {
    var g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', ranker: 'none', nodesep: 10, ranksep: 48, marginx: 24, marginy: 16 });
    g.setDefaultEdgeLabel(function () { return {}; });
    var rank = ranks();
    data.steps.forEach(function (s) {
      var width = Math.max(measure(s.name, '600 13px ' + FONT), measure(subtitle(s), '11px ' + FONT)) + 2 * PAD_X + STRIP;
      // dagre doubles ranks internally (room for edge labels), so ours go in even.
      g.setNode(s.id, { width: Math.ceil(width), height: NODE_H, rank: 2 * rank.get(s.id) });
    });
    data.edges.forEach(function (e) { g.setEdge(e.from, e.to); });
    dagre.layout(g);
    return g;
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  // An edge leaves the right side of its step and enters the left side of the next (the graph
  // reads left to right), then follows dagre's bend points as a B-spline (d3's curveBasis).
  function edgePath(points, from, to) {
    var start = { x: from.x + from.width / 2, y: from.y }, end = { x: to.x - to.width / 2 - 1, y: to.y };
    var ps = [start, { x: start.x + 14, y: start.y }].concat(points.slice(1, -1), [{ x: end.x - 14, y: end.y }, end]);
    var d = 'M' + ps[0].x + ',' + ps[0].y + ' L' + ((5 * ps[0].x + ps[1].x) / 6) + ',' + ((5 * ps[0].y + ps[1].y) / 6);
    for (var i = 2; i <= ps.length; i++) {
      var p0 = ps[i - 2], p1 = ps[i - 1], p = ps[Math.min(i, ps.length - 1)];
      d += ' C' + (2 * p0.x + p1.x) / 3 + ',' + (2 * p0.y + p1.y) / 3 + ' ' + (p0.x + 2 * p1.x) / 3 + ',' + (p0.y + 2 * p1.y) / 3 +
        ' ' + (p0.x + 4 * p1.x + p.x) / 6 + ',' + (p0.y + 4 * p1.y + p.y) / 6;
    }
    return d + ' L' + end.x + ',' + end.y;
  }

  function draw() {
    var g = layout();
    var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    function grow(x, y) { box.x0 = Math.min(box.x0, x); box.y0 = Math.min(box.y0, y); box.x1 = Math.max(box.x1, x); box.y1 = Math.max(box.y1, y); }
    g.nodes().forEach(function (id) { var n = g.node(id); grow(n.x - n.width / 2, n.y - n.height / 2); grow(n.x + n.width / 2, n.y + n.height / 2); });
    g.edges().forEach(function (e) { g.edge(e).points.forEach(function (p) { grow(p.x, p.y); }); });
    var dx = 24 - box.x0, dy = HEADER_H + 12 - box.y0;
    var width = box.x1 - box.x0 + 48, height = box.y1 - box.y0 + HEADER_H + 28;
    graphSize = { width: width, height: height };

    var svg = el('svg', { id: 'lineage', role: 'img', 'aria-label': 'Lineage graph of ' + data.pipeline, 'data-steps': data.steps.length, 'data-edges': data.edges.length });
    var defs = el('defs', {}, svg);
    ['arrow', 'arrow-hot'].forEach(function (id) {
      // Sized in graph units, so a highlighted (thicker) edge keeps the same arrowhead.
      var marker = el('marker', { id: id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', 'class': id }, marker);
    });
    var root = el('g', { transform: 'translate(' + dx + ',' + dy + ')' }, svg);

    // Layer columns: a band behind the steps of each layer, its name on top.
    var bands = el('g', { 'class': 'bands' }, root);
    data.layers.forEach(function (layer, i) {
      var members = data.steps.filter(function (s) { return s.layer === layer.name; }).map(function (s) { return g.node(s.id); });
      if (!members.length) return;
      var x0 = Math.min.apply(null, members.map(function (n) { return n.x - n.width / 2; })) - 12;
      var x1 = Math.max.apply(null, members.map(function (n) { return n.x + n.width / 2; })) + 12;
      el('rect', { x: x0, y: box.y0 - HEADER_H, width: x1 - x0, height: box.y1 - box.y0 + HEADER_H + 12, rx: 10, 'class': 'band band-' + (i % 2) }, bands);
      var title = el('text', { x: x0 + 12, y: box.y0 - HEADER_H + 22, 'class': 'band-title' }, bands);
      title.textContent = layer.name;
      var sub = el('text', { x: x0 + 12, y: box.y0 - HEADER_H + 38, 'class': 'band-sub' }, bands);
      sub.textContent = layer.schema + ' · ' + layer.steps + (layer.steps === 1 ? ' step' : ' steps');
    });

    var edgeLayer = el('g', { 'class': 'edges' }, root);
    data.edges.forEach(function (e) {
      var path = el('path', { d: edgePath(g.edge(e.from, e.to).points, g.node(e.from), g.node(e.to)), 'class': 'edge', 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to }, edgeLayer);
      edges.push({ from: e.from, to: e.to, path: path });
    });

    var nodeLayer = el('g', { 'class': 'nodes' }, root);
    data.steps.forEach(function (s) {
      var n = g.node(s.id), x = n.x - n.width / 2, y = n.y - n.height / 2;
      var status = s.lastRun ? s.lastRun.status : 'none';
      var group = el('g', { 'class': 'node status-' + status + ' layer-' + (layerIndex.get(s.layer) % 4), 'data-step': s.id, tabindex: 0, role: 'button', 'aria-label': s.id }, nodeLayer);
      el('rect', { x: x, y: y, width: n.width, height: n.height, rx: 7, 'class': 'box' }, group);
      el('rect', { x: x, y: y, width: STRIP, height: n.height, rx: 2, 'class': 'strip' }, group);
      var name = el('text', { x: x + STRIP + PAD_X, y: y + 19, 'class': 'name' }, group);
      name.textContent = s.name;
      var sub = el('text', { x: x + STRIP + PAD_X, y: y + 35, 'class': 'sub' }, group);
      sub.textContent = subtitle(s);
      var tip = el('title', {}, group);
      tip.textContent = s.id + (s.description ? '\n' + s.description : '');
      group.addEventListener('click', function () { open(s.id); });
      group.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(s.id); } });
      nodes.set(s.id, { group: group, x: n.x + dx, y: n.y + dy, half: n.width / 2 });
    });
    document.getElementById('graph').appendChild(svg);
    fit();
  }

  function applyScale() {
    var svg = document.getElementById('lineage');
    svg.setAttribute('viewBox', '0 0 ' + graphSize.width + ' ' + graphSize.height);
    svg.setAttribute('width', Math.round(graphSize.width * scale));
    svg.setAttribute('height', Math.round(graphSize.height * scale));
    document.getElementById('zoom-level').textContent = Math.round(scale * 100) + '%';
  }

  function fit() {
    var pane = document.getElementById('graph');
    // The drawer of a step overlays the graph (the pane pads for it), so opening a step never
    // rescales the graph under the pointer.
    var available = pane.clientWidth - 24;
    // Text below ~70% of its size stops being readable: scroll rather than shrink further.
    scale = Math.max(0.7, Math.min(1, available / graphSize.width));
    applyScale();
  }

  function lineage(id) {
    var seen = new Set([id]);
    function walk(start, next) {
      var stack = [start];
      while (stack.length) steps.get(stack.pop())[next].forEach(function (s) { if (!seen.has(s)) { seen.add(s); stack.push(s); } });
    }
    walk(id, 'upstream'); walk(id, 'downstream');
    return seen;
  }

  function highlight() {
    var related = selected ? lineage(selected) : null;
    document.body.classList.toggle('has-step', !!selected);
    nodes.forEach(function (n, id) {
      n.group.classList.toggle('selected', id === selected);
      n.group.classList.toggle('faded', !!related && !related.has(id));
    });
    edges.forEach(function (e) {
      var hot = !!related && related.has(e.from) && related.has(e.to);
      e.path.classList.toggle('hot', hot);
      e.path.classList.toggle('faded', !!related && !hot);
      e.path.setAttribute('marker-end', hot ? 'url(#arrow-hot)' : 'url(#arrow)');
    });
    document.querySelectorAll('#nav a[data-step]').forEach(function (a) { a.classList.toggle('current', a.dataset.step === selected); });
  }

  function open(id) {
    if (!steps.has(id)) return;
    if (location.hash.slice(1) !== id) history.replaceState(null, '', '#' + id);
    selected = id;
    document.querySelectorAll('#details article.step').forEach(function (a) { a.hidden = a.dataset.step !== id; });
    document.getElementById('details').scrollTop = 0;
    highlight();
    // Bring the step into the part of the graph that the drawer leaves visible.
    var node = nodes.get(id), pane = document.getElementById('graph');
    var visible = pane.clientWidth - document.getElementById('details').offsetWidth;
    var x = node.x * scale - pane.scrollLeft, y = node.y * scale - pane.scrollTop;
    if (x - node.half * scale < 8 || x + node.half * scale > visible - 16 || y < 40 || y > pane.clientHeight - 40)
      // Two thirds across: a step's upstream, usually what one is after, stays in view on its left.
      pane.scrollTo({ left: Math.max(0, node.x * scale - visible * 2 / 3), top: Math.max(0, node.y * scale - pane.clientHeight / 2) });
    var link = document.querySelector('#nav a[data-step="' + id + '"]');
    if (link) link.scrollIntoView({ block: 'nearest' });
  }

  function close() {
    selected = null;
    history.replaceState(null, '', location.pathname);
    document.querySelectorAll('#details article.step').forEach(function (a) { a.hidden = true; });
    highlight();
  }

  function search(text) {
    var q = text.trim().toLowerCase(), first = null;
    document.querySelectorAll('#nav li').forEach(function (li) {
      var match = !q || li.dataset.step.toLowerCase().indexOf(q) >= 0;
      li.hidden = !match;
      if (match && !first) first = li.dataset.step;
    });
    document.querySelectorAll('#nav .nav-layer').forEach(function (layer) {
      layer.hidden = !layer.querySelector('li:not([hidden])');
    });
    nodes.forEach(function (n, id) { n.group.classList.toggle('miss', !!q && id.toLowerCase().indexOf(q) < 0); });
    document.getElementById('no-match').hidden = !!first;
    return first;
  }

  document.getElementById('search').addEventListener('input', function (ev) { search(ev.target.value); });
  document.getElementById('search').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { var first = search(ev.target.value); if (first) open(first); }
  });
  document.getElementById('nav').addEventListener('click', function (ev) {
    var a = ev.target.closest('a[data-step]');
    if (a) { ev.preventDefault(); open(a.dataset.step); }
  });
  document.getElementById('details').addEventListener('click', function (ev) {
    var a = ev.target.closest('a[data-step]');
    if (a) { ev.preventDefault(); open(a.dataset.step); }
    if (ev.target.closest('.close')) close();
    var copy = ev.target.closest('.copy');
    if (copy && navigator.clipboard) navigator.clipboard.writeText(copy.closest('.sql-block').querySelector('code').textContent);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && selected) close();
    if (ev.key === '/' && document.activeElement !== document.getElementById('search')) { ev.preventDefault(); document.getElementById('search').focus(); }
  });
  document.getElementById('zoom-in').addEventListener('click', function () { scale = Math.min(2, scale * 1.2); applyScale(); });
  document.getElementById('zoom-out').addEventListener('click', function () { scale = Math.max(0.3, scale / 1.2); applyScale(); });
  document.getElementById('zoom-fit').addEventListener('click', fit);
  window.addEventListener('resize', fit);
  window.addEventListener('hashchange', function () { if (location.hash.length > 1) open(decodeURIComponent(location.hash.slice(1))); });

  draw();
  if (location.hash.length > 1) open(decodeURIComponent(location.hash.slice(1)));
  document.body.classList.add('ready');
})();

// DaemonSet console: live updates from the server's watch feed (one EventSource per page, no polling), the fleet
// map's keyboard navigation and tooltip. No framework: the pages are rendered on the server; this only patches them.
'use strict';
(function () {
  const STATES = { u: 'updated and ready', o: 'old revision', s: 'starting', x: 'unavailable', c: 'crash-looping',
    m: 'no pod yet', n: 'not eligible' };

  // Long tasks (> 50 ms) seen by this page; the browser tests read them to check that live updates stay smooth.
  window.consoleLongTasks = [];
  if ('PerformanceObserver' in window && PerformanceObserver.supportedEntryTypes &&
      PerformanceObserver.supportedEntryTypes.includes('longtask')) {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) window.consoleLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  }

  function text(el, value) { if (el && el.textContent !== String(value)) el.textContent = String(value); }

  function rows(tbody, items, cells) {
    const fresh = document.createDocumentFragment();
    for (const item of items) {
      const tr = document.createElement('tr');
      for (const value of cells(item)) {
        const td = document.createElement('td');
        td.textContent = value == null ? '' : String(value);
        tr.appendChild(td);
      }
      fresh.appendChild(tr);
    }
    tbody.replaceChildren(fresh);
  }

  // ---- DaemonSets (the DaemonSets page, and the fleet map's progress bars) ----
  function updateDaemonSet(ds) {
    for (const box of document.querySelectorAll('.progress[data-ds="' + CSS.escape(ds.key) + '"]')) {
      const bar = box.querySelector('[data-field="rollout"]');
      bar.max = Math.max(ds.desired, 1); bar.value = ds.updated;
      text(box.querySelector('[data-field="rollout-text"]'), ds.updated + ' of ' + ds.desired + ' updated, ' + ds.remaining + ' remaining');
      const meter = box.querySelector('[data-field="availability"]');
      meter.max = Math.max(ds.desired, 1); meter.value = ds.available;
      text(box.querySelector('[data-field="availability-text"]'), ds.available + ' available, ' + ds.unavailable + ' unavailable');
    }
    const section = document.getElementById(ds.domId);
    if (!section) return false;
    for (const f of ['desired', 'current', 'updated', 'ready', 'available', 'unavailable', 'misscheduled', 'generation', 'observedGeneration', 'images']) {
      text(section.querySelector('[data-field="' + f + '"]'), ds[f]);
    }
    section.querySelector('[data-field="paused"]').hidden = !ds.paused;
    section.querySelector('[data-field="complete"]').hidden = !ds.complete;
    const pause = section.querySelector('[data-action="pause"]');
    const resume = section.querySelector('[data-action="resume"]');
    if (pause) pause.disabled = ds.paused;
    if (resume) resume.disabled = !ds.paused;
    rows(section.querySelector('[data-field="conditions"] tbody'), ds.conditions, c => [c.type, c.status, c.reason, c.message]);
    rows(section.querySelector('[data-field="revisions"] tbody'), ds.revisions,
      r => [r.revision + (r.current ? ' (current)' : ''), r.hash, r.images, r.created, r.cause]);
    return true;
  }

  function onDaemonSets(list) {
    let missing = false;
    for (const ds of list) missing = !updateDaemonSet(ds) && document.body.dataset.page === 'daemonsets' || missing;
    const shown = document.querySelectorAll('section.ds').length;
    if (document.body.dataset.page === 'daemonsets' && (missing || shown !== list.length)) location.reload();
  }

  // ---- Overview ----
  function onCounts(c) {
    for (const key of ['nodes', 'nodesReady', 'nodesNotReady', 'daemonSets', 'pods']) {
      text(document.querySelector('[data-count="' + key + '"]'), c[key]);
    }
    const tbody = document.querySelector('#pods-by-state tbody');
    if (tbody) rows(tbody, c.podsByState, s => [s.name, s.count]);
  }

  // ---- Fleet map ----
  // The page carries the map as two attributes (data-nodes: names in map order; data-states: one state code per
  // node); the cells are built from them here, CHUNK per animation frame, each chunk drawn as it lands, so no single
  // task parses, styles and lays out 5,000 elements (docs/performance.md, "Console"). Live updates wait until the
  // last chunk is in.
  const CHUNK = 250;
  const CELLS_PER_FRAME = 500;
  const fleet = document.getElementById('fleet');
  const cells = new Map();
  let order = [];          // the cells in page order: a cell's index gives its place on the canvas
  const place = new Map(); // cell → its index in order, kept with order rather than rebuilt per message
  let focused = null;
  let built = !fleet;

  function cellFor(node, code) {
    const a = document.createElement('a');
    a.className = 'c s-' + code; a.href = 'nodes/' + encodeURIComponent(node); a.dataset.n = node; a.tabIndex = -1;
    cells.set(node, a);
    return a;
  }

  function build() {
    const names = fleet.dataset.nodes ? fleet.dataset.nodes.split(' ') : [];
    const states = fleet.dataset.states || '';
    let next = 0;
    function chunk() {
      const from = next;
      next = Math.min(names.length, from + CHUNK);
      const fresh = document.createDocumentFragment();
      for (let i = from; i < next; i++) {
        const a = cellFor(names[i], states[i]);
        fresh.appendChild(a); place.set(a, order.length); order.push(a);
      }
      fleet.appendChild(fresh);
      if (from === 0) {
        focused = fleet.firstElementChild;
        if (focused) focused.tabIndex = 0;
        drawAll(names.length);
      } else {
        for (let i = from; i < next; i++) drawCell(i);
      }
      if (next < names.length) { requestAnimationFrame(chunk); return; }
      built = true;
      fleet.dataset.built = 'true';
      if (queue.length && !scheduled) { scheduled = true; requestAnimationFrame(flush); }
    }
    chunk();
  }

  // ---- Fleet map drawing ----
  // The cells' look is drawn on one canvas behind the (then transparent) grid of links: an update repaints only
  // the changed cells' pixels, where Chrome would repaint a patterned background per cell on its main thread.
  // Each state's 10×10 tile is the pattern console.css gives it without the script (colour and mark).
  const TILES = {
    u: (c) => { c.fillStyle = '#0072B2'; c.fillRect(0, 0, 10, 10); },
    o: (c) => { c.fillStyle = '#fbe3b0'; c.fillRect(0, 0, 10, 10); c.fillStyle = '#E69F00';
      for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) if ((x + y) % 5 < 3) c.fillRect(x, y, 1, 1); },
    s: (c) => { c.fillStyle = '#56B4E9'; c.fillRect(0, 0, 10, 10); c.fillStyle = '#fff';
      c.beginPath(); c.arc(5, 5, 2.2, 0, 2 * Math.PI); c.fill(); },
    x: (c) => { c.fillStyle = '#D55E00'; c.fillRect(0, 0, 10, 10); c.strokeStyle = '#000'; c.lineWidth = 1.6;
      c.beginPath(); c.moveTo(1.5, 1.5); c.lineTo(8.5, 8.5); c.moveTo(8.5, 1.5); c.lineTo(1.5, 8.5); c.stroke(); },
    c: (c) => { c.fillStyle = '#CC79A7'; c.fillRect(0, 0, 10, 10); c.fillStyle = '#3d1030';
      for (let y = 2; y < 10; y += 3) c.fillRect(0, y, 10, 1); },
    m: (c) => { c.fillStyle = '#6b6100'; c.fillRect(0, 0, 10, 10); c.fillStyle = '#F0E442'; c.fillRect(1, 1, 8, 8); },
    n: (c) => { c.fillStyle = '#bbb'; c.fillRect(0, 0, 10, 10); c.fillStyle = '#e8e8e8'; c.fillRect(1, 1, 8, 8); }
  };
  const map = { canvas: null, ctx: null, tiles: {}, x0: 0, y0: 0, pitch: 12, cols: 1, dpr: 1 };

  /** A state's tile as pixels: putImageData copies them, where drawImage of a canvas would snapshot it per call. */
  function tile(code) {
    if (!map.tiles[code]) {
      const size = Math.round(10 * map.dpr);
      const t = document.createElement('canvas');
      t.width = t.height = size;
      const c = t.getContext('2d');
      c.scale(map.dpr, map.dpr);
      (TILES[code] || TILES.n)(c);
      map.tiles[code] = c.getImageData(0, 0, size, size);
    }
    return map.tiles[code];
  }

  function drawCell(i) {
    const a = order[i];
    if (!a || !map.ctx) return;
    const d = map.dpr;
    const x = Math.round((map.x0 + (i % map.cols) * map.pitch) * d);
    const y = Math.round((map.y0 + Math.floor(i / map.cols) * map.pitch) * d);
    map.ctx.putImageData(tile(a.className.slice(-1)), x, y);
  }

  /**
   * Sizes the canvas for total cells and draws every cell built so far: at start, when the grid's width changes,
   * when cells come or go.
   */
  function drawAll(total) {
    if (!map.canvas) {
      map.canvas = document.createElement('canvas');
      map.canvas.className = 'fleet-canvas';
      map.canvas.setAttribute('aria-hidden', 'true');
      fleet.before(map.canvas);
      map.ctx = map.canvas.getContext('2d', { alpha: true });
      // the grid grows while it is built: only a new width (other columns) or a taller grid needs a redraw
      new ResizeObserver(() => {
        if (fleet.clientWidth !== map.width || fleet.offsetHeight > map.height) schedule(['redraw', null]);
      }).observe(fleet);
    }
    total = Math.max(total || 0, order.length);
    const first = order[0];
    map.dpr = window.devicePixelRatio || 1;
    map.tiles = {};
    map.cols = columns();
    if (first) {
      map.x0 = first.offsetLeft; map.y0 = first.offsetTop;
      map.pitch = order.length > 1 && map.cols > 1 ? order[1].offsetLeft - first.offsetLeft : 12;
    }
    map.width = fleet.clientWidth;
    map.height = Math.max(fleet.offsetHeight, Math.ceil(2 * map.y0 + Math.ceil(total / map.cols) * map.pitch));
    map.canvas.width = Math.round(fleet.offsetWidth * map.dpr);
    map.canvas.height = Math.round(map.height * map.dpr);
    map.canvas.style.width = fleet.offsetWidth + 'px';
    map.canvas.style.height = map.height + 'px';
    for (let i = 0; i < order.length; i++) drawCell(i);
    fleet.classList.add('drawn');
  }

  /** Clears the pixels of place i (a cell that moved away or left the map). */
  function clearCell(i) {
    if (!map.ctx) return;
    const d = map.dpr, size = Math.round(10 * d);
    map.ctx.clearRect(Math.round((map.x0 + (i % map.cols) * map.pitch) * d),
      Math.round((map.y0 + Math.floor(i / map.cols) * map.pitch) * d), size, size);
  }

  /**
   * NaturalOrder.java's order (node-2 before node-10: runs of digits by value, the rest by character), the order the
   * server lists the map in: a joining node's cell goes where a fresh page would show it.
   */
  function isDigit(c) { return c >= 48 && c <= 57; }
  function natural(a, b) {
    let i = 0, j = 0;
    while (i < a.length && j < b.length) {
      const ca = a.charCodeAt(i), cb = b.charCodeAt(j);
      if (isDigit(ca) && isDigit(cb)) {
        let si = i, sj = j;
        while (si + 1 < a.length && a.charCodeAt(si) === 48 && isDigit(a.charCodeAt(si + 1))) si++;
        while (sj + 1 < b.length && b.charCodeAt(sj) === 48 && isDigit(b.charCodeAt(sj + 1))) sj++;
        while (i < a.length && isDigit(a.charCodeAt(i))) i++;
        while (j < b.length && isDigit(b.charCodeAt(j))) j++;
        if (i - si !== j - sj) return (i - si) - (j - sj);
        for (let k = 0; k < i - si; k++) {
          const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
          if (d !== 0) return d;
        }
      } else {
        if (ca !== cb) return ca - cb;
        i++; j++;
      }
    }
    return (a.length - i) - (b.length - j);
  }

  /**
   * Takes the removed cells out and puts each added one where the natural order puts it, then repaints only the
   * places from the first that changed on: a node joining the end of the map paints one cell, one joining the middle
   * moves the cells after it (their places shift) and leaves those before it alone. The whole map is redrawn only
   * when it needs another row (or had no cell to measure the grid by).
   */
  function restructure(added, removed) {
    const before = order.length;
    let first = before;
    for (const a of removed) { first = Math.min(first, place.get(a)); place.delete(a); a.remove(); }
    const next = removed.length ? order.filter(a => place.has(a)) : order;
    for (const a of added) {
      // the first cell that sorts after the new one, by binary search: the cells are in natural order
      const name = a.dataset.n;
      let lo = 0, hi = next.length;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (natural(next[mid].dataset.n, name) < 0) lo = mid + 1; else hi = mid; }
      fleet.insertBefore(a, next[lo] || null);
      next.splice(lo, 0, a);
      first = Math.min(first, lo);
    }
    order = next;
    for (let i = first; i < order.length; i++) place.set(order[i], i);
    if (focused && !focused.isConnected) { focused = order[0] || null; if (focused) focused.tabIndex = 0; }
    const rows = Math.ceil(order.length / map.cols);
    if (!map.ctx || before === 0 || Math.ceil(2 * map.y0 + rows * map.pitch) > map.height) { drawAll(order.length); return; }
    for (let i = first; i < order.length; i++) drawCell(i);
    for (let i = order.length; i < before; i++) clearCell(i);
  }

  /**
   * Applies cells [from, to) of a cells message; the message's removals and counts go with its last slice (last
   * true). A full message (the feed's first) lists every cell the page should show: the cells it does not list go,
   * such as a node that left between the page's rendering and the feed's start.
   */
  function onCells(msg, from, to, last) {
    const added = [], changed = [], removed = [];
    for (let i = from; i < to; i++) {
      const node = msg.nodes[i], code = msg.states[i];
      const a = cells.get(node);
      const cls = 'c s-' + code;
      if (!a) added.push(cellFor(node, code));
      else if (a.className !== cls) { a.className = cls; changed.push(a); }
    }
    if (last) {
      let gone = msg.removed;
      if (msg.full) {
        const listed = new Set(msg.nodes);
        gone = [];
        for (const node of cells.keys()) if (!listed.has(node)) gone.push(node);
      }
      for (const node of gone) {
        const a = cells.get(node);
        if (a) { cells.delete(node); removed.push(a); }
      }
    }
    if (added.length || removed.length) restructure(added, removed);
    for (const a of changed) drawCell(place.get(a));
    if (last) for (const [code, n] of Object.entries(msg.counts)) text(document.querySelector('[data-count="' + code + '"]'), n);
  }

  function columns() {
    const first = fleet.firstElementChild;
    if (!first) return 1;
    let n = 0;
    for (const a of fleet.children) { if (a.offsetTop !== first.offsetTop) break; n++; }
    return Math.max(n, 1);
  }

  function move(to) {
    if (!to) return;
    if (focused) focused.tabIndex = -1;
    focused = to; to.tabIndex = 0; to.focus();
  }

  function keys(e) {
    const all = fleet.children;
    const i = Array.prototype.indexOf.call(all, document.activeElement);
    if (i < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(), ArrowUp: -columns() }[e.key];
    if (step) { move(all[Math.min(Math.max(i + step, 0), all.length - 1)]); e.preventDefault(); }
    else if (e.key === 'Home') { move(all[0]); e.preventDefault(); }
    else if (e.key === 'End') { move(all[all.length - 1]); e.preventDefault(); }
  }

  const tip = document.getElementById('tip');
  function showTip(e) {
    const a = e.target.closest('a.c');
    if (!a) return;
    const state = STATES[a.className.slice(-1)] || '';
    tip.textContent = a.dataset.n + ': ' + state;
    a.setAttribute('aria-label', tip.textContent);
    const r = a.getBoundingClientRect();
    tip.style.left = Math.min(r.left, window.innerWidth - 220) + 'px';
    tip.style.top = (r.bottom + 6) + 'px';
    tip.hidden = false;
  }

  // ---- the feed ----
  const handlers = { counts: onCounts, daemonsets: onDaemonSets, redraw: () => drawAll(order.length) };
  let queue = [];
  let scheduled = false;

  /**
   * A cells message as flush() applies it, and how far it has been applied. The feed sends names and state codes as
   * two strings (FleetDiff.message), as the page's data-nodes and data-states: a whole-fleet message parses and
   * splits in a few milliseconds, where an object of 5,000 keys and its entries took the longest task of a rollout.
   */
  function cellsMessage(msg) {
    return { nodes: msg.nodes ? msg.nodes.split(' ') : [], states: msg.states, at: 0,
      removed: msg.removed ? msg.removed.split(' ') : [], full: msg.full === true, counts: msg.counts };
  }

  /** Queues [type, data] for the next animation frame: every message of a frame is applied in one go. */
  function schedule(item) {
    if (item[0] === 'redraw' && queue.some(q => q[0] === 'redraw')) return;
    queue.push(item);
    if (!scheduled) { scheduled = true; requestAnimationFrame(flush); }
  }

  /**
   * Applies the queued messages in order, at most CELLS_PER_FRAME changed cells a frame: a rollout's first message
   * can turn every cell (all old), and 5,000 class changes and tiles at once were one long task. The rest of a
   * split message, and everything after it, waits for the next frame. A cells message's names are split once, when
   * it arrives, and a split one resumes where the last frame stopped.
   */
  function flush() {
    scheduled = false;
    if (!built) return;   // build() flushes when its last chunk is in
    let budget = CELLS_PER_FRAME;
    while (queue.length) {
      const [type, data] = queue[0];
      if (type === 'cells') {
        const to = Math.min(data.nodes.length, data.at + budget);
        if (to === data.at && to < data.nodes.length) break;
        const last = to === data.nodes.length;
        onCells(data, data.at, to, last);
        budget -= to - data.at;
        data.at = to;
        if (!last) break;
      } else {
        handlers[type](data);
      }
      queue.shift();
    }
    if (queue.length) { scheduled = true; requestAnimationFrame(flush); }
  }

  function listen(page) {
    const params = new URLSearchParams({ page: page, rv: document.body.dataset.rv || '0' });
    if (fleet) { params.set('ds', fleet.dataset.ds); params.set('label', fleet.dataset.label); }
    const live = document.getElementById('live');
    const source = new EventSource('/console/events?' + params);
    source.onopen = () => { live.dataset.state = 'on'; live.textContent = 'live'; };
    source.onerror = () => { live.dataset.state = 'off'; live.textContent = 'not live'; };
    for (const type of ['counts', 'daemonsets', 'cells']) {
      source.addEventListener(type, e => schedule([type, type === 'cells' ? cellsMessage(JSON.parse(e.data))
        : JSON.parse(e.data)]));
    }
    source.addEventListener('signedout', () => { source.close(); location.href = '/console/login'; });
    source.addEventListener('reload', () => { source.close(); location.reload(); });
  }

  document.addEventListener('DOMContentLoaded', () => {
    const page = document.body.dataset.page;
    if (fleet) {
      build();
      fleet.addEventListener('keydown', keys);
      fleet.addEventListener('mouseover', showTip);
      fleet.addEventListener('focusin', e => { const a = e.target.closest('a.c'); if (a) { if (focused && focused !== a) focused.tabIndex = -1; focused = a; a.tabIndex = 0; } showTip(e); });
      fleet.addEventListener('mouseleave', () => { tip.hidden = true; });
      fleet.addEventListener('focusout', () => { tip.hidden = true; });
    }
    if (page === 'overview' || page === 'daemonsets' || page === 'fleet') listen(page);
  });
})();

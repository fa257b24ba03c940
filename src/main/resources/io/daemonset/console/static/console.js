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
  const fleet = document.getElementById('fleet');
  const cells = new Map();
  let focused = null;

  function indexCells() {
    for (const a of fleet.children) cells.set(a.dataset.n, a);
    focused = fleet.firstElementChild;
    if (focused) focused.tabIndex = 0;
  }

  function onCells(msg) {
    for (const [node, code] of Object.entries(msg.cells)) {
      let a = cells.get(node);
      if (!a) {
        a = document.createElement('a');
        a.href = 'nodes/' + encodeURIComponent(node); a.dataset.n = node; a.tabIndex = -1;
        fleet.appendChild(a); cells.set(node, a);
      }
      const cls = 'c s-' + code;
      if (a.className !== cls) a.className = cls;
    }
    for (const node of msg.removed) {
      const a = cells.get(node);
      if (a) { if (a === focused) { focused = fleet.firstElementChild; } a.remove(); cells.delete(node); }
    }
    for (const [code, n] of Object.entries(msg.counts)) text(document.querySelector('[data-count="' + code + '"]'), n);
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
  const handlers = { counts: onCounts, daemonsets: onDaemonSets, cells: onCells };
  let queue = [];
  let scheduled = false;

  function flush() {
    scheduled = false;
    const batch = queue; queue = [];
    for (const [type, data] of batch) handlers[type](data);
  }

  function listen(page) {
    const params = new URLSearchParams({ page: page, rv: document.body.dataset.rv || '0' });
    if (fleet) { params.set('ds', fleet.dataset.ds); params.set('label', fleet.dataset.label); }
    const live = document.getElementById('live');
    const source = new EventSource('/console/events?' + params);
    source.onopen = () => { live.dataset.state = 'on'; live.textContent = 'live'; };
    source.onerror = () => { live.dataset.state = 'off'; live.textContent = 'not live'; };
    for (const type of Object.keys(handlers)) {
      source.addEventListener(type, e => {
        queue.push([type, JSON.parse(e.data)]);
        if (!scheduled) { scheduled = true; requestAnimationFrame(flush); }
      });
    }
    source.addEventListener('signedout', () => { source.close(); location.href = '/console/login'; });
    source.addEventListener('reload', () => { source.close(); location.reload(); });
  }

  document.addEventListener('DOMContentLoaded', () => {
    const page = document.body.dataset.page;
    if (fleet) {
      indexCells();
      fleet.addEventListener('keydown', keys);
      fleet.addEventListener('mouseover', showTip);
      fleet.addEventListener('focusin', e => { const a = e.target.closest('a.c'); if (a) { if (focused && focused !== a) focused.tabIndex = -1; focused = a; a.tabIndex = 0; } showTip(e); });
      fleet.addEventListener('mouseleave', () => { tip.hidden = true; });
      fleet.addEventListener('focusout', () => { tip.hidden = true; });
    }
    if (page === 'overview' || page === 'daemonsets' || page === 'fleet') listen(page);
  });
})();

/// Studies: every run of the results database with its inputs, seed and version; runs picked
/// to compare side by side with deltas against a baseline; on the map, the difference in traffic
/// at each place between two runs.
enum StudiesPage {
    static let script = #"""
    (function () {
      const table = document.getElementById('study-runs');
      const status = document.getElementById('study-status');
      const baselineSelect = document.getElementById('study-baseline');
      let report = null;
      let picked = new Set((rp.params.get('compare') || '').split(',').filter(Boolean));
      function pickedRuns() { return report ? report.runs.filter(r => picked.has(r.runKey)) : []; }
      function renderRuns() {
        table.innerHTML = '';
        table.append(rp.el('tr', {}, ...['compare', 'run', 'scenario', 'grid', 'seed', 'version', 'status', 'seconds', 'targets met'].map(t => rp.el('th', { text: t })),
          ...report.headlines.map(h => rp.el('th', { class: 'number', text: h.label }))));
        for (const run of report.runs) {
          const box = rp.el('input', { type: 'checkbox', 'data-pick': run.runKey });
          box.checked = picked.has(run.runKey);
          box.addEventListener('change', () => { if (box.checked) picked.add(run.runKey); else picked.delete(run.runKey); rp.setParam('compare', Array.from(picked).join(',')); renderComparison(); });
          table.append(rp.el('tr', { 'data-run': run.runKey, class: run.isBaseline ? 'baseline' : '' }, rp.el('td', {}, box),
            rp.el('td', { text: run.runKey }), rp.el('td', { text: run.scenario }), rp.el('td', { text: run.grid }), rp.el('td', { text: String(run.seed) }),
            rp.el('td', { text: run.codeVersion }), rp.el('td', { class: run.status === 'succeeded' ? 'met' : 'unmet', text: run.status + (run.error ? ': ' + run.error : '') }),
            rp.el('td', { class: 'number', text: rp.number(run.seconds, 1) }), rp.el('td', { class: 'number', text: run.targetsMet + '/' + run.targets.length }),
            ...report.headlines.map(h => rp.el('td', { class: 'number', text: rp.number(run.kpis[h.kpi], h.digits) }))));
        }
      }
      function renderComparison() {
        const box = document.getElementById('study-comparison');
        box.innerHTML = '';
        const runs = pickedRuns();
        if (!runs.length) { box.append(rp.el('span', { class: 'muted', text: 'Tick runs to compare them side by side.' })); drawDifference([]); return; }
        const names = Array.from(new Set(runs.flatMap(r => Object.keys(r.kpis)))).filter(n => !n.startsWith('simulate.queue.') && !n.startsWith('simulate.trains.')).sort();
        const comparison = rp.el('table', { id: 'comparison-table' }, rp.el('tr', {}, rp.el('th', { text: 'KPI' }), ...runs.map(r => rp.el('th', { class: 'number', text: r.runKey + (r.isBaseline ? ' (baseline)' : '') }))));
        for (const name of names) {
          comparison.append(rp.el('tr', { 'data-kpi': name }, rp.el('td', { text: name }), ...runs.map(r => {
            const delta = r.deltas[name];
            return rp.el('td', { class: 'number', text: rp.number(r.kpis[name], 2) + (delta !== undefined && delta !== null && !r.isBaseline ? ' (' + (delta >= 0 ? '+' : '') + rp.number(delta, 2) + ')' : '') });
          })));
        }
        box.append(comparison);
        drawDifference(runs);
      }
      // Two runs: circles at each place sized by the change in vehicles handled there (second − first).
      function drawDifference(runs) {
        const svg = rp.map.svg;
        let group = svg.querySelector('#difference');
        if (group) group.remove();
        const legend = document.getElementById('difference-legend');
        legend.textContent = runs.length === 2 ? '' : 'Tick two runs to map the difference in vehicles handled at each place.';
        if (runs.length !== 2) return;
        group = document.createElementNS('http://www.w3.org/2000/svg', 'g');
        group.setAttribute('id', 'difference');
        svg.appendChild(group);
        const [a, b] = runs;
        let drawn = 0;
        const keys = new Set(Object.keys(a.kpis).concat(Object.keys(b.kpis)).filter(k => /^simulate\.queue\..+\.vehicles$/.test(k)));
        for (const key of keys) {
          const place = key.slice('simulate.queue.'.length, -'.vehicles'.length);
          const circle = svg.querySelector('circle[data-place="' + CSS.escape(place) + '"]');
          const delta = (b.kpis[key] || 0) - (a.kpis[key] || 0);
          if (!circle || delta === 0) continue;
          const mark = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
          mark.setAttribute('cx', circle.getAttribute('cx')); mark.setAttribute('cy', circle.getAttribute('cy'));
          mark.setAttribute('r', (4 + 3 * Math.sqrt(Math.abs(delta))).toFixed(1));
          mark.setAttribute('fill', delta > 0 ? '#c0392b' : '#2471a3'); mark.setAttribute('fill-opacity', '0.45');
          mark.setAttribute('class', 'difference'); mark.setAttribute('data-place', place); mark.setAttribute('data-delta', String(delta));
          const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
          title.textContent = place + ': ' + (delta > 0 ? '+' : '') + delta + ' vehicles (' + b.runKey + ' − ' + a.runKey + ')';
          mark.appendChild(title);
          group.appendChild(mark);
          drawn += 1;
        }
        legend.textContent = drawn + ' places changed: red more vehicles in ' + b.runKey + ', blue fewer, than in ' + a.runKey + '.';
      }
      async function load() {
        const baseline = rp.params.get('baseline');
        status.textContent = 'Loading…';
        try {
          report = await rp.api('/api/studies/report' + (baseline ? '?baseline=' + encodeURIComponent(baseline) : ''));
          status.textContent = report.runs.length + ' runs in ' + report.database + (baseline ? ' · baseline ' + baseline : '');
          baselineSelect.innerHTML = '';
          baselineSelect.append(rp.el('option', { value: '', text: '(first run)' }));
          for (const run of report.runs) { const o = rp.el('option', { value: run.runKey, text: run.runKey }); if (run.runKey === baseline) o.selected = true; baselineSelect.append(o); }
          renderRuns();
          renderComparison();
        } catch (error) { rp.showError(status, error); }
      }
      baselineSelect.addEventListener('change', () => { rp.setParam('baseline', baselineSelect.value); load(); });
      document.getElementById('study-refresh').addEventListener('click', load);
      document.getElementById('export-study-csv').addEventListener('click', () => {
        if (!report) return;
        const rows = [['run', 'scenario', 'grid', 'seed', 'status', 'kpi', 'value', 'delta']];
        for (const run of report.runs) for (const [name, value] of Object.entries(run.kpis)) rows.push([run.runKey, run.scenario, run.grid, run.seed, run.status, name, value, run.deltas[name]]);
        rp.download('study.csv', 'text/csv', rp.csv(rows));
      });
      load();
    })();
    """#
}

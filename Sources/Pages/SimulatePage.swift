/// Simulations: parameters or a scenario file, run in the background with a live progress bar
/// and cancel, then the KPI dashboard with each target met or not.
enum SimulatePage {
    static let body = #"""
    <div class="workspace">
    <section>
    <div class="panel"><strong>Progress</strong>
    <div class="progress" id="job-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div></div></div>
    <div id="job-status" class="muted">No simulation running.</div>
    <button type="button" id="job-cancel" disabled>Cancel 取消</button>
    </div>
    <div class="panel"><strong>Targets 目标</strong><table id="job-targets"></table></div>
    <div class="panel"><strong>Key figures</strong><table id="job-kpis"></table></div>
    </section>
    <aside>
    <form class="panel" id="simulate-form">
    <fieldset id="simulate-inputs">
    <label>Scenario name <input type="text" name="scenario" value="workspace" pattern="[A-Za-z0-9_.\-]{1,80}"></label>
    <label>Demand year <select name="year"><option value="2025">2025</option><option value="2027" selected>2027</option></select></label>
    <label>Days <input type="number" name="days" min="1" max="366" value="60"></label>
    <label>Seed <input type="number" name="seed" min="0" value="1"></label>
    <label>Replications <input type="number" name="replications" min="1" max="20" value="1"></label>
    <label>…or a scenario file (YAML) <input type="file" name="file" id="scenario-file" accept=".yaml,.yml"></label>
    </fieldset>
    <button class="primary" type="submit" id="simulate-submit">Run 运行</button>
    <p class="muted">Runs go into the workspace's results database, beside the command line's studies (see Studies).</p>
    </form>
    <div class="panel exports"><strong>Export</strong><button type="button" id="export-job-json">KPIs JSON</button><button type="button" id="export-job-csv">KPIs CSV</button></div>
    </aside>
    </div>
    """#

    static let script = #"""
    (function () {
      const form = document.getElementById('simulate-form');
      const bar = document.getElementById('job-progress');
      const status = document.getElementById('job-status');
      const cancel = document.getElementById('job-cancel');
      let job = null, source = null, runs = [];
      for (const name of ['scenario', 'year', 'days', 'seed', 'replications']) { const v = rp.params.get(name); if (v !== null) form.elements[name].value = v; }
      function lock(running) {
        document.getElementById('simulate-inputs').disabled = running;
        document.getElementById('simulate-submit').disabled = running;
        cancel.disabled = !running;
      }
      function show(state) {
        job = state;
        const percent = Math.round(100 * state.progress);
        bar.firstElementChild.style.width = percent + '%';
        bar.setAttribute('aria-valuenow', String(percent));
        bar.dataset.state = state.state;
        status.textContent = state.scenario + ': ' + state.state + ' · ' + state.runsDone + ' of ' + state.runsTotal + ' runs · ' + percent + ' %' +
          (state.cancelRequested && state.state === 'running' ? ' · cancelling after the run in flight' : '') + (state.message ? ' · ' + state.message : '');
      }
      async function dashboard(state) {
        const report = await rp.api('/api/studies/report');
        runs = report.runs.filter(r => state.runKeys.includes(r.runKey));
        const targets = document.getElementById('job-targets');
        targets.innerHTML = '';
        targets.append(rp.el('tr', {}, ...['run', 'target', 'value', 'target value', 'met'].map(t => rp.el('th', { text: t }))));
        for (const run of runs) for (const t of run.targets) {
          targets.append(rp.el('tr', { 'data-target': t.name }, rp.el('td', { text: run.runKey }), rp.el('td', { text: t.name }),
            rp.el('td', { class: 'number', text: rp.number(t.value, 2) }), rp.el('td', { class: 'number', text: (t.comparison === 'atMost' ? '≤ ' : '≥ ') + rp.number(t.target, 2) }),
            rp.el('td', { class: t.met ? 'met' : 'unmet', text: t.met ? 'met 达成' : 'not met 未达成' })));
        }
        const kpis = document.getElementById('job-kpis');
        kpis.innerHTML = '';
        kpis.append(rp.el('tr', {}, rp.el('th', { text: 'KPI' }), ...runs.map(r => rp.el('th', { class: 'number', text: r.runKey }))));
        for (const headline of report.headlines) {
          kpis.append(rp.el('tr', { 'data-kpi': headline.kpi }, rp.el('td', { text: headline.label }),
            ...runs.map(r => rp.el('td', { class: 'number', text: rp.number(r.kpis[headline.kpi], headline.digits) }))));
        }
      }
      function follow(id) {
        if (source) source.close();
        source = new EventSource('/api/jobs/' + encodeURIComponent(id) + '/events');
        const update = event => { show(JSON.parse(event.data)); };
        source.addEventListener('status', update);
        source.addEventListener('end', async event => {
          update(event);
          source.close(); source = null;
          lock(false);
          try { await dashboard(job); } catch (error) { rp.showError(status, error); }
        });
        source.onerror = () => { if (source && source.readyState === EventSource.CLOSED) lock(false); };
      }
      form.addEventListener('submit', async event => {
        event.preventDefault();
        const file = document.getElementById('scenario-file').files[0];
        let request;
        if (file) {
          request = rp.api('/api/jobs/simulate?name=' + encodeURIComponent(file.name), { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: await file.text() });
        } else {
          const body = {};
          for (const name of ['scenario', 'year', 'days', 'seed', 'replications']) {
            const value = form.elements[name].value.trim();
            rp.setParam(name, value);
            if (value) body[name] = name === 'scenario' ? value : Number(value);
          }
          request = rp.api('/api/jobs/simulate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        }
        lock(true);
        try {
          const state = await request;
          show(state);
          rp.setParam('job', state.id);
          follow(state.id);
        } catch (error) {
          lock(false);
          rp.showError(status, error);
        }
      });
      cancel.addEventListener('click', async () => {
        if (!job) return;
        try { show(await rp.api('/api/jobs/' + encodeURIComponent(job.id), { method: 'DELETE' })); } catch (error) { rp.showError(status, error); }
      });
      document.getElementById('export-job-json').addEventListener('click', () => rp.download('simulation-kpis.json', 'application/json', JSON.stringify(runs, null, 2)));
      document.getElementById('export-job-csv').addEventListener('click', () => {
        const rows = [['run', 'kpi', 'value']];
        for (const run of runs) for (const [name, value] of Object.entries(run.kpis)) rows.push([run.runKey, name, value]);
        rp.download('simulation-kpis.csv', 'text/csv', rp.csv(rows));
      });
      // A permalink to a job follows it (or shows how it ended).
      const linked = rp.params.get('job');
      if (linked) rp.api('/api/jobs/' + encodeURIComponent(linked)).then(state => { show(state); if (state.finishedAt) dashboard(state); else { lock(true); follow(state.id); } }).catch(() => rp.setParam('job', null));
    })();
    """#
}

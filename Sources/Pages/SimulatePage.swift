/// Simulations: parameters or a scenario file, run in the background with a live progress bar
/// and cancel, then the KPI dashboard with each target met or not; and the headroom search of the
/// scenario (how far its demand can grow, what breaks first) as a job of its own.
enum SimulatePage {
    static let body = #"""
    <div class="workspace">
    <section>
    <div class="panel"><strong>Progress</strong>
    <div class="progress" id="job-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div></div></div>
    <div id="job-status" class="muted">No simulation running.</div>
    <button type="button" id="job-cancel" disabled>Cancel 取消</button>
    </div>
    <div class="panel"><strong>Targets 目标</strong><div id="job-chart"></div><table id="job-targets"></table></div>
    <div class="panel"><strong>Key figures</strong><table id="job-kpis"></table></div>
    <div class="panel" id="headroom-panel"><strong>Headroom 余量</strong>
    <p class="muted">How far the scenario's demand can grow before service breaks, and what breaks first (<code>study headroom</code>, docs/headroom.md): the scenario in the editor on the right, else the shipped one picked. Every step goes into the results database.</p>
    <fieldset id="headroom-inputs">
    <label>Demand that grows <input type="text" id="headroom-grow" value="all" title="all, corridor:NAME or lane:ORIGIN-DESTINATION, separated by commas"></label>
    <label>Criteria <input type="text" id="headroom-criteria" value="" placeholder="on-time=0.85, p90-wait-hours=72, backlog=0.01"></label>
    <label>Seeds per step <input type="number" id="headroom-seeds" min="1" max="100" value="3"></label>
    <label>Bisection steps <input type="number" id="headroom-steps" min="1" max="30" value="8"></label>
    <label>Resources relieved (+10 % each, a search each) <input type="number" id="headroom-reliefs" min="0" max="10" value="3"></label>
    </fieldset>
    <button type="button" class="primary" id="headroom-start">Search headroom 搜索余量</button>
    <button type="button" id="headroom-cancel" disabled>Cancel 取消</button>
    <div class="progress" id="headroom-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div></div></div>
    <div id="headroom-status" class="muted">No headroom search running.</div>
    <table id="headroom-answer"></table>
    <table id="headroom-steps-table"></table>
    </div>
    </section>
    <aside>
    <form class="panel" id="simulate-form">
    <fieldset id="simulate-inputs">
    <label>Scenario name <input type="text" name="scenario" value="workspace" pattern="[A-Za-z0-9_.\-]{1,80}"></label>
    <label>Demand year <select name="year"><option value="2025">2025</option><option value="2027" selected>2027</option></select></label>
    <label>Days <input type="number" name="days" min="1" max="366" value="60"></label>
    <label>Seed <input type="number" name="seed" min="0" value="1"></label>
    <label>Replications <input type="number" name="replications" min="1" max="20" value="1"></label>
    <label>…or a shipped scenario <select id="scenario-pick"><option value="">(parameters above)</option><!--scenario-options--></select></label>
    <label>…or scenario files (YAML; several run as one study, each with its seeds) <input type="file" name="file" id="scenario-file" accept=".yaml,.yml" multiple></label>
    <div id="scenario-files" class="muted"></div>
    <label>Scenario to run (edit it here; empty: the parameters above) <textarea id="scenario-yaml" rows="10" spellcheck="false"></textarea></label>
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
      const editor = document.getElementById('scenario-yaml');
      document.getElementById('scenario-pick').addEventListener('change', event => {
        const template = document.querySelector('template[data-scenario="' + CSS.escape(event.target.value) + '"]');
        editor.value = template ? template.content.textContent || template.innerHTML : '';
        rp.setParam('pick', event.target.value);
      });
      // One file goes into the editor; several are sent as they are, as one study (POST /api/studies).
      const filesNote = document.getElementById('scenario-files');
      document.getElementById('scenario-file').addEventListener('change', async event => {
        const files = Array.from(event.target.files);
        filesNote.textContent = files.length > 1 ? files.length + ' files, run as one study: ' + files.map(f => f.name).join(', ') : '';
        editor.value = files.length === 1 ? await files[0].text() : '';
        editor.disabled = files.length > 1;
      });
      const picked = rp.params.get('pick');
      if (picked) { const select = document.getElementById('scenario-pick'); select.value = picked; select.dispatchEvent(new Event('change')); }
      // Each target as a bar: its value against the target line, green when met.
      function chart(runs) {
        const box = document.getElementById('job-chart');
        const rows = [];
        for (const run of runs) for (const t of run.targets) if (t.value !== null && t.target) rows.push({ run: run.runKey, t: t });
        if (!rows.length) { box.innerHTML = ''; return; }
        const w = 640, row = 22, left = 250, h = rows.length * row + 20, scale = (w - left - 60) / Math.max(...rows.map(r => Math.max(r.t.value / r.t.target, 1)));
        let svg = '<svg xmlns="http://www.w3.org/2000/svg" id="targets-chart" viewBox="0 0 ' + w + ' ' + h + '" width="' + w + '" height="' + h + '" font-size="11">';
        rows.forEach((r, i) => {
          const y = 10 + i * row, ratio = r.t.value / r.t.target;
          const label = (runs.length > 1 ? r.run + ' · ' : '') + r.t.name;
          svg += '<text x="' + (left - 6) + '" y="' + (y + 13) + '" text-anchor="end">' + label.replace(/&/g, '&amp;').replace(/</g, '&lt;') + '</text>';
          svg += '<rect class="target-bar" data-met="' + r.t.met + '" x="' + left + '" y="' + (y + 3) + '" width="' + Math.max(1, ratio * scale).toFixed(1) + '" height="14" fill="' + (r.t.met ? '#27ae60' : '#c0392b') + '"><title>' + r.t.name + ': ' + rp.number(r.t.value, 2) + ' against ' + rp.number(r.t.target, 2) + '</title></rect>';
          svg += '<line x1="' + (left + scale).toFixed(1) + '" x2="' + (left + scale).toFixed(1) + '" y1="' + y + '" y2="' + (y + row) + '" stroke="#1b2631" stroke-dasharray="2 2"/>';
          svg += '<text x="' + (left + Math.max(1, ratio * scale) + 4).toFixed(1) + '" y="' + (y + 13) + '">' + Math.round(100 * ratio) + ' %</text>';
        });
        box.innerHTML = svg + '</svg><div class="muted">Value as a share of its target (dashed line: the target).</div>';
      }
      // A job's progress on a bar (width, aria value, state for the tests); returns the percent shown.
      function setBar(element, state) {
        const percent = Math.round(100 * state.progress);
        element.firstElementChild.style.width = percent + '%';
        element.setAttribute('aria-valuenow', String(percent));
        element.dataset.state = state.state;
        return percent;
      }
      function lock(running) {
        document.getElementById('simulate-inputs').disabled = running;
        document.getElementById('simulate-submit').disabled = running;
        cancel.disabled = !running;
      }
      function show(state) {
        job = state;
        const percent = setBar(bar, state);
        status.textContent = state.scenario + ': ' + state.state + ' · ' + state.runsDone + ' of ' + state.runsTotal + ' runs · ' + percent + ' %' +
          (state.cancelRequested && state.state === 'running' ? ' · cancelling' : '') + (state.message ? ' · ' + state.message : '');
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
        chart(runs);
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
        const files = Array.from(document.getElementById('scenario-file').files);
        const file = files[0];
        const pickedName = document.getElementById('scenario-pick').value;
        let request;
        if (files.length > 1) {
          const scenarios = await Promise.all(files.map(async f => ({ name: f.name, yaml: await f.text() })));
          const body = { scenarios: scenarios };
          const replications = form.elements['replications'].value.trim();
          if (replications) body.replications = Number(replications);
          request = rp.api('/api/studies', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        } else if (editor.value.trim()) {
          const name = file ? file.name : (pickedName || 'scenario.yaml');
          request = rp.api('/api/jobs/simulate?name=' + encodeURIComponent(name), { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: editor.value });
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
      // ---- headroom: the scenario of the editor (or the shipped one picked) as a headroom job ----
      const hBar = document.getElementById('headroom-progress');
      const hStatus = document.getElementById('headroom-status');
      const hCancel = document.getElementById('headroom-cancel');
      const hStart = document.getElementById('headroom-start');
      let hJob = null, hSource = null;
      function hLock(running) {
        document.getElementById('headroom-inputs').disabled = running;
        hStart.disabled = running;
        hCancel.disabled = !running;
      }
      function hShow(state) {
        hJob = state;
        const percent = setBar(hBar, state);
        hStatus.textContent = state.scenario + ': ' + state.state + ' · ' + (state.stepsDone || 0) + ' of about ' + (state.stepsPlanned || 0) + ' steps · ' + percent + ' %' +
          (state.message ? ' · ' + state.message : '');
        if (state.headroom) hAnswer(state.headroom);
      }
      function hAnswer(h) {
        const table = document.getElementById('headroom-answer');
        table.innerHTML = '';
        const factor = v => (v === null || v === undefined) ? 'not found' : '× ' + rp.number(v, 3);
        const first = h.firstToBind;
        const rows = [
          ['limitFactor', 'Demand multiplier reached (the largest that holds) 可承受的需求倍数', factor(h.limitFactor)],
          ['failedFactor', 'Smallest multiplier that breaks 失效倍数', factor(h.failedFactor)],
          ['tolerance', 'Precision', h.tolerance === null || h.tolerance === undefined ? '' : '± ' + rp.number(h.tolerance, 3)],
          ['firstToBind', 'What breaks first 首先失效', first ? first.criterion + ' at ' + first.resource + (first.reason ? ' (' + first.reason + ')' : '') : 'nothing broke within the factors tried'],
          ['grow', 'Demand grown', h.grow.join(', ') + ' (' + rp.number(h.grownTEUPerYear, 0) + ' TEU a year at × 1)'],
          ['criteria', 'Criteria', h.criteria.map(c => c.description).join('; ')],
        ];
        for (const relief of h.reliefs) rows.push(['relief', 'Relieving ' + relief.name + ' (+10 % ' + relief.relieved + ')', factor(relief.limitFactor)]);
        for (const [key, label, value] of rows) table.append(rp.el('tr', { 'data-field': key }, rp.el('th', { text: label }), rp.el('td', { text: value })));
        const steps = document.getElementById('headroom-steps-table');
        steps.innerHTML = '';
        steps.append(rp.el('tr', {}, ...['factor', 'phase', 'on-time', 'backlog', 'worst queue p90 h', 'holds'].map(t => rp.el('th', { text: t }))));
        for (const step of h.steps) {
          steps.append(rp.el('tr', { 'data-step': String(step.factor) }, rp.el('td', { class: 'number', text: rp.number(step.factor, 4) }), rp.el('td', { text: step.phase }),
            rp.el('td', { class: 'number', text: rp.number(step.onTimeRate, 3) }), rp.el('td', { class: 'number', text: rp.number(step.backlogShare, 3) }),
            rp.el('td', { class: 'number', text: step.worstQueueP90WaitHours === undefined || step.worstQueueP90WaitHours === null ? '' : rp.number(step.worstQueueP90WaitHours, 0) }),
            rp.el('td', { class: step.held ? 'met' : 'unmet', text: step.held ? 'holds' : 'breaks: ' + step.failed.join(', ') })));
        }
      }
      function hFollow(id) {
        if (hSource) hSource.close();
        hSource = new EventSource('/api/jobs/' + encodeURIComponent(id) + '/events');
        const update = event => { hShow(JSON.parse(event.data)); };
        hSource.addEventListener('status', update);
        hSource.addEventListener('end', event => { update(event); hSource.close(); hSource = null; hLock(false); });
        hSource.onerror = () => { if (hSource && hSource.readyState === EventSource.CLOSED) hLock(false); };
      }
      hStart.addEventListener('click', async () => {
        const list = id => document.getElementById(id).value.split(',').map(t => t.trim()).filter(t => t);
        const body = { grow: list('headroom-grow'), criteria: list('headroom-criteria') };
        for (const [key, id] of [['seeds', 'headroom-seeds'], ['steps', 'headroom-steps'], ['reliefs', 'headroom-reliefs']]) {
          const value = document.getElementById(id).value.trim();
          if (value) body[key] = Number(value);
        }
        const file = document.getElementById('scenario-file').files[0];
        const pickedName = document.getElementById('scenario-pick').value;
        if (editor.value.trim()) {
          body.scenarioYAML = editor.value;
          body.name = file ? file.name : (pickedName || 'scenario.yaml');
        } else if (pickedName) {
          body.scenario = pickedName;
        } else {
          rp.showError(hStatus, new Error('pick a shipped scenario or write one in the editor first'));
          return;
        }
        hLock(true);
        try {
          const state = await rp.api('/api/jobs/headroom', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
          hShow(state);
          hFollow(state.id);
          rp.setParam('headroom', state.id);
        } catch (error) {
          hLock(false);
          rp.showError(hStatus, error);
        }
      });
      hCancel.addEventListener('click', async () => {
        if (!hJob) return;
        try { hShow(await rp.api('/api/jobs/' + encodeURIComponent(hJob.id), { method: 'DELETE' })); } catch (error) { rp.showError(hStatus, error); }
      });
      // A permalink to a job follows it (or shows how it ended).
      // A headroom job opens in the headroom panel, whichever parameter names it.
      const followHeadroom = state => { hShow(state); if (!state.finishedAt) { hLock(true); hFollow(state.id); } };
      const linked = rp.params.get('job');
      if (linked) rp.api('/api/jobs/' + encodeURIComponent(linked)).then(state => {
        if (state.kind === 'headroom') { rp.setParam('job', null); rp.setParam('headroom', state.id); followHeadroom(state); return; }
        show(state); if (state.finishedAt) dashboard(state); else { lock(true); follow(state.id); }
      }).catch(() => rp.setParam('job', null));
      const linkedHeadroom = rp.params.get('headroom');
      if (linkedHeadroom) rp.api('/api/jobs/' + encodeURIComponent(linkedHeadroom)).then(followHeadroom).catch(() => rp.setParam('headroom', null));
    })();
    """#
}

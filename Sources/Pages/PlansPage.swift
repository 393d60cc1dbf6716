/// Batch plans: upload a shipments CSV, see statuses, reasons, binding services and duals, and
/// download each shipment's one-bill document and the whole plan.
enum PlansPage {
    static let body = #"""
    <div class="panel">
    <form id="plan-form">
    <label>Shipments CSV 货物清单 <input type="file" name="file" id="plan-file" accept=".csv,text/csv" required></label>
    <label>Objective <select name="objective"><option value="cost">cost</option><option value="time">time</option><option value="co2">co2</option><option value="balanced">balanced</option></select></label>
    <label><input type="checkbox" name="integer"> Whole departures (integer plan)</label>
    <button class="primary" type="submit" id="plan-submit">Plan 计划</button>
    <a href="#" id="plan-template">Download a template CSV</a>
    <span class="muted">Format: docs/shipments-format.md; errors name the line and column.</span>
    </form>
    </div>
    <div class="panel" id="plan-status"><span class="muted">Upload a shipment list.</span></div>
    <div class="panel exports" id="plan-exports" hidden><strong>Export</strong>
    <button type="button" id="export-plan-json">Plan JSON</button><button type="button" id="export-plan-csv">Shipments CSV</button></div>
    <div class="panel"><strong>Shipments</strong><table id="plan-shipments"></table></div>
    <div class="panel"><strong>Binding services (dual price per TEU)</strong><table id="plan-services"></table></div>
    """#

    static let script = #"""
    (function () {
      const form = document.getElementById('plan-form');
      const status = document.getElementById('plan-status');
      let made = null;
      const objective = rp.params.get('objective');
      if (objective) form.elements.objective.value = objective;
      document.getElementById('plan-template').addEventListener('click', event => {
        event.preventDefault();
        rp.download('shipments-template.csv', 'text/csv',
          'id,origin,destination,teu,tonnes,cargo,ready,deadline,valueUSD,shipper,consignee,description,hsCode\n' +
          'CQ-0001,Chongqing,Duisburg,2,,general,2027-03-01,25d,180000,Shipper Co.,Consignee GmbH,Notebook PCs,847130\n' +
          'CQ-0002,Chongqing,Vientiane,1,,general,2027-03-02,10d,60000,Shipper Co.,Consignee Lao,Motorcycle parts,871410\n');
      });
      function render() {
        const plan = made.plan;
        const s = plan.summary;
        status.innerHTML = '';
        status.append(rp.el('div', { id: 'plan-summary', text: s.shipments + ' shipments: ' + s.planned + ' planned, ' + s.partial + ' partial, ' + s.unmet + ' unmet · ' +
          rp.number(s.teuPlanned, 1) + ' of ' + rp.number(s.teuRequested, 1) + ' TEU · ' + rp.number(plan.totalCostUSD, 0) + ' USD' }));
        document.getElementById('plan-exports').hidden = false;
        const table = document.getElementById('plan-shipments');
        table.innerHTML = '';
        table.append(rp.el('tr', {}, ...['id', 'from→to', 'TEU', 'status', 'reason', 'USD', 'routes', 'bill'].map(t => rp.el('th', { text: t }))));
        for (const shipment of plan.shipments) {
          const bills = rp.el('td', {});
          (shipment.routes || []).forEach((route, part) => {
            const base = '/api/plans/' + encodeURIComponent(made.id) + '/bills/' + encodeURIComponent(shipment.id) + '?part=' + part;
            bills.append(rp.el('a', { href: base + '&format=html', target: '_blank', class: 'bill-html', text: 'HTML' }), ' ',
                         rp.el('a', { href: base + '&format=json', download: shipment.id + '-' + part + '.json', class: 'bill-json', text: 'JSON' }), ' ');
          });
          table.append(rp.el('tr', { 'data-shipment': shipment.id, 'data-status': shipment.status },
            rp.el('td', { text: shipment.id }), rp.el('td', { text: shipment.origin + '→' + shipment.destination }),
            rp.el('td', { class: 'number', text: rp.number(shipment.teu, 2) }), rp.el('td', { text: shipment.status }),
            rp.el('td', { text: shipment.reason || '' }), rp.el('td', { class: 'number', text: rp.number(shipment.costUSD, 0) }),
            rp.el('td', { text: (shipment.routes || []).map(r => r.modes + ' ' + rp.number(r.days, 1) + ' d').join('; ') }), bills));
        }
        const services = document.getElementById('plan-services');
        services.innerHTML = '';
        services.append(rp.el('tr', {}, ...['service', 'name', 'from→to', 'used TEU', 'capacity TEU', 'dual USD/TEU'].map(t => rp.el('th', { text: t }))));
        for (const service of plan.services.filter(x => x.binding)) {
          services.append(rp.el('tr', { 'data-service': service.id }, rp.el('td', { text: service.id }), rp.el('td', { text: service.name }),
            rp.el('td', { text: service.from + '→' + service.to }), rp.el('td', { class: 'number', text: rp.number(service.usedTEU, 1) }),
            rp.el('td', { class: 'number', text: rp.number(service.capacityTEU, 1) }), rp.el('td', { class: 'number', text: rp.number(service.dualUSDPerTEU, 2) })));
        }
      }
      form.addEventListener('submit', async event => {
        event.preventDefault();
        const file = document.getElementById('plan-file').files[0];
        if (!file) return;
        const query = new URLSearchParams({ name: file.name, objective: form.elements.objective.value });
        rp.setParam('objective', form.elements.objective.value);
        if (form.elements.integer.checked) query.set('integer', 'true');
        document.getElementById('plan-submit').disabled = true;
        status.textContent = 'Planning ' + file.name + '…';
        try {
          made = await rp.api('/api/plans?' + query.toString(), { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: await file.text() });
          render();
        } catch (error) {
          rp.showError(status, error);
        } finally {
          document.getElementById('plan-submit').disabled = false;
        }
      });
      document.getElementById('export-plan-json').addEventListener('click', () => { if (made) rp.download('plan.json', 'application/json', JSON.stringify(made.plan, null, 2)); });
      document.getElementById('export-plan-csv').addEventListener('click', () => {
        if (!made) return;
        const rows = [['id', 'origin', 'destination', 'teu', 'status', 'reason', 'costUSD', 'co2eKg']];
        for (const s of made.plan.shipments) rows.push([s.id, s.origin, s.destination, s.teu, s.status, s.reason || '', s.costUSD, s.co2eKg]);
        rp.download('plan-shipments.csv', 'text/csv', rp.csv(rows));
      });
    })();
    """#
}

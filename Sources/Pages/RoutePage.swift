/// The route query: a form whose places are suggested as typed, alternatives side by side and on
/// the map, and the Pareto chart.
enum RoutePage {
    static let script = #"""
    (function () {
      const form = document.getElementById('route-form');
      const status = document.getElementById('route-status');
      const list = document.getElementById('alternatives');
      const fields = ['from', 'to', 'teu', 'objective', 'alternatives', 'deadline', 'cargo'];
      let answer = null;
      for (const name of fields) { const value = rp.params.get(name); if (value !== null) form.elements[name].value = value; }
      // Suggestions: the workspace's place lookup, as --from and --to resolve names.
      for (const name of ['from', 'to']) {
        const input = form.elements[name], options = document.getElementById(name + '-places');
        let timer = null;
        input.addEventListener('input', () => {
          clearTimeout(timer);
          const text = input.value.trim();
          if (text.length < 2) return;
          timer = setTimeout(async () => {
            try {
              const found = await rp.api('/api/places?query=' + encodeURIComponent(text));
              options.innerHTML = '';
              for (const place of found.places) options.append(rp.el('option', { value: place.code, label: place.name + (place.nameZh ? ' ' + place.nameZh : '') + ' · ' + place.kind }));
            } catch (error) { /* suggestions are a help, not an answer */ }
          }, 150);
        });
      }
      function legsTable(route) {
        const table = rp.el('table', {}, rp.el('tr', {}, rp.el('th', { text: 'mode' }), rp.el('th', { text: 'service' }), rp.el('th', { text: 'from→to' }), rp.el('th', { class: 'number', text: 'USD' })));
        for (const leg of route.legs) table.append(rp.el('tr', {}, rp.el('td', { text: leg.mode }), rp.el('td', { text: leg.service }), rp.el('td', { text: leg.from + '→' + leg.to }), rp.el('td', { class: 'number', text: rp.number(leg.costUSD, 0) })));
        return table;
      }
      function pareto(front, alternatives) {
        const box = document.getElementById('pareto');
        box.innerHTML = '';
        const points = front.concat(alternatives);
        if (!points.length) return;
        const w = 520, h = 240, pad = 44;
        const xs = points.map(r => r.days), ys = points.map(r => r.costUSD);
        const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
        const x = d => pad + (x1 > x0 ? (d - x0) / (x1 - x0) : 0.5) * (w - 2 * pad);
        const y = c => h - pad + (y1 > y0 ? -(c - y0) / (y1 - y0) : -0.5) * (h - 2 * pad);
        let svg = '<svg xmlns="http://www.w3.org/2000/svg" id="pareto-chart" viewBox="0 0 ' + w + ' ' + h + '" width="' + w + '" height="' + h + '" font-size="11">';
        svg += '<line x1="' + pad + '" y1="' + (h - pad) + '" x2="' + (w - pad) + '" y2="' + (h - pad) + '" stroke="#999"/><line x1="' + pad + '" y1="' + pad + '" x2="' + pad + '" y2="' + (h - pad) + '" stroke="#999"/>';
        svg += '<text x="' + (w / 2) + '" y="' + (h - 8) + '" text-anchor="middle">days ' + x0.toFixed(1) + '–' + x1.toFixed(1) + '</text>';
        svg += '<text x="12" y="' + (h / 2) + '" transform="rotate(-90 12 ' + (h / 2) + ')" text-anchor="middle">USD ' + Math.round(y0) + '–' + Math.round(y1) + '</text>';
        for (const r of front) svg += '<circle class="pareto-point" cx="' + x(r.days).toFixed(1) + '" cy="' + y(r.costUSD).toFixed(1) + '" r="5" fill="#fff" stroke="#1b2631"><title>' + r.modes + ': ' + Math.round(r.costUSD) + ' USD, ' + r.days.toFixed(1) + ' days, ' + Math.round(r.co2eKg) + ' kg CO2e</title></circle>';
        alternatives.forEach((r, i) => { svg += '<circle class="alternative-point" cx="' + x(r.days).toFixed(1) + '" cy="' + y(r.costUSD).toFixed(1) + '" r="3" fill="' + rp.map.colours[i % rp.map.colours.length] + '"><title>#' + (i + 1) + '</title></circle>'; });
        box.innerHTML = svg + '</svg>';
      }
      async function ask() {
        const query = new URLSearchParams();
        for (const name of fields) { const value = String(form.elements[name].value || '').trim(); rp.setParam(name, value); if (value) query.set(name, value); }
        document.getElementById('route-submit').disabled = true;
        status.textContent = 'Searching…';
        list.innerHTML = '';
        try {
          answer = await rp.api('/api/route?' + query.toString());
          const alternatives = answer.alternatives || [];
          status.textContent = alternatives.length + ' alternatives from ' + answer.query.from + ' to ' + answer.query.to + (answer.status === 'ok' ? '' : ' (' + answer.status + ')');
          alternatives.forEach((route, index) => {
            const card = rp.el('div', { class: 'alternative panel', 'data-rank': String(index + 1), style: 'border-top-color:' + rp.map.colours[index % rp.map.colours.length] },
              rp.el('strong', { text: '#' + (index + 1) + ' ' + route.modes }),
              rp.el('div', { class: 'figures', text: rp.number(route.costUSD, 0) + ' USD · ' + rp.number(route.days, 1) + ' days · ' + rp.number(route.co2eKg, 0) + ' kg CO2e' }),
              legsTable(route));
            list.append(card);
          });
          rp.map.drawRoutes(alternatives.map((route, index) => ({ label: '#' + (index + 1) + ' ' + route.modes, legs: route.legs })));
          pareto(answer.paretoFront || [], alternatives);
        } catch (error) {
          rp.showError(status, error);
          rp.map.drawRoutes([]);
        } finally {
          document.getElementById('route-submit').disabled = false;
        }
      }
      form.addEventListener('submit', event => { event.preventDefault(); ask(); });
      document.getElementById('export-route-json').addEventListener('click', () => { if (answer) rp.download('route.json', 'application/json', JSON.stringify(answer, null, 2)); });
      document.getElementById('export-route-csv').addEventListener('click', () => {
        if (!answer) return;
        const rows = [['rank', 'modes', 'costUSD', 'days', 'co2eKg', 'leg', 'mode', 'service', 'from', 'to', 'legCostUSD']];
        answer.alternatives.forEach((r, i) => r.legs.forEach((leg, j) => rows.push([i + 1, r.modes, r.costUSD, r.days, r.co2eKg, j + 1, leg.mode, leg.service, leg.from, leg.to, leg.costUSD])));
        rp.download('route.csv', 'text/csv', rp.csv(rows));
      });
      if (form.elements.from.value && form.elements.to.value) ask();
    })();
    """#
}

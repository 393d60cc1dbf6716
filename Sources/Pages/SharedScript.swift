/// The script every page loads: the map's pan, zoom, layers and clicks, the page state kept in
/// the URL (permalinks), the API calls with their error messages, and downloads.
enum SharedScript {
    static let source = #"""
    'use strict';
    const rp = {};
    // ---- page state in the URL: every page's query, layers and view make its permalink ----
    rp.params = new URLSearchParams(location.search);
    rp.setParam = function (key, value) {
      if (value === null || value === undefined || value === '') rp.params.delete(key); else rp.params.set(key, value);
      const text = rp.params.toString();
      history.replaceState(null, '', location.pathname + (text ? '?' + text : ''));
    };
    // ---- API calls: a JSON answer, or an Error carrying the server's message and issues ----
    rp.api = async function (path, options) {
      const response = await fetch(path, options);
      const type = response.headers.get('content-type') || '';
      const body = type.includes('json') ? await response.json() : await response.text();
      if (!response.ok) {
        const error = new Error((body && body.error) || ('HTTP ' + response.status));
        error.status = response.status;
        error.issues = (body && body.issues) || [];
        throw error;
      }
      return body;
    };
    rp.showError = function (element, error) {
      element.innerHTML = '';
      const message = document.createElement('div');
      message.className = 'error';
      message.textContent = error.message + (error.status ? ' (HTTP ' + error.status + ')' : '');
      element.appendChild(message);
      if (error.issues && error.issues.length) {
        const list = document.createElement('ul');
        list.className = 'issues';
        for (const issue of error.issues) { const item = document.createElement('li'); item.textContent = issue; list.appendChild(item); }
        element.appendChild(list);
      }
    };
    rp.el = function (tag, attributes, ...children) {
      const element = document.createElement(tag);
      for (const [key, value] of Object.entries(attributes || {})) {
        if (key === 'text') element.textContent = value; else if (value !== undefined && value !== null) element.setAttribute(key, value);
      }
      for (const child of children) element.append(child);
      return element;
    };
    rp.number = function (value, digits) {
      if (value === null || value === undefined) return 'not measured';
      return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 1 : digits });
    };
    rp.download = function (name, type, text) {
      const link = rp.el('a', { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
      document.body.appendChild(link); link.click(); link.remove();
    };
    rp.csv = function (rows) {
      return rows.map(row => row.map(cell => {
        const text = cell === null || cell === undefined ? '' : String(cell);
        return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
      }).join(',')).join('\n') + '\n';
    };
    // ---- the map: pan, zoom, layers, clicks ----
    rp.map = (function () {
      const svg = document.getElementById('network-map');
      if (!svg) return null;
      const initial = svg.getAttribute('viewBox').split(' ').map(Number);
      let view = initial.slice();
      function apply() {
        svg.setAttribute('viewBox', view.map(v => v.toFixed(1)).join(' '));
        rp.setParam('view', view.map(v => Math.round(v)).join(','));
      }
      function zoom(factor, cx, cy) {
        const w = Math.min(initial[2] * 4, Math.max(initial[2] / 40, view[2] * factor));
        const h = w * view[3] / view[2];
        if (cx === undefined) { cx = view[0] + view[2] / 2; cy = view[1] + view[3] / 2; }
        view = [cx - (cx - view[0]) * w / view[2], cy - (cy - view[1]) * h / view[3], w, h];
        apply();
      }
      function toMap(event) {
        const box = svg.getBoundingClientRect();
        // preserveAspectRatio meet: the scale is the smaller ratio, the view centred.
        const scale = Math.min(box.width / view[2], box.height / view[3]);
        const offsetX = (box.width - view[2] * scale) / 2, offsetY = (box.height - view[3] * scale) / 2;
        return [view[0] + (event.clientX - box.left - offsetX) / scale, view[1] + (event.clientY - box.top - offsetY) / scale, scale];
      }
      svg.addEventListener('wheel', event => { event.preventDefault(); const p = toMap(event); zoom(event.deltaY > 0 ? 1.2 : 1 / 1.2, p[0], p[1]); }, { passive: false });
      let drag = null;
      svg.addEventListener('pointerdown', event => { drag = { x: event.clientX, y: event.clientY, view: view.slice(), moved: false }; });
      svg.addEventListener('pointermove', event => {
        if (!drag) return;
        const scale = toMap(event)[2];
        const dx = (event.clientX - drag.x) / scale, dy = (event.clientY - drag.y) / scale;
        if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
        view = [drag.view[0] - dx, drag.view[1] - dy, view[2], view[3]];
        apply();
      });
      window.addEventListener('pointerup', () => { setTimeout(() => { drag = null; }, 0); });
      const tools = document.querySelector('.map-tools');
      if (tools) {
        tools.querySelector('[data-zoom=in]').addEventListener('click', () => zoom(1 / 1.5));
        tools.querySelector('[data-zoom=out]').addEventListener('click', () => zoom(1.5));
        tools.querySelector('[data-zoom=reset]').addEventListener('click', () => { view = initial.slice(); apply(); });
      }
      // Layers: a checkbox per layer, remembered in the URL.
      const boxes = Array.from(document.querySelectorAll('input[data-layer-toggle]'));
      function showLayers() {
        const on = [];
        for (const box of boxes) {
          const group = document.getElementById('layer-' + box.dataset.layerToggle);
          if (group) group.style.display = box.checked ? '' : 'none';
          if (box.checked) on.push(box.dataset.layerToggle);
        }
        rp.setParam('layers', on.length === boxes.length ? null : on.join(','));
      }
      const wanted = rp.params.get('layers');
      if (wanted !== null) { const set = new Set(wanted.split(',')); for (const box of boxes) box.checked = set.has(box.dataset.layerToggle); }
      for (const box of boxes) box.addEventListener('change', showLayers);
      showLayers();
      const saved = (rp.params.get('view') || '').split(',').map(Number);
      if (saved.length === 4 && saved.every(Number.isFinite) && saved[2] > 0 && saved[3] > 0) { view = saved; apply(); }
      // A click on a place or service shows what it is.
      const info = document.getElementById('map-info');
      svg.addEventListener('click', event => {
        if (drag && drag.moved) return;
        const target = event.target.closest('[data-place], [data-service]');
        if (!target || !info) return;
        const title = target.querySelector('title');
        info.innerHTML = '';
        info.append(rp.el('div', { class: 'selected', 'data-selected': target.dataset.place || target.dataset.service,
                                   text: title ? title.textContent : '' }));
        if (target.dataset.place) {
          info.append(rp.el('div', { class: 'muted', text: 'Code ' + target.dataset.place + (target.dataset.nameZh ? ' · ' + target.dataset.nameZh : '') }));
          rp.setParam('place', target.dataset.place);
        } else {
          rp.setParam('place', null);
        }
      });
      // Routes drawn from the places' own circles, so the page needs no projection of its own.
      const routeColours = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];
      function point(code) {
        const circle = svg.querySelector('circle[data-place="' + CSS.escape(code) + '"]');
        return circle ? [Number(circle.getAttribute('cx')), Number(circle.getAttribute('cy'))] : null;
      }
      function drawRoutes(routes) {
        let group = svg.querySelector('#routes');
        if (group) group.remove();
        group = document.createElementNS('http://www.w3.org/2000/svg', 'g');
        group.setAttribute('id', 'routes');
        svg.appendChild(group);
        const drawn = [];
        routes.forEach((route, index) => {
          const points = [];
          for (const leg of route.legs) {
            if (!points.length) { const p = point(leg.from); if (p) points.push(p); }
            const q = point(leg.to); if (q) points.push(q);
          }
          if (points.length < 2) return;
          const offset = index * 2.5;
          const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
          path.setAttribute('class', 'route-line');
          path.setAttribute('data-route', String(index + 1));
          path.setAttribute('stroke', routeColours[index % routeColours.length]);
          path.setAttribute('d', 'M' + points.map(p => (p[0] + offset).toFixed(1) + ',' + (p[1] + offset).toFixed(1)).join('L'));
          const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
          title.textContent = route.label;
          path.appendChild(title);
          group.appendChild(path);
          drawn.push(points);
        });
        // Frame the routes.
        const all = drawn.flat();
        if (all.length && !rp.params.get('view')) {
          const xs = all.map(p => p[0]), ys = all.map(p => p[1]);
          const pad = 40, x0 = Math.min(...xs) - pad, y0 = Math.min(...ys) - pad;
          let w = Math.max(...xs) - x0 + pad, h = Math.max(...ys) - y0 + pad;
          const ratio = initial[2] / initial[3];
          if (w / h > ratio) h = w / ratio; else w = h * ratio;
          view = [x0, y0, w, h];
          svg.setAttribute('viewBox', view.map(v => v.toFixed(1)).join(' '));
        }
        return drawn.length;
      }
      function exportSVG() { rp.download('routeplanner-map.svg', 'image/svg+xml', new XMLSerializer().serializeToString(svg)); }
      return { svg, drawRoutes, exportSVG, colours: routeColours };
    })();
    """#
}

/* The web map of `corridor serve` (docs/web.md). Talks only to the server it came from: /health
 * (profiles, the network's bounding box), /tiles (the base map), /route/v1 and /isochrone/v1.
 * Everything the server sends that is drawn as text goes through textContent or esc(). The state
 * the browser test reads is window.corridor (tests/web/test_web.js). */
'use strict';

(function () {
  const STR = {
    en: {
      route: 'Route', isochrone: 'Isochrones', before: 'Before', after: 'After (scenario)', profile: 'Profile', height: 'Height (m)',
      weight: 'Weight (t)', metric: 'Optimise', m_time: 'time', m_distance: 'distance',
      m_cost: 'cost', m_co2: 'CO₂',
      minutes: 'Minutes', clear: 'Clear', distance: 'Distance', duration: 'Duration', cost: 'Cost',
      co2: 'CO₂', mode: 'Mode', terminal: 'Terminal',
      hint_o: 'Click the map to set the origin.', hint_d: 'Click to set the destination.',
      hint_v: 'Click to add a via point; drag markers to move them; right-click a via point to remove it.',
      hint_iso: 'Click the map: areas reachable within the minutes given.',
      loading: 'Asking the server…', no_server: 'The server did not answer', reached: 'reached',
      p_car: 'car', p_motorcycle: 'motorcycle', p_truck: 'truck', p_freight: 'freight',
      p_rail: 'rail', p_barge: 'barge',
      road: 'road', ferry: 'ferry', rail: 'rail', water: 'water', transfer: 'transfer',
      min: 'min', origin: 'origin', destination: 'destination', via: 'via',
    },
    vi: {
      route: 'Lộ trình', isochrone: 'Vùng đẳng thời', before: 'Hiện trạng', after: 'Sau (kịch bản)', profile: 'Phương tiện', height: 'Chiều cao (m)',
      weight: 'Tải trọng (t)', metric: 'Tối ưu theo', m_time: 'thời gian', m_distance: 'quãng đường',
      m_cost: 'chi phí', m_co2: 'CO₂',
      minutes: 'Số phút', clear: 'Xoá', distance: 'Quãng đường', duration: 'Thời gian', cost: 'Chi phí',
      co2: 'CO₂', mode: 'Phương thức', terminal: 'Bến / ga',
      hint_o: 'Nhấp vào bản đồ để chọn điểm đi.', hint_d: 'Nhấp để chọn điểm đến.',
      hint_v: 'Nhấp để thêm điểm trung gian; kéo các điểm để di chuyển; nhấp chuột phải vào điểm trung gian để xoá.',
      hint_iso: 'Nhấp vào bản đồ: các vùng đi tới được trong số phút đã nhập.',
      loading: 'Đang hỏi máy chủ…', no_server: 'Máy chủ không trả lời', reached: 'đã tới',
      p_car: 'ô tô', p_motorcycle: 'xe máy', p_truck: 'xe tải', p_freight: 'hàng hoá đa phương thức',
      p_rail: 'đường sắt', p_barge: 'sà lan',
      road: 'đường bộ', ferry: 'phà', rail: 'đường sắt', water: 'đường thuỷ', transfer: 'chuyển tải',
      min: 'phút', origin: 'điểm đi', destination: 'điểm đến', via: 'điểm trung gian',
    },
  };
  /* the route over corridor's tiles: colours unlike the map's roads and water, on a white casing */
  const COLOURS = { road: '#c2255c', ferry: '#7048e8', rail: '#212529', water: '#0b3d91', transfer: '#495057' };
  const $ = (id) => document.getElementById(id);

  /* The page's state, read by the browser test. */
  const state = {
    lang: 'en', tool: 'route', points: [], routes: 0, isochrones: 0, busy: 0, prefix: '', origin: null,
    last: null, lastUrl: '', error: '',
  };
  window.corridor = state;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  state.esc = esc;

  function t(key) {
    return (STR[state.lang] && STR[state.lang][key]) || STR.en[key] || key;
  }

  function pickLang() {
    const q = new URLSearchParams(location.search).get('lang');
    if (q && STR[q]) return q;
    return (navigator.language || 'en').toLowerCase().startsWith('vi') ? 'vi' : 'en';
  }

  function applyLang() {
    document.documentElement.lang = state.lang;
    $('lang').value = state.lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('#profile option').forEach((o) => { o.textContent = t('p_' + o.value); });
    hint();
    if (state.last) showRoute(state.last);
  }

  function hint() {
    let key = 'hint_iso';
    if (state.tool === 'route') key = state.points.length === 0 ? 'hint_o' : state.points.length === 1 ? 'hint_d' : 'hint_v';
    $('hint').textContent = t(key);
  }

  function message(text) {
    state.error = text || '';
    $('message').textContent = state.error;
  }

  /* ---- the map ------------------------------------------------------------------------------- */
  const map = L.map('map', { zoomControl: true });
  state.map = map;
  const tiles = L.tileLayer('/tiles/{z}/{x}/{y}{r}.png', {
    maxZoom: 19, tileSize: 256, attribution: '© OpenStreetMap contributors',
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a> | corridor');
  const routeLayer = L.layerGroup().addTo(map);
  const isoLayer = L.layerGroup().addTo(map);
  const markerLayer = L.layerGroup().addTo(map);

  function fmt(v, digits) {
    return Number(v).toLocaleString(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    });
  }
  function fmtDistance(m) { return fmt(m / 1000, 2) + ' km'; }
  function fmtDuration(s) {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s - 3600 * h - 60 * m;
    return (h ? h + ' h ' : '') + (h || m ? m + ' ' + t('min') + ' ' : '') + fmt(r, 1) + ' s';
  }
  state.fmtDistance = fmtDistance;
  state.fmtDuration = fmtDuration;

  function coord(ll) {
    return ll.lng.toFixed(7) + ',' + ll.lat.toFixed(7);
  }

  function icon(i, n) {
    const kind = i === 0 ? 'origin' : i === n - 1 && n > 1 ? 'destination' : 'via';
    const label = kind === 'origin' ? 'A' : kind === 'destination' ? 'B' : String(i);
    return L.divIcon({ className: '', html: '<div class="pin ' + kind + '">' + label + '</div>', iconSize: [26, 26], iconAnchor: [13, 13] });
  }

  function drawMarkers() {
    markerLayer.clearLayers();
    const n = state.points.length;
    state.points.forEach((ll, i) => {
      const m = L.marker(ll, { draggable: true, icon: icon(i, n), keyboard: false });
      m.on('dragend', () => { state.points[i] = m.getLatLng(); drawMarkers(); route(); });
      m.on('contextmenu', () => {
        if (i > 0 && i < n - 1) { state.points.splice(i, 1); drawMarkers(); route(); }
      });
      m.addTo(markerLayer);
    });
    hint();
  }

  /* A via point goes where it lengthens the straight-line tour least. */
  function addPoint(ll) {
    const p = state.points;
    if (p.length < 2) { p.push(ll); return; }
    let best = 1, bestCost = Infinity;
    for (let i = 1; i < p.length; i++) {
      const c = map.distance(p[i - 1], ll) + map.distance(ll, p[i]) - map.distance(p[i - 1], p[i]);
      if (c < bestCost) { bestCost = c; best = i; }
    }
    p.splice(best, 0, ll);
  }

  function query() {
    const q = new URLSearchParams();
    if ($('profile').value === 'truck') {
      if ($('height').value) q.set('height', $('height').value);
      if ($('weight').value) q.set('weight', $('weight').value);
    }
    return q;
  }

  async function get(url) {
    state.busy++;
    message(t('loading'));
    try {
      const r = await fetch(url);
      const body = await r.json();
      message(body.code === 'Ok' || body.type === 'FeatureCollection' ? '' : (body.message || body.code));
      return body;
    } catch (e) {
      message(t('no_server'));
      return null;
    } finally {
      state.busy--;
    }
  }

  /* ---- routes -------------------------------------------------------------------------------- */
  async function route() {
    routeLayer.clearLayers();
    if (state.points.length < 2) { state.last = null; showRoute(null); return; }
    const q = query();
    if ($('metric').value !== 'time') q.set('metric', $('metric').value); /* corridor's own option */
    q.set('overview', 'full');
    q.set('geometries', 'geojson');
    q.set('annotations', 'distance');
    const url = state.prefix + '/route/v1/' + encodeURIComponent($('profile').value) + '/' +
      state.points.map(coord).join(';') + '?' + q.toString();
    state.lastUrl = url;
    const ans = await get(url);
    if (url !== state.lastUrl) return; /* a newer request was sent meanwhile */
    state.last = ans && ans.code === 'Ok' ? ans : null;
    if (state.last) drawRoute(state.last);
    showRoute(state.last);
    state.routes++;
  }

  /* The geometry's point index where each segment ends: the server's segments give lengths, the
   * annotations each pair's length; a segment ends at the point whose distance along the route is
   * nearest its end (null when the counts do not fit: drawn in one colour). */
  function segmentEnds(r, segs, points) {
    const pairs = [].concat(...(r.legs || []).map((l) => (l.annotation && l.annotation.distance) || []));
    if (pairs.length !== points - 1) return null;
    const along = [0];
    for (const d of pairs) along.push(along[along.length - 1] + d);
    const ends = [];
    let j = 0, target = 0;
    for (const s of segs) {
      target += s.distance_m || 0;
      while (j < points - 1 && Math.abs(along[j + 1] - target) <= Math.abs(along[j] - target)) j++;
      ends.push(j);
    }
    ends[ends.length - 1] = points - 1;
    return ends;
  }

  function drawRoute(ans) {
    const r = ans.routes[0];
    const line = r.geometry.coordinates.map((c) => [c[1], c[0]]);
    const segs = (r.corridor && r.corridor.segments) || [];
    const ends = segs.length ? segmentEnds(r, segs, line.length) : null;
    if (!ends) {
      L.polyline(line, { color: '#fff', weight: 10, opacity: 0.9 }).addTo(routeLayer);
      L.polyline(line, { color: COLOURS.road, weight: 6, opacity: 0.9 }).addTo(routeLayer);
      return;
    }
    let from = 0;
    segs.forEach((s, k) => {
      if (ends[k] > from) {
        if (s.mode !== 'transfer')
          L.polyline(line.slice(from, ends[k] + 1), { color: '#fff', weight: 10, opacity: 0.9 }).addTo(routeLayer);
        L.polyline(line.slice(from, ends[k] + 1), {
          color: COLOURS[s.mode] || COLOURS.road, weight: s.mode === 'transfer' ? 4 : 6, opacity: 0.9,
          dashArray: s.mode === 'rail' || s.mode === 'transfer' ? '8 6' : null,
        }).addTo(routeLayer);
      }
      from = Math.max(from, ends[k]);
    });
    segs.forEach((s) => {
      if (s.terminal === undefined || !s.terminal_location) return;
      const tl = s.terminal_location;
      L.circleMarker([tl[1], tl[0]], { radius: 7, color: '#000', weight: 2, fillColor: '#fff', fillOpacity: 1 })
        .bindTooltip(esc(s.terminal)).addTo(routeLayer);
    });
    state.drawn = segs.map((s, k) => ({ mode: s.mode, end: ends[k] }));
  }

  function showRoute(ans) {
    const body = document.querySelector('#segments tbody');
    body.textContent = '';
    for (const id of ['distance', 'duration', 'cost', 'co2']) { $(id).textContent = ''; delete $(id).dataset.value; }
    if (!ans) return;
    const r = ans.routes[0], c = r.corridor || {};
    $('distance').textContent = fmtDistance(r.distance);
    $('distance').dataset.value = r.distance;
    $('duration').textContent = fmtDuration(r.duration);
    $('duration').dataset.value = r.duration;
    if (c.cost !== undefined) {
      $('cost').textContent = fmt(c.cost, 0) + ' ' + (c.currency || '');
      $('cost').dataset.value = c.cost;
    }
    if (c.co2_kg !== undefined) {
      $('co2').textContent = fmt(c.co2_kg, 3) + ' kg';
      $('co2').dataset.value = c.co2_kg;
    }
    for (const s of c.segments || []) {
      const swatch = '<span class="swatch" style="background:' + (COLOURS[s.mode] || '#000') + '"></span>';
      const tr = document.createElement('tr');
      tr.innerHTML = '<td>' + swatch + esc(t(s.mode)) + '</td><td>' + esc(fmtDistance(s.distance_m || 0)) +
        '</td><td>' + esc(fmtDuration(s.duration_s || 0)) + '</td><td>' + (s.terminal !== undefined ? esc(s.terminal) : '') + '</td>';
      body.appendChild(tr);
    }
  }

  /* ---- isochrones ---------------------------------------------------------------------------- */
  async function isochrone(ll) {
    isoLayer.clearLayers();
    markerLayer.clearLayers();
    L.marker(ll, { icon: icon(0, 1), keyboard: false }).addTo(markerLayer);
    const minutes = $('minutes').value.split(/[ ,;]+/).filter((x) => x).join(',');
    state.origin = ll;
    const url = state.prefix + '/isochrone/v1/' + encodeURIComponent($('profile').value) + '/' + coord(ll) +
      '?contours_minutes=' + encodeURIComponent(minutes) + '&polygons=true';
    state.lastUrl = url;
    const ans = await get(url);
    if (url !== state.lastUrl) return;
    if (ans && ans.type === 'FeatureCollection') {
      /* largest first, as the server sends them: the smaller bands are drawn on top */
      L.geoJSON(ans, {
        style: (f) => ({ color: f.properties.color, weight: 1, fillColor: f.properties.fillColor || f.properties.color, fillOpacity: 0.3 }),
        onEachFeature: (f, layer) => layer.bindTooltip(esc(f.properties.contour + ' ' + t('min') + ' · ' +
          fmt(f.properties.reached_km || 0, 1) + ' km ' + t('reached'))),
      }).addTo(isoLayer);
    }
    state.isochrones++;
  }

  /* ---- wiring -------------------------------------------------------------------------------- */
  function clearAll() {
    state.points = [];
    state.origin = null;
    state.last = null;
    routeLayer.clearLayers();
    isoLayer.clearLayers();
    drawMarkers();
    showRoute(null);
    message('');
  }

  map.on('click', (e) => {
    if (state.tool === 'isochrone') { isochrone(e.latlng); return; }
    addPoint(e.latlng);
    drawMarkers();
    route();
  });
  $('lang').addEventListener('change', () => { state.lang = $('lang').value; applyLang(); });
  $('clear').addEventListener('click', clearAll);
  document.querySelectorAll('input[name=tool]').forEach((el) => el.addEventListener('change', () => {
    state.tool = document.querySelector('input[name=tool]:checked').value;
    $('minutes-row').style.display = state.tool === 'isochrone' ? '' : 'none';
    clearAll();
  }));
  function onProfile() {
    $('truck').style.display = $('profile').value === 'truck' ? '' : 'none';
    route();
  }
  $('profile').addEventListener('change', onProfile);
  /* --compare: the same request to the scenario, under /after/ */
  document.querySelectorAll('input[name=net]').forEach((el) => el.addEventListener('change', () => {
    state.prefix = document.querySelector('input[name=net]:checked').value;
    tiles.setUrl(state.prefix + '/tiles/{z}/{x}/{y}{r}.png');
    if (state.tool === 'isochrone' && state.origin) isochrone(state.origin);
    else route();
  }));
  $('metric').addEventListener('change', route);
  $('height').addEventListener('change', route);
  $('weight').addEventListener('change', route);

  async function start() {
    state.lang = pickLang();
    $('minutes-row').style.display = 'none';
    const h = await get('/health');
    const profiles = (h && h.profiles) || ['car'];
    for (const p of profiles) {
      const o = document.createElement('option');
      o.value = p;
      $('profile').appendChild(o);
    }
    $('truck').style.display = 'none';
    $('compare').hidden = !(h && h.compare);
    applyLang();
    const b = h && h.bbox;
    if (b && (b[0] || b[1] || b[2] || b[3])) map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    else map.setView([0, 0], 2);
    state.ready = true;
  }
  start();
})();

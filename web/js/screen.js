// The 6·16 big screen (/screen, issue 17): today's and the window's figures, the cities on a map
// of Ningxia coloured by participation, the top units and a ticker of recent (masked) winners.
// One snapshot (GET /api/v1/screen) fills it at once; then the server pushes every change as a
// Server-Sent Event (`screen` on /api/v1/screen/stream), and EventSource reconnects by itself.
// A private screen is opened with the display's token (/screen?token=…) or after an office
// sign-in on /admin (its token in sessionStorage); EventSource cannot send headers, so the token
// travels as ?token=.

const ADMIN_TOKEN_KEY = 'anquanli.admin.token';
const MAP_NAME = '宁夏';
const numberFormat = new Intl.NumberFormat('zh-CN');

const byId = (id) => document.getElementById(id);

// "HH:MM:SS" (length 8) or "HH:MM" (5) of an RFC 3339 instant, in the competition's own time
// (the offset the server wrote), whatever the display's time zone.
const clockOf = (instant, length) => String(instant ?? '').slice(11, 11 + length);

function screenToken() {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) return fromUrl;
  try { return sessionStorage.getItem(ADMIN_TOKEN_KEY) || ''; } catch { return ''; }
}

const token = screenToken();
const withToken = (path) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);

function setLive(state, text) {
  const live = byId('live');
  live.dataset.state = state;
  live.textContent = text;
}

function showNotice(text) {
  const notice = byId('notice');
  notice.textContent = text;
  notice.hidden = !text;
}

function setNumber(id, value) {
  const element = byId(id);
  const text = numberFormat.format(value ?? 0);
  if (element.textContent !== text) {
    element.textContent = text;
    element.classList.remove('is-updated');
    void element.offsetWidth; // restart the highlight
    element.classList.add('is-updated');
  }
}

function renderFigures(screen) {
  for (const scope of ['today', 'window']) {
    for (const field of ['participants', 'challenges', 'answers', 'draws']) {
      setNumber(`${scope}-${field}`, screen[scope][field]);
    }
  }
  setNumber('prizes-left', screen.prizes.left);
  byId('today-day').textContent = screen.today.day;
  byId('window-range').textContent = `${screen.window.from} 至 ${screen.window.to}`;
  byId('screen-title').textContent = screen.title;
  byId('as-of').textContent = `截至 ${clockOf(screen.as_of, 8)}`;
}

// The names the map has shapes for (none when ECharts or the map did not load).
function mapNames() {
  const registered = window.echarts?.getMap?.(MAP_NAME);
  const geo = registered?.geoJSON ?? registered?.geoJson;
  return new Set((geo?.features ?? []).map((feature) => feature.properties?.name));
}

let chart = null;

function renderMap(regions, shaped) {
  if (!window.echarts || shaped.size === 0) return;
  chart ??= window.echarts.init(byId('map'), null, { renderer: 'canvas' });
  const data = regions.filter((r) => shaped.has(r.name)).map((r) => ({ name: r.name, value: r.participants }));
  const most = Math.max(1, ...data.map((d) => d.value));
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br>参与 ${numberFormat.format(p.value || 0)} 人` },
    visualMap: {
      min: 0, max: most, left: 16, bottom: 16, calculable: false, text: ['多', '少'],
      textStyle: { color: '#cfe3ff', fontSize: 18 }, inRange: { color: ['#12305e', '#1f6fd1', '#35c2ff', '#ffd166'] },
    },
    series: [{
      type: 'map', map: MAP_NAME, roam: false, layoutCenter: ['50%', '52%'], layoutSize: '95%',
      label: { show: true, color: '#ffffff', fontSize: 20, formatter: (p) => `${p.name}\n${numberFormat.format(p.value || 0)}` },
      itemStyle: { borderColor: '#7fd3ff', borderWidth: 1.5 },
      emphasis: { label: { color: '#ffffff' }, itemStyle: { areaColor: '#ffb703' } },
      data,
    }],
  });
}

function renderRegionList(regions, shaped) {
  const list = byId('region-list');
  const items = [...regions].sort((a, b) => b.participants - a.participants);
  list.replaceChildren(...items.map((region) => {
    const item = document.createElement('li');
    item.className = 'region-list__item';
    const name = document.createElement('span');
    name.className = 'region-list__name';
    name.textContent = shaped.has(region.name) ? region.name : `${region.name} *`;
    const value = document.createElement('span');
    value.className = 'region-list__value';
    value.textContent = `${numberFormat.format(region.participants)} 人`;
    item.append(name, value);
    return item;
  }));
  byId('map-note').hidden = regions.every((region) => shaped.has(region.name));
}

function renderUnits(units) {
  const most = Math.max(1, ...units.map((unit) => unit.participants));
  byId('units-empty').hidden = units.length > 0;
  byId('unit-list').replaceChildren(...units.map((unit, index) => {
    const item = document.createElement('li');
    item.className = 'unit-list__item';
    const rank = document.createElement('span');
    rank.className = 'unit-list__rank';
    rank.textContent = String(index + 1);
    const name = document.createElement('span');
    name.className = 'unit-list__name';
    name.textContent = unit.name;
    const where = document.createElement('span');
    where.className = 'unit-list__region';
    where.textContent = unit.region;
    const bar = document.createElement('span');
    bar.className = 'unit-list__bar';
    bar.style.width = `${Math.round((unit.participants / most) * 100)}%`;
    const value = document.createElement('span');
    value.className = 'unit-list__value';
    value.textContent = `${numberFormat.format(unit.participants)} 人`;
    item.append(rank, name, where, bar, value);
    return item;
  }));
}

function winnerItem(winner, copy = false) {
  const item = document.createElement('li');
  item.className = copy ? 'ticker__item ticker__item--copy' : 'ticker__item';
  if (copy) item.setAttribute('aria-hidden', 'true');
  const where = winner.region ? `（${winner.region}）` : '';
  item.textContent = `${clockOf(winner.at, 5)} ${winner.name || '参与者'} ${winner.phone}${where} 抽中 ${winner.prize}`;
  return item;
}

let tickerKey = '';

function renderTicker(winners) {
  const key = JSON.stringify(winners);
  if (key === tickerKey) return; // an unchanged ticker keeps scrolling where it is
  tickerKey = key;
  const track = byId('ticker');
  if (winners.length === 0) {
    const item = document.createElement('li');
    item.className = 'ticker__item';
    item.textContent = '暂无中奖记录，快来参与挑战吧！';
    track.replaceChildren(item);
    track.classList.remove('is-scrolling');
    return;
  }
  // Twice, so that the scroll loops without a gap (the copy is hidden when nothing moves).
  track.replaceChildren(...winners.map((w) => winnerItem(w)), ...winners.map((w) => winnerItem(w, true)));
  track.classList.add('is-scrolling');
}

function render(screen) {
  renderFigures(screen);
  const shaped = mapNames();
  renderMap(screen.regions, shaped);
  renderRegionList(screen.regions, shaped);
  renderUnits(screen.top_units);
  renderTicker(screen.recent_winners);
}

async function loadSnapshot() {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch('/api/v1/screen', { headers, cache: 'no-store' });
  if (response.status === 401) {
    setLive('closed', '未授权');
    showNotice('大屏需要管理账号登录（/admin）或大屏令牌（/screen?token=…）。');
    return false;
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  render(await response.json());
  return true;
}

function follow() {
  const source = new EventSource(withToken('/api/v1/screen/stream'));
  source.addEventListener('open', () => { setLive('live', '实时'); showNotice(''); });
  source.addEventListener('screen', (event) => {
    setLive('live', '实时');
    render(JSON.parse(event.data));
  });
  source.addEventListener('error', () => {
    // EventSource retries by itself while it can; a refusal (401, 503) closes it for good.
    if (source.readyState === EventSource.CLOSED) {
      setLive('closed', '已断开');
      showNotice('实时连接已断开（可能是连接数已满），10 秒后重试…');
      window.setTimeout(follow, 10000);
    } else {
      setLive('connecting', '重新连接中…');
    }
  });
}

window.addEventListener('resize', () => chart?.resize());

async function start() {
  try {
    if (await loadSnapshot()) follow();
  } catch {
    setLive('closed', '连接失败');
    showNotice('暂时无法获取数据，10 秒后重试…');
    window.setTimeout(start, 10000);
  }
}

start();

// The public leaderboard: regions (drilling down from the province to its cities and counties)
// and units, by points, participants or participation rate, for the whole window or one day;
// participants with a unit (干部职工) and without one (社会公众) shown apart, the rate (干部职工 ÷
// 职工人数, capped at 100 %) marked when its headcount is lower than its participants;
// a unit finder showing a unit's rank and neighbours; the signed-in participant's own unit.
// Refreshes itself every 30 s. The address bar follows the view (?view=units&unit=ID,
// ?view=regions&region=CODE), so copying it shares what is on screen; opening such a link shows it.
import { api, errorMessage, withQuery } from './api.js';
import { el, $, clear, setText, showNotice, loadingRow, debounce } from './dom.js';
import { dateTime, percent, number } from './format.js';

const REFRESH_MS = 30000;
const PAGE = 20;
const METRIC_NAMES = { points: '积分', participants: '参与人数', participation_rate: '参与率' };
const TOKEN_KEY = 'anquanli.token';

const state = {
  competition: null,
  regions: null, // { byCode, root }
  tab: 'regions',
  metric: 'points',
  day: null, // null = the whole window
  parent: null, // region whose children are ranked
  unitRegion: '',
  unitsShown: PAGE,
  myUnitId: null,
  foundUnitId: null,
  lastRefresh: 0,
  seq: { regions: 0, units: 0, mine: 0, found: 0, find: 0 },
};

function boardQuery(extra = {}) {
  return { metric: state.metric, day: state.day ?? undefined, ...extra };
}

function showAsOf(asOf) {
  const box = $('#as-of');
  clear(box).append(el('span', { className: 'live-dot', attrs: { 'aria-hidden': 'true' } }),
    `数据截至 ${dateTime(asOf, state.competition?.timezone, { seconds: true })}`);
}

// 参与率 counts only people with a unit; a headcount lower than them shows 100% and says so.
function rateText(item) {
  const rate = percent(item.participation_rate, 2);
  return item.rate_capped ? `${rate}（已封顶）` : rate;
}

function valueText(item) {
  if (state.metric === 'participation_rate') return rateText(item);
  if (state.metric === 'participants') return `${number(item.participants)} 人`;
  return `${number(item.points)} 分`;
}

// Secondary figures under a name: the metrics that are not the ranking one, and for a region the
// two populations of its participants (a unit's all have a unit).
function figuresText(item, { region = false } = {}) {
  const parts = [];
  if (state.metric !== 'points') parts.push(`积分 ${number(item.points)}`);
  if (state.metric !== 'participants') parts.push(`参与 ${number(item.participants)} 人`);
  if (region) {
    parts.push(`干部职工 ${number(item.participants_with_unit)} 人`, `社会公众 ${number(item.participants_public)} 人`);
  }
  if (state.metric !== 'participation_rate') parts.push(`参与率 ${rateText(item)}`);
  return parts.join(' · ');
}

function rankBadge(rank) {
  if (!rank) return el('span', { className: 'rank rank--none', text: '—', attrs: { 'aria-label': '未排名' } });
  return el('span', { className: `rank${rank <= 3 ? ` rank--${rank}` : ''}`, text: rank });
}

function table(caption, nameHeader, rows) {
  return el('div', { className: 'table-wrap' },
    el('table', { className: 'table' },
      el('caption', { className: 'visually-hidden', text: caption }),
      el('thead', {}, el('tr', {},
        el('th', { className: 'rank-cell', text: '名次', attrs: { scope: 'col' } }),
        el('th', { text: nameHeader, attrs: { scope: 'col' } }),
        el('th', { className: 'num', text: METRIC_NAMES[state.metric], attrs: { scope: 'col' } }))),
      el('tbody', {}, rows)));
}

function row(item, name, sub, { me = false } = {}) {
  return el('tr', { className: me ? 'is-me' : '' },
    el('td', { className: 'rank-cell' }, rankBadge(item.rank)),
    el('th', { className: 'name-cell', attrs: { scope: 'row' } }, name, el('span', { className: 'name-cell__sub', text: sub })),
    el('td', { className: 'value-cell', text: valueText(item) }));
}

function regionName(code) {
  return state.regions?.byCode.get(code)?.name ?? code;
}

// ---- Regions ------------------------------------------------------------------------------

function renderPath() {
  const nav = clear($('#region-path'));
  const chain = [];
  for (let code = state.parent; code; code = state.regions.byCode.get(code)?.parent) chain.unshift(code);
  chain.forEach((code, i) => {
    if (i > 0) nav.append(el('span', { attrs: { 'aria-hidden': 'true' }, text: '›' }));
    if (i === chain.length - 1) nav.append(el('strong', { text: regionName(code), attrs: { 'aria-current': 'page' } }));
    else nav.append(el('button', { className: 'btn btn--link btn--small', text: regionName(code), attrs: { type: 'button' }, on: { click: () => drill(code) } }));
  });
}

// Keeps the address bar on the view shown, for sharing (no new history entry per click).
function syncUrl() {
  const params = new URLSearchParams();
  params.set('view', state.tab);
  if (state.tab === 'regions' && state.parent && state.parent !== state.regions.root?.code) params.set('region', state.parent);
  if (state.tab === 'units' && state.foundUnitId) params.set('unit', state.foundUnitId);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

function drill(code) {
  state.parent = code;
  syncUrl();
  renderPath();
  loadRegions({ fresh: true });
  $('#regions-body').focus?.();
}

async function loadRegions({ fresh = false } = {}) {
  const body = $('#regions-body');
  const seq = ++state.seq.regions;
  if (fresh || !body.firstChild) clear(body).append(loadingRow());
  body.setAttribute('aria-busy', 'true');
  try {
    const reply = await api(withQuery('/api/v1/leaderboards/regions', boardQuery({ parent: state.parent })));
    if (seq !== state.seq.regions) return;
    showAsOf(reply.as_of);
    const rows = reply.items.map((item) => {
      const node = state.regions.byCode.get(item.code);
      const name = node && node.children.length
        ? el('button', { className: 'row-button', text: item.name, attrs: { type: 'button', 'aria-label': `${item.name}，查看下辖区县排名` }, on: { click: () => drill(item.code) } })
        : item.name;
      return row(item, name, figuresText(item, { region: true }));
    });
    clear(body).append(rows.length ? table(`${regionName(state.parent)}下辖地区排名`, '地区', rows) : el('p', { className: 'empty', text: '暂无数据' }));
  } catch (error) {
    if (seq !== state.seq.regions) return;
    clear(body).append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `地区排行加载失败：${errorMessage(error)}` }));
  } finally {
    if (seq === state.seq.regions) body.removeAttribute('aria-busy');
  }
}

// ---- Units --------------------------------------------------------------------------------

async function loadUnits({ fresh = false } = {}) {
  const body = $('#units-body');
  const more = $('#units-more');
  const seq = ++state.seq.units;
  if (fresh || !body.firstChild) clear(body).append(loadingRow());
  body.setAttribute('aria-busy', 'true');
  try {
    const reply = await api(withQuery('/api/v1/leaderboards/units', boardQuery({ region: state.unitRegion, limit: Math.min(100, state.unitsShown) })));
    if (seq !== state.seq.units) return;
    showAsOf(reply.as_of);
    const rows = reply.items.map((item) => row(item, item.name, [regionName(item.region), figuresText(item)].join(' · '),
      { me: item.id === state.myUnitId }));
    clear(body).append(...(rows.length
      ? [table('单位排名', '单位', rows), el('p', { className: 'pager', text: `显示前 ${reply.items.length} 个，共 ${reply.total} 个单位` })]
      : [el('p', { className: 'empty', text: '该范围内暂无单位' })]));
    more.hidden = reply.items.length >= reply.total || state.unitsShown >= 100;
  } catch (error) {
    if (seq !== state.seq.units) return;
    clear(body).append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `单位排行加载失败：${errorMessage(error)}` }));
  } finally {
    if (seq === state.seq.units) body.removeAttribute('aria-busy');
  }
}

// ---- One unit's standing -----------------------------------------------------------------

async function loadStanding(id, box, which) {
  const seq = ++state.seq[which];
  if (!box.firstChild) box.append(loadingRow());
  box.setAttribute('aria-busy', 'true');
  try {
    const reply = await api(withQuery(`/api/v1/leaderboards/units/${encodeURIComponent(id)}`, boardQuery({ around: 3 })));
    if (seq !== state.seq[which]) return;
    showAsOf(reply.as_of);
    const unit = reply.unit;
    const hero = el('div', { className: 'standing__hero' },
      el('p', { className: 'standing__rank' }, unit.rank ? `第${unit.rank}名` : '未排名', el('small', { text: `共 ${reply.total} 个单位` })),
      el('p', { className: 'standing__name', text: unit.name }),
      el('p', { className: 'standing__figures', text: `${METRIC_NAMES[state.metric]} ${valueText(unit)} · ${regionName(unit.region)}` }));
    const rows = [...reply.above, unit, ...reply.below].map((item) =>
      row(item, item.name, regionName(item.region), { me: item.id === unit.id }));
    clear(box).append(el('div', { className: 'standing' }, hero, table(`${unit.name}及前后名次`, '单位（前后各 3 名）', rows)));
  } catch (error) {
    if (seq !== state.seq[which]) return;
    clear(box).append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `排名加载失败：${errorMessage(error)}` }));
  } finally {
    if (seq === state.seq[which]) box.removeAttribute('aria-busy');
  }
}

async function loadMine() {
  let token = null;
  try { token = localStorage.getItem(TOKEN_KEY); } catch { /* none */ }
  if (!token) return;
  try {
    const me = await api('/api/v1/me', { token });
    if (!me.unit) return;
    state.myUnitId = me.unit.id;
    $('#mine').hidden = false;
    await loadStanding(me.unit.id, $('#mine-body'), 'mine');
  } catch { /* not signed in any more: no "my unit" card */ }
}

async function findUnits() {
  const input = $('#find-input');
  const list = $('#find-results');
  const status = $('#find-status');
  const q = input.value.trim();
  const seq = ++state.seq.find;
  if (!q) {
    clear(list);
    setText(status, '');
    return;
  }
  setText(status, '正在搜索…');
  try {
    const reply = await api(withQuery('/api/v1/units', { q, limit: 10 }));
    if (seq !== state.seq.find) return;
    clear(list);
    setText(status, reply.items.length ? `找到 ${reply.items.length} 个单位${reply.items.length >= 10 ? '（仅显示前 10 个）' : ''}，点击查看排名` : '没有找到该单位，请换个关键词');
    for (const unit of reply.items) {
      list.append(el('li', {}, el('button', {
        className: 'pick-list__item', attrs: { type: 'button' },
        on: { click: () => pickUnit(unit) },
      }, el('span', { className: 'pick-list__name', text: unit.name }), el('span', { className: 'pick-list__meta', text: regionName(unit.region) }))));
    }
  } catch (error) {
    if (seq !== state.seq.find) return;
    clear(list);
    setText(status, `搜索失败：${errorMessage(error)}`);
  }
}

function pickUnit(unit) {
  state.foundUnitId = unit.id;
  clear($('#find-results'));
  setText($('#find-status'), unit.name ? `已选择：${unit.name}` : '');
  const box = $('#found');
  clear(box);
  box.hidden = false;
  if (state.tab !== 'units') selectTab('units');
  else syncUrl();
  return loadStanding(unit.id, box, 'found');
}

// ---- Wiring -------------------------------------------------------------------------------

function refreshAll({ fresh = false } = {}) {
  state.lastRefresh = Date.now();
  if (state.tab === 'regions') loadRegions({ fresh });
  else loadUnits({ fresh });
  if (state.myUnitId) loadStanding(state.myUnitId, $('#mine-body'), 'mine');
  if (state.foundUnitId) loadStanding(state.foundUnitId, $('#found'), 'found');
}

function selectTab(tab, { focus = false } = {}) {
  state.tab = tab;
  for (const name of ['regions', 'units']) {
    const button = $(`#tab-${name}`);
    const on = name === tab;
    button.setAttribute('aria-selected', String(on));
    button.tabIndex = on ? 0 : -1;
    $(`#panel-${name}`).hidden = !on;
    if (on && focus) button.focus();
  }
  syncUrl();
  if (tab === 'regions') loadRegions();
  else loadUnits();
}

function setupControls() {
  const c = state.competition;
  const dayInput = $('#day');
  dayInput.min = c.starts_on;
  dayInput.max = c.today < c.ends_on ? c.today : c.ends_on;
  dayInput.value = dayInput.max < c.starts_on ? c.starts_on : dayInput.max;

  $('#metric').addEventListener('change', (event) => { state.metric = event.target.value; refreshAll({ fresh: true }); });
  $('#period').addEventListener('change', (event) => {
    const byDay = event.target.value === 'day';
    $('#day-field').hidden = !byDay;
    state.day = byDay ? dayInput.value : null;
    refreshAll({ fresh: true });
  });
  dayInput.addEventListener('change', () => {
    if (!dayInput.value) return;
    state.day = dayInput.value;
    refreshAll({ fresh: true });
  });
  $('#refresh').addEventListener('click', () => refreshAll());

  const tabs = [$('#tab-regions'), $('#tab-units')];
  tabs.forEach((button, i) => {
    button.addEventListener('click', () => selectTab(i === 0 ? 'regions' : 'units'));
    button.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft' || event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        const next = event.key === 'Home' ? 0 : event.key === 'End' ? 1 : (i + 1) % 2;
        selectTab(next === 0 ? 'regions' : 'units', { focus: true });
      }
    });
  });

  const unitRegion = $('#unit-region');
  for (const city of state.regions.root?.children ?? []) {
    unitRegion.append(el('option', { value: city.code, text: city.name }));
    for (const county of city.children) unitRegion.append(el('option', { value: county.code, text: `　${county.name}` }));
  }
  unitRegion.addEventListener('change', () => { state.unitRegion = unitRegion.value; state.unitsShown = PAGE; loadUnits({ fresh: true }); });
  $('#units-more').addEventListener('click', () => { state.unitsShown += PAGE; loadUnits(); });
  $('#find-input').addEventListener('input', debounce(findUnits, 250));

  setInterval(() => { if (!document.hidden) refreshAll(); }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && Date.now() - state.lastRefresh > REFRESH_MS) refreshAll();
  });
}

async function init() {
  try {
    const [competition, regions] = await Promise.all([api('/api/v1/competition'), api('/api/v1/regions')]);
    state.competition = competition;
    const byCode = new Map(regions.items.map((r) => [r.code, { ...r, children: [] }]));
    let root = null;
    for (const region of byCode.values()) {
      if (region.parent && byCode.has(region.parent)) byCode.get(region.parent).children.push(region);
      else if (!region.parent) root = region;
    }
    state.regions = { byCode, root };
    state.parent = root?.code ?? null;
  } catch (error) {
    showNotice($('#global-notice'), `排行榜加载失败：${errorMessage(error)}。请稍后刷新页面。`);
    setText($('#as-of'), '');
    return;
  }
  setText($('#brand-title'), state.competition.title);
  document.title = `排行榜 · ${state.competition.title}`;
  setupControls();
  openFromUrl();
  loadMine();
}

// A shared link: ?view=units[&unit=ID] or ?view=regions[&region=CODE] (an unknown code is ignored).
function openFromUrl() {
  const params = new URLSearchParams(location.search);
  const region = params.get('region');
  if (region && state.regions.byCode.has(region)) state.parent = region;
  renderPath();
  const unit = params.get('unit');
  if (params.get('view') === 'units' || unit) {
    state.tab = 'units';
    selectTab('units');
    if (state.myUnitId) loadStanding(state.myUnitId, $('#mine-body'), 'mine');
    if (unit) {
      pickUnit({ id: unit, name: '' }).then(() => $('#found').scrollIntoView({ block: 'start' }));
    }
    state.lastRefresh = Date.now();
  } else {
    selectTab('regions');
    state.lastRefresh = Date.now();
  }
}

init();

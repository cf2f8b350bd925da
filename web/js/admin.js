// The regional office's page: sign-in (token in sessionStorage), totals, the daily trend and the
// cities/counties charts (Apache ECharts, loaded as a classic script before this module), the
// ranking, the separate ranking of the public, the units that did not take part or whose headcount
// is too low, the weakest questions and the winners; and the bulletin as XLSX/CSV downloads or a
// printable HTML page, fetched with the token and handed to the browser as Blob URLs.
// Participants with a unit (干部职工) and without one (社会公众) are shown apart everywhere; the
// labels are those of docs/figures.md, and 参与率 counts only the first.
import { api, apiBlob, ApiError, errorMessage, withQuery } from './api.js';
import { setupParticipantLookup } from './admin-lookup.js';
import { loadCategoryHeatmap, optionRows } from './admin-answers.js';
import { el, $, clear, setText, setBusy, showNotice, loadingRow } from './dom.js';
import { addDays, dateTime, percent, number, shortDay } from './format.js';
import { setupSnapshots } from './snapshots.js';

const TOKEN_KEY = 'anquanli.admin.token';
const LEVEL_NAMES = { city: '市', county: '县（市、区）', unit: '单位' };
const ZERO_SHOWN = 30;
// The figures' labels (docs/figures.md).
const LABEL = {
  participants: '参与人数',
  participants_with_unit: '干部职工参与人数',
  participants_public: '社会公众参与人数',
  attempts: '参与人次',
  attempts_with_unit: '干部职工参与人次',
  attempts_public: '社会公众参与人次',
  points: '积分',
  points_public: '社会公众积分',
  headcount: '职工人数',
  participation_rate: '参与率',
  rate_capped: '参与率已封顶',
  average_correct_rate: '平均正确率',
  flagged_attempts: '疑似机器答题',
  new_participants: '新增人数',
  target: '任务数',
  target_rate: '完成率',
  previous_rank: '上次排名',
  rank_change: '排名变化',
};
const RANK_BY_NAMES = {
  participants: '干部职工参与人数', rate: '完成率（无任务数按参与率）', points: '积分', attempts: '参与人次',
};
const CAPPED_HINT = '职工人数少于干部职工参与人数，参与率按 100% 计，请核对该单位导入的职工人数';

const state = {
  token: readToken(),
  admin: null, // {username, region:{code,name}, sector} (sector: null unless sector-scoped)
  competition: null,
  regions: null, // { byCode, root }
  charts: {},
  query: null, // { from, to, region, level, rank_by, compare_to, sector }
};

function readToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

function saveToken(token) {
  state.token = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch { /* memory only */ }
}

const adminApi = (path) => api(path, { token: state.token });

function errorBox(text) {
  return el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text });
}

// Any 401 means the session is over.
function handleAuthError(error) {
  if (error instanceof ApiError && error.status === 401) {
    saveToken(null);
    showLogin('登录已过期，请重新登录');
    return true;
  }
  return false;
}

// ---- Sign-in ------------------------------------------------------------------------------

function showLogin(message) {
  $('#admin-loading').hidden = true;
  $('#dashboard').hidden = true;
  $('#logout').hidden = true;
  $('#login-form').hidden = false;
  showNotice($('#login-error'), message || '', 'warn');
  $('#login-username').focus();
}

function setupLogin() {
  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('#login-error');
    showNotice(error, '');
    const username = $('#login-username').value.trim();
    const password = $('#login-password').value;
    if (!username || !password) {
      showNotice(error, '请输入用户名和密码');
      (username ? $('#login-password') : $('#login-username')).focus();
      return;
    }
    const submit = $('#login-submit');
    setBusy(submit, true, '正在登录…');
    try {
      const reply = await api('/api/v1/admin/login', { method: 'POST', body: { username, password } });
      saveToken(reply.token);
      $('#login-password').value = '';
      state.admin = { username: reply.username, region: reply.region };
      await openDashboard();
    } catch (failure) {
      showNotice(error, errorMessage(failure));
    } finally {
      setBusy(submit, false);
    }
  });
  $('#logout').addEventListener('click', () => {
    saveToken(null);
    state.admin = null;
    showLogin('已退出登录');
  });
}

// ---- Dashboard ----------------------------------------------------------------------------

async function openDashboard() {
  $('#login-form').hidden = true;
  $('#admin-loading').hidden = false;
  try {
    const [me, competition, regions] = await Promise.all([
      adminApi('/api/v1/admin/me'), api('/api/v1/competition'), api('/api/v1/regions'),
    ]);
    state.admin = me;
    state.competition = competition;
    const byCode = new Map(regions.items.map((r) => [r.code, { ...r, children: [] }]));
    for (const region of byCode.values()) {
      if (region.parent && byCode.has(region.parent)) byCode.get(region.parent).children.push(region);
    }
    state.regions = { byCode, root: byCode.get(me.region.code) };
  } catch (error) {
    $('#admin-loading').hidden = true;
    if (handleAuthError(error)) return;
    showLogin();
    showNotice($('#login-error'), `后台数据加载失败：${errorMessage(error)}`);
    return;
  }
  $('#admin-loading').hidden = true;
  $('#dashboard').hidden = false;
  $('#logout').hidden = false;
  setText($('#brand-title'), state.competition.title);
  const scopedSector = state.admin.sector ? `（${state.admin.sector}行业）` : '';
  setText($('#admin-scope'),
    `${state.admin.username} · 管辖范围：${state.admin.region.name}${scopedSector}`);
  // A sector-scoped account's bulletins are always of its sector: show it and lock the field.
  if (state.admin.sector) {
    $('#sector').value = state.admin.sector;
    $('#sector').readOnly = true;
  }
  setupPeriod();
  applyQuery();
  loadWeakest();
  loadWinners();
  setupSnapshots({ token: () => state.token, query: readQuery, onAuthError: handleAuthError });
  loadHeatmap();
  setupParticipantLookup({
    token: () => state.token, timezone: state.competition.timezone, regions: state.regions,
    onAuthError: handleAuthError,
  });
}

// Regions under the admin's own that have children: the scopes a bulletin can be asked for.
function scopeOptions() {
  const out = [];
  const walk = (node, depth) => {
    if (!node) return;
    if (node.children.length || depth === 0) out.push({ code: node.code, label: `${'　'.repeat(depth)}${node.name}` });
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(state.regions.root, 0);
  return out;
}

// City level under a province, county level under a city, units under a county.
function defaultLevel(code) {
  const node = state.regions.byCode.get(code);
  if (node?.children.some((child) => child.children.length)) return 'city';
  return node?.children.length ? 'county' : 'unit';
}

let periodReady = false;
function setupPeriod() {
  const c = state.competition;
  const from = $('#from');
  const to = $('#to');
  for (const input of [from, to]) { input.min = c.starts_on; input.max = c.ends_on; }
  from.value = c.starts_on;
  to.value = c.today < c.ends_on ? (c.today < c.starts_on ? c.starts_on : c.today) : c.ends_on;

  const scope = clear($('#scope'));
  const areaParent = clear($('#area-parent'));
  for (const option of scopeOptions()) {
    scope.append(el('option', { value: option.code, text: option.label }));
    const node = state.regions.byCode.get(option.code);
    const label = node.code === state.regions.root.code ? `${node.name}（按下级地区）` : `${node.name}（按下辖县区）`;
    areaParent.append(el('option', { value: option.code, text: label }));
  }
  $('#level').value = defaultLevel(state.regions.root.code);

  if (periodReady) return;
  periodReady = true;
  $('#period-form').addEventListener('submit', (event) => { event.preventDefault(); applyQuery(); });
  $('#area-parent').addEventListener('change', loadAreaChart);
  $('#scope').addEventListener('change', () => { $('#level').value = defaultLevel($('#scope').value); });
  $('#download-xlsx').addEventListener('click', (event) => download('xlsx', event.currentTarget));
  $('#download-csv').addEventListener('click', (event) => download('csv', event.currentTarget));
  $('#download-pdf').addEventListener('click', (event) => download('pdf', event.currentTarget));
  $('#open-html').addEventListener('click', (event) => openPrintable(event.currentTarget));
  window.addEventListener('resize', () => { for (const chart of Object.values(state.charts)) chart.resize(); });
}

// The period and level from the form, or an error message.
function readQuery() {
  const from = $('#from').value;
  const to = $('#to').value;
  if (!from || !to) return { error: '请选择开始和结束日期' };
  if (to < from) return { error: '结束日期不能早于开始日期' };
  const compareTo = $('#compare-to').value;
  if (compareTo && (compareTo < from || compareTo >= to)) {
    return { error: '对比日期须在开始日期与结束日期之间，且早于结束日期' };
  }
  return {
    from, to, region: $('#scope').value, level: $('#level').value, rank_by: $('#rank-by').value,
    compare_to: compareTo, sector: $('#sector').value.trim(),
  };
}

function applyQuery() {
  const query = readQuery();
  showNotice($('#period-error'), query.error || '');
  if (query.error) return;
  const previous = state.query;
  const regionChanged = previous && previous.region !== query.region;
  const periodChanged = previous && (previous.from !== query.from || previous.to !== query.to);
  state.query = query;
  loadBulletin();
  loadTrend();
  loadAreaChart();
  // The weakest questions count the period's challenges; the winners are the whole competition's.
  if (regionChanged || periodChanged) {
    loadWeakest();
    loadHeatmap();
  }
  if (regionChanged) loadWinners();
}

function kpi(label, value, accent = false) {
  return el('div', { className: `kpi${accent ? ' kpi--accent' : ''}` },
    el('p', { className: 'kpi__label', text: label }), el('p', { className: 'kpi__value', text: value }));
}

async function loadBulletin() {
  const q = state.query;
  const kpis = clear($('#kpis'));
  kpis.append(loadingRow());
  const ranking = clear($('#ranking'));
  ranking.append(loadingRow());
  const zero = clear($('#zero'));
  zero.append(loadingRow());
  const open = clear($('#public'));
  open.append(loadingRow());
  try {
    const report = await adminApi(withQuery('/api/v1/admin/bulletin', { ...q, format: 'json' }));
    const t = report.totals;
    clear(kpis).append(
      kpi(LABEL.participants, number(t.participants), true),
      kpi(LABEL.participants_with_unit, number(t.participants_with_unit)),
      kpi(LABEL.participants_public, number(t.participants_public)),
      kpi(LABEL.attempts, number(t.attempts)),
      kpi(LABEL.participation_rate, `${percent(t.participation_rate, 2)}${t.rate_capped ? '（已封顶）' : ''}`),
      kpi(LABEL.average_correct_rate, percent(t.average_correct_rate)));
    setText($('#kpi-title'), `合计 · ${report.scope.name} · ${shortDay(report.from)}—${shortDay(report.to)}`);
    renderRanking(report);
    renderPublic(report.public);
    renderZero(report.zero_participation);
    renderHeadcountProblems(report.headcount_problems ?? []);
  } catch (error) {
    if (handleAuthError(error)) return;
    const text = `通报数据加载失败：${errorMessage(error)}`;
    clear(kpis).append(errorBox(text));
    clear(ranking);
    clear(zero);
    clear(open);
  }
}

// A rate cell; a capped rate says so.
function rateCell(row) {
  const cell = el('td', { className: 'num' }, percent(row.participation_rate, 2));
  if (row.rate_capped) {
    cell.append(' ', el('span', { className: 'flag', text: '已封顶', attrs: { title: CAPPED_HINT } }));
  }
  return cell;
}

function renderRanking(report) {
  const box = clear($('#ranking'));
  const nameHeader = report.level === 'unit' ? '单位' : '地区';
  if (!report.rows.length) {
    box.append(el('p', { className: 'empty', text: '该范围内没有可统计的地区或单位' }));
    return;
  }
  // 干部职工 first with their headcount and rate, then 社会公众, then both together; targets and
  // the comparison's movement when the bulletin has them.
  const figures = ['participants_with_unit', 'headcount', 'participation_rate', 'participants_public',
    'participants', 'attempts', 'points', 'average_correct_rate', 'flagged_attempts'];
  if (report.rows.some((row) => row.target !== null) || report.totals.target !== null) figures.push('target', 'target_rate');
  if (report.compare_to) figures.push('previous_rank', 'rank_change', 'new_participants');
  const cells = (row) => figures.map((figure) => {
    if (figure === 'participation_rate') return rateCell(row);
    if (figure === 'average_correct_rate' || figure === 'target_rate') return el('td', { className: 'num', text: percent(row[figure]) });
    if (figure === 'rank_change') return el('td', { className: 'num', text: row === report.totals ? '—' : rankChangeText(row.rank_change) });
    if (row[figure] === null || row[figure] === undefined) return el('td', { className: 'num', text: '—' });
    const flaggedCell = figure === 'flagged_attempts' && row[figure] ? ' is-flagged' : '';
    return el('td', { className: `num${flaggedCell}`, text: number(row[figure]) });
  });
  const ranked = report.rank_by === 'participants' || !report.rank_by
    ? (report.level === 'unit' ? LABEL.participants : LABEL.participants_with_unit)
    : RANK_BY_NAMES[report.rank_by];
  const sector = report.sector ? `${report.sector}行业，` : '';
  const compared = report.compare_to ? `，与截至 ${report.compare_to} 对比` : '';
  box.append(el('p', { className: 'table-hint', text: '表格较宽，可左右滑动查看' }));
  box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table table--wide' },
    el('caption', { text: `${sector}按${LEVEL_NAMES[report.level]}统计，按${ranked}排名（${report.from} 至 ${report.to}${compared}）` }),
    el('thead', {}, el('tr', {},
      ['排名', nameHeader, '上级地区'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })),
      figures.map((figure) => el('th', { text: LABEL[figure], className: 'num', attrs: { scope: 'col' } })))),
    el('tbody', {}, report.rows.map((row) => el('tr', {},
      el('td', { className: 'rank-cell' }, el('span', { className: `rank${row.rank >= 1 && row.rank <= 3 && row.participants_with_unit > 0 ? ` rank--${row.rank}` : ''}`, text: row.rank || '—' })),
      el('th', { className: 'name-cell', text: row.name, attrs: { scope: 'row' } }),
      el('td', { className: 'nowrap', text: row.parent || '—' }),
      cells(row)))),
    el('tfoot', {}, el('tr', {},
      el('th', { text: '合计', attrs: { scope: 'row', colspan: 3 } }),
      cells(report.totals))))));
  box.append(el('p', { className: 'table-note', text: '参与率 = 干部职工参与人数 ÷ 职工人数，不超过 100%；社会公众（未选择单位的参与者）不计入参与率，另行排名；参与人数、参与人次为两者之和。' }));
}

// "↑2", "↓1", "—" (unchanged), or "新" when the row was unranked then.
function rankChangeText(change) {
  if (change === null || change === undefined) return '新';
  if (change > 0) return `↑${change}`;
  if (change < 0) return `↓${-change}`;
  return '—';
}

// The separate ranking of participants without a unit (社会公众).
function renderPublic(ranking) {
  const box = clear($('#public'));
  if (!ranking || !ranking.rows.length) {
    box.append(el('p', { className: 'empty', text: '该范围内没有可统计的地区' }));
    return;
  }
  const figures = ['participants_public', 'attempts_public', 'points_public'];
  box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table' },
    el('caption', { text: `社会公众按${LEVEL_NAMES[ranking.level]}统计，按${LABEL.participants_public}排名` }),
    el('thead', {}, el('tr', {},
      ['排名', '地区', '上级地区'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })),
      figures.map((figure) => el('th', { text: LABEL[figure], className: 'num', attrs: { scope: 'col' } })))),
    el('tbody', {}, ranking.rows.map((row) => el('tr', {},
      el('td', { className: 'rank-cell' }, el('span', { className: `rank${row.rank <= 3 && row.participants_public > 0 ? ` rank--${row.rank}` : ''}`, text: row.rank })),
      el('th', { className: 'name-cell', text: row.name, attrs: { scope: 'row' } }),
      el('td', { className: 'nowrap', text: row.parent || '—' }),
      figures.map((figure) => el('td', { className: 'num', text: number(row[figure]) }))))),
    el('tfoot', {}, el('tr', {},
      el('th', { text: '合计', attrs: { scope: 'row', colspan: 3 } }),
      figures.map((figure) => el('td', { className: 'num', text: number(ranking.totals[figure]) })))))));
}

// Units whose imported headcount is lower than their participants: an import problem to fix.
function renderHeadcountProblems(units) {
  const box = clear($('#headcount-problems'));
  box.hidden = !units.length;
  if (!units.length) return;
  box.append(el('p', { text: `职工人数异常的单位（${units.length} 个）：${CAPPED_HINT}。` }),
    el('ul', {}, units.map((u) => el('li', { text: `${u.name}（${u.id}，${u.region}）：${LABEL.headcount} ${number(u.headcount)}，${LABEL.participants_with_unit} ${number(u.participants_with_unit)}` }))));
}

function renderZero(units) {
  const box = clear($('#zero'));
  setText($('#zero-title'), `未参与单位（${units.length} 个）`);
  if (!units.length) {
    box.append(el('p', { className: 'empty', text: '本期所有单位均有人参与。' }));
    return;
  }
  const body = el('tbody');
  const fill = (count) => {
    clear(body).append(...units.slice(0, count).map((u) => el('tr', {},
      el('td', { className: 'nowrap hide-narrow', text: u.id }),
      el('th', { className: 'name-cell', text: u.name, attrs: { scope: 'row' } }),
      el('td', { className: 'nowrap', text: u.region }),
      el('td', { className: 'num', text: number(u.headcount) }))));
  };
  fill(ZERO_SHOWN);
  box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table' },
    el('caption', { className: 'visually-hidden', text: '本期无人参与的单位' }),
    el('thead', {}, el('tr', {},
      el('th', { className: 'hide-narrow', text: '编码', attrs: { scope: 'col' } }), el('th', { text: '单位', attrs: { scope: 'col' } }),
      el('th', { text: '所在地区', attrs: { scope: 'col' } }), el('th', { className: 'num', text: '职工人数', attrs: { scope: 'col' } }))),
    body)));
  if (units.length > ZERO_SHOWN) {
    const more = el('button', { className: 'btn btn--ghost btn--block', text: `显示全部 ${units.length} 个`, attrs: { type: 'button' } });
    more.addEventListener('click', () => { fill(units.length); more.remove(); });
    box.append(more);
  }
}

// ---- Charts -------------------------------------------------------------------------------

function chart(id) {
  if (typeof window.echarts === 'undefined') return null;
  if (!state.charts[id]) state.charts[id] = window.echarts.init($(`#${id}`), null, { renderer: 'canvas' });
  return state.charts[id];
}

function chartMessage(id, node) {
  const box = $(`#${id}`).parentElement;
  for (const old of box.querySelectorAll('.chart-box__msg')) old.remove();
  if (node) {
    node.classList.add('chart-box__msg');
    box.append(node);
  }
}

// Tooltip content built from DOM nodes (names are data: never HTML).
function tooltipNode(title, lines) {
  return el('div', { className: 'chart-tip' },
    el('strong', { text: title }),
    ...lines.map(([name, value]) => el('div', {}, `${name}：${value}`)));
}

const PALETTE = ['#0b4ea2', '#2f9e44', '#f5a300', '#7048e8', '#c2255c'];

async function loadTrend() {
  const q = state.query;
  const instance = chart('trend-chart');
  if (!instance) {
    chartMessage('trend-chart', errorBox('图表组件未能加载，请刷新页面'));
    return;
  }
  chartMessage('trend-chart', loadingRow());
  try {
    const reply = await adminApi(withQuery('/api/v1/admin/daily', { from: q.from, to: q.to, region: q.region }));
    chartMessage('trend-chart', null);
    // Every day of the period, with zeros for the days nobody took part.
    const byDay = new Map(reply.items.map((d) => [d.day, d]));
    const allDays = [];
    for (let day = reply.from; day <= reply.to && allDays.length < 400; day = addDays(day, 1)) allDays.push(day);
    const pick = (field) => allDays.map((day) => byDay.get(day)?.[field] ?? 0);
    const days = allDays.map(shortDay);
    const series = [
      [LABEL.participants, pick('participants')],
      [LABEL.participants_with_unit, pick('participants_with_unit')],
      [LABEL.participants_public, pick('participants_public')],
      [LABEL.attempts, pick('attempts')],
      [LABEL.new_participants, pick('new_participants')],
    ];
    instance.setOption({
      color: PALETTE,
      animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, itemWidth: 14, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: 'axis',
        formatter: (params) => tooltipNode(params[0]?.axisValue ?? '', params.map((p) => [p.seriesName, number(p.value)])),
      },
      xAxis: { type: 'category', data: days, boundaryGap: false, axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
      series: series.map(([name, data], i) => ({
        name, type: 'line', data, smooth: true, symbolSize: 6, showSymbol: data.length <= 31,
        areaStyle: i === 0 ? { opacity: 0.12 } : undefined,
      })),
    }, true);
    const total = reply.items.reduce((sum, d) => sum + d.attempts, 0);
    setText($('#trend-summary'), `${q.from} 至 ${q.to} 共 ${reply.items.length} 天，参与 ${total} 人次。`);
  } catch (error) {
    if (handleAuthError(error)) return;
    instance.clear();
    chartMessage('trend-chart', errorBox(`趋势数据加载失败：${errorMessage(error)}`));
  }
}

async function loadAreaChart() {
  const q = state.query;
  if (!q) return;
  const parent = $('#area-parent').value || state.regions.root.code;
  const node = state.regions.byCode.get(parent);
  const level = node.children.some((c) => c.children.length) ? 'city' : 'county';
  const instance = chart('area-chart');
  if (!instance) {
    chartMessage('area-chart', errorBox('图表组件未能加载，请刷新页面'));
    return;
  }
  chartMessage('area-chart', loadingRow());
  try {
    const report = await adminApi(withQuery('/api/v1/admin/bulletin', { from: q.from, to: q.to, region: parent, level, format: 'json' }));
    chartMessage('area-chart', null);
    // Show in region order (codes), not ranking order, so the chart reads like a map legend.
    const rows = [...report.rows].sort((a, b) => a.code.localeCompare(b.code));
    setText($('#area-title'), level === 'city' ? `各市参与情况（${report.scope.name}）` : `${report.scope.name}各县（市、区）参与情况`);
    instance.setOption({
      color: PALETTE,
      animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, itemWidth: 14, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const row = rows[params[0]?.dataIndex ?? 0];
          return tooltipNode(row?.name ?? '', [
            [LABEL.participants_with_unit, number(row?.participants_with_unit)],
            [LABEL.participants_public, number(row?.participants_public)],
            [LABEL.participants, number(row?.participants)], [LABEL.attempts, number(row?.attempts)],
            [LABEL.points, number(row?.points)],
            [LABEL.participation_rate, `${percent(row?.participation_rate, 2)}${row?.rate_capped ? '（已封顶）' : ''}`]]);
        },
      },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 40 : 0, fontSize: 11, formatter: (v) => (v.length > 6 ? `${v.slice(0, 6)}…` : v) },
      },
      yAxis: [
        { type: 'value', name: '人数', minInterval: 1, axisLabel: { fontSize: 11 }, nameTextStyle: { fontSize: 11 } },
        { type: 'value', name: '参与率', axisLabel: { fontSize: 11, formatter: (v) => `${Number((v * 100).toPrecision(2))}%` }, splitLine: { show: false }, nameTextStyle: { fontSize: 11 } },
      ],
      // The two populations stacked into the whole; the rate counts only the first.
      series: [
        { name: '干部职工', type: 'bar', stack: 'people', data: rows.map((r) => r.participants_with_unit), barMaxWidth: 28 },
        { name: '社会公众', type: 'bar', stack: 'people', data: rows.map((r) => r.participants_public), barMaxWidth: 28, itemStyle: { borderRadius: [4, 4, 0, 0] } },
        { name: '参与率', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.participation_rate ?? 0), symbolSize: 6 },
      ],
    }, true);
    setText($('#area-summary'), rows.map((r) => `${r.name} 干部职工 ${r.participants_with_unit} 人、社会公众 ${r.participants_public} 人`).join('，'));
  } catch (error) {
    if (handleAuthError(error)) return;
    instance.clear();
    chartMessage('area-chart', errorBox(`地区数据加载失败：${errorMessage(error)}`));
  }
}

// ---- Questions and winners --------------------------------------------------------------

function loadHeatmap() {
  loadCategoryHeatmap({ token: () => state.token, query: state.query, onAuthError: handleAuthError });
}

async function loadWeakest() {
  const box = clear($('#weak'));
  box.append(loadingRow());
  try {
    const q = state.query;
    const reply = await adminApi(withQuery('/api/v1/admin/questions/stats', { region: q?.region, from: q?.from, to: q?.to }));
    clear(box);
    const items = reply.items.slice(0, 10);
    if (!items.length) {
      box.append(el('p', { className: 'empty', text: '还没有已结束的答题，暂无统计。' }));
      return;
    }
    box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table' },
      el('caption', { className: 'visually-hidden', text: '正确率最低的 10 道题' }),
      el('thead', {}, el('tr', {},
        el('th', { text: '题目', attrs: { scope: 'col' } }),
        el('th', { className: 'num', text: '作答', attrs: { scope: 'col' } }),
        el('th', { className: 'num', text: '正确率', attrs: { scope: 'col' } }))),
      el('tbody', {}, items.map((q) => {
        const fill = el('span', { className: 'rate-bar__fill' });
        fill.style.width = `${Math.round((q.correct_rate ?? 0) * 100)}%`;
        return el('tr', {},
          el('th', { className: 'name-cell stem-cell', attrs: { scope: 'row' } }, q.stem,
            el('span', { className: 'name-cell__sub', text: `${q.id} · ${q.category}` }),
            q.options?.length ? optionRows(q) : null),
          el('td', { className: 'num', text: `${number(q.served)} 次` }),
          el('td', { className: 'num' }, percent(q.correct_rate), el('span', { className: 'rate-bar', attrs: { 'aria-hidden': 'true' } }, fill)));
      })))));
  } catch (error) {
    if (handleAuthError(error)) return;
    clear(box).append(errorBox(`题目统计加载失败：${errorMessage(error)}`));
  }
}

function maskPhone(phone) {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

// The delivery cell of a winner: the details they gave and a button marking the prize sent
// (POST /api/v1/admin/draws/{id}/sent), or when it was sent.
function deliveryCell(winner) {
  const cell = el('td', {});
  const delivery = winner.delivery;
  if (!delivery) {
    cell.append('待中奖者填写');
    return cell;
  }
  cell.append(el('span', { className: 'name-cell__sub', text: `${delivery.recipient} ${delivery.phone} ${delivery.address}` }));
  const sentText = (at) => `已寄出 ${dateTime(at, state.competition.timezone)}`;
  if (delivery.sent_at) {
    cell.append(el('span', { text: sentText(delivery.sent_at) }));
    return cell;
  }
  const button = el('button', { className: 'btn btn--secondary btn--small', text: '标记已寄出', attrs: { type: 'button' } });
  button.addEventListener('click', async () => {
    setBusy(button, true, '正在保存…');
    try {
      const reply = await api(`/api/v1/admin/draws/${winner.draw_id}/sent`, { method: 'POST', token: state.token });
      button.replaceWith(el('span', { text: sentText(reply.sent_at) }));
    } catch (error) {
      setBusy(button, false);
      if (handleAuthError(error)) return;
      cell.append(errorBox(`标记失败：${errorMessage(error)}`));
    }
  });
  cell.append(button);
  return cell;
}

async function loadWinners() {
  const box = clear($('#winners'));
  box.append(loadingRow());
  try {
    const reply = await adminApi(withQuery('/api/v1/admin/winners', { region: state.query?.region }));
    clear(box);
    setText($('#winners-title'), `中奖名单（${reply.items.length} 人次）`);
    if (!reply.items.length) {
      box.append(el('p', { className: 'empty', text: '暂无中奖记录。' }));
      return;
    }
    let reveal = false;
    const phones = [];
    const toggle = el('button', { className: 'btn btn--ghost btn--small', text: '显示完整手机号', attrs: { type: 'button', 'aria-pressed': 'false' } });
    toggle.addEventListener('click', () => {
      reveal = !reveal;
      toggle.setAttribute('aria-pressed', String(reveal));
      setText(toggle, reveal ? '隐藏手机号' : '显示完整手机号');
      for (const [cell, phone] of phones) setText(cell, reveal ? phone : maskPhone(phone));
    });
    const rows = [...reply.items].reverse().map((w) => {
      const phoneCell = el('td', { className: 'nowrap', text: maskPhone(w.phone) });
      phones.push([phoneCell, w.phone]);
      return el('tr', {},
        el('td', { className: 'nowrap', text: dateTime(w.at, state.competition.timezone) }),
        el('th', { className: 'name-cell', text: w.name || '—', attrs: { scope: 'row' } }),
        phoneCell,
        el('td', { text: w.unit }),
        el('td', { text: w.region }),
        el('td', { text: w.prize }),
        el('td', {}, w.flagged ? el('span', { className: 'flag', text: '疑似机器答题' }) : '—'),
        deliveryCell(w));
    });
    box.append(el('div', { className: 'actions' }, toggle),
      el('p', { className: 'table-hint', text: '表格较宽，可左右滑动查看' }),
      el('div', { className: 'table-wrap' }, el('table', { className: 'table table--wide' },
        el('caption', { className: 'visually-hidden', text: '中奖名单，最新在前' }),
        el('thead', {}, el('tr', {}, ['时间', '姓名', '手机号', '单位', '地区', '奖品', '核查', '寄送'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
        el('tbody', {}, rows))));
  } catch (error) {
    if (handleAuthError(error)) return;
    clear(box).append(errorBox(`中奖名单加载失败：${errorMessage(error)}`));
  }
}

// ---- Downloads ----------------------------------------------------------------------------

function bulletinPath(format) {
  const q = readQuery();
  if (q.error) throw new ApiError(0, 'invalid_period', q.error);
  return withQuery('/api/v1/admin/bulletin', {
    from: q.from, to: q.to, region: q.region, level: q.level, rank_by: q.rank_by,
    compare_to: q.compare_to, sector: q.sector, format,
  });
}

function downloadStatus(text, kind = 'info') {
  showNotice($('#download-status'), text, kind);
}

async function download(format, button) {
  setBusy(button, true, '正在生成…');
  downloadStatus('');
  try {
    const { blob, filename } = await apiBlob(bulletinPath(format), { token: state.token });
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, attrs: { download: filename || `bulletin.${format}` }, className: 'visually-hidden' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    downloadStatus(`已生成 ${filename || `通报.${format}`}，请在浏览器的下载列表中查看。`, 'success');
  } catch (error) {
    if (handleAuthError(error)) return;
    downloadStatus(`下载失败：${errorMessage(error)}`, 'error');
  } finally {
    setBusy(button, false);
  }
}

// The printable bulletin in a new tab. A blob: document has no usable base URL, so a <base>
// pointing at this site is added for its /print.css link.
async function openPrintable(button) {
  const tab = window.open('', '_blank');
  setBusy(button, true, '正在生成…');
  downloadStatus('');
  try {
    const { blob } = await apiBlob(bulletinPath('html'), { token: state.token });
    let html = await blob.text();
    const base = `<base href="${location.origin}/">`;
    html = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (m) => `${m}\n${base}`) : base + html;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
    if (tab && !tab.closed) tab.location.href = url;
    else window.open(url, '_blank');
    setTimeout(() => URL.revokeObjectURL(url), 120000);
    downloadStatus('打印版通报已在新标签页打开，可使用浏览器的“打印”功能打印或另存为 PDF。', 'success');
  } catch (error) {
    if (tab && !tab.closed) tab.close();
    if (handleAuthError(error)) return;
    downloadStatus(`打开失败：${errorMessage(error)}`, 'error');
  } finally {
    setBusy(button, false);
  }
}

// ---- Start --------------------------------------------------------------------------------

setupLogin();
if (state.token) openDashboard();
else showLogin();

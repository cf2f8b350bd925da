// The participant page: rules, sign-in by SMS code, profile, the daily challenge one question at a
// time, the result, the prize wheel and the participant's records. All state lives on the server;
// this page keeps only the token (localStorage), the server-clock offset and, per attempt, which
// questions were answered right (for the progress pips after a reload).
import { api, ApiError, errorMessage } from './api.js';
import { el, $, clear, setText, setBusy, showNotice, loadingRow, debounce } from './dom.js';
import { addDays, longDay, dateTime, mmss, parseInstant, chineseOrdinal } from './format.js';
import { noteServerNow, serverNow, hasServerClock } from './clock.js';
import { createWheel } from './wheel.js';
import { openShareDialog } from './share.js';

const TOKEN_KEY = 'anquanli.token';
const STAGE_SIZE = 5;
const TYPE_NAMES = { single: '单选题', multiple: '多选题', judge: '判断题' };
const TYPE_HINTS = {
  single: '请选择一个正确答案，点选即提交。',
  multiple: '请选出全部正确答案，再点击“提交答案”。',
  judge: '请判断这句话是否正确，点选即提交。',
};

const state = {
  competition: null,
  token: readToken(),
  me: null,
  regions: null,
  attempt: null,
  results: {}, // question index → 'right' | 'wrong' | 'timeout', for the current attempt
  selected: new Set(),
  submitting: false,
  deadline: null,
  timer: 0,
  announced10: false,
  wheel: null,
  spinning: false,
  codeTimer: 0,
};

// ---------------------------------------------------------------------------------------------
// Token and small helpers

function readToken() {
  try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
}

function saveToken(token) {
  state.token = token;
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch { /* private mode: keep it in memory */ }
}

const globalNotice = () => $('#global-notice');

function showScreen(name, { focus } = {}) {
  for (const screen of document.querySelectorAll('.screen')) screen.hidden = screen.id !== `screen-${name}`;
  if (name !== 'quiz') stopTimer();
  document.body.dataset.screen = name;
  window.scrollTo(0, 0);
  if (focus) focus.focus({ preventScroll: true });
}

// A 401 anywhere means the token is gone: back to sign-in with a message.
function handleAuthError(error) {
  if (error instanceof ApiError && error.status === 401) {
    saveToken(null);
    state.me = null;
    showHome();
    showNotice(globalNotice(), '登录已过期，请重新登录', 'warn');
    return true;
  }
  return false;
}

function todayDoneText() {
  const c = state.competition;
  const tomorrow = addDays(state.me?.today?.day ?? c.today, 1);
  if (tomorrow > c.ends_on) return '今日已答题。本次竞赛今天结束，感谢你的参与！';
  return `今日已答题，明天（${tomorrow}）再来`;
}

function closedText() {
  const c = state.competition;
  return c.today < c.starts_on ? `竞赛尚未开始，${longDay(c.starts_on)}开始，敬请期待。` : '本次竞赛已结束，感谢你的参与！';
}

function stat(label, value, unit) {
  return el('div', { className: 'stats__item' },
    el('dt', { className: 'stats__label', text: label }),
    el('dd', { className: 'stats__value' }, String(value), unit ? el('small', { text: unit }) : null));
}

// ---------------------------------------------------------------------------------------------
// Start-up

async function init() {
  showScreen('loading');
  try {
    state.competition = await api('/api/v1/competition');
  } catch (error) {
    const box = $('#screen-loading');
    clear(box).append(
      el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `竞赛信息加载失败：${errorMessage(error)}` }),
      el('button', { className: 'btn btn--primary btn--block', text: '重新加载', attrs: { type: 'button' }, on: { click: () => location.reload() } }));
    return;
  }
  renderCompetition();
  if (state.token) await loadMe();
  else showHome();
}

function renderCompetition() {
  const c = state.competition;
  document.title = `${c.title} · 安全生产月网上答题`;
  setText($('#brand-title'), c.title);
  setText($('#home-title'), c.title);
  setText($('#home-window'), `活动时间：${longDay(c.starts_on)} — ${longDay(c.ends_on)}`);
  const openState = $('#home-open-state');
  if (!c.open) {
    setText(openState, closedText());
    openState.hidden = false;
  }

  const perDrawRule = c.draw_rule === 'consecutive'
    ? `每连续答对 ${c.correct_per_draw} 题，获得 1 次大转盘抽奖机会。`
    : `每答对 ${c.correct_per_draw} 题，获得 1 次大转盘抽奖机会（每次挑战最多 ${Math.floor(c.questions_per_attempt / c.correct_per_draw)} 次）。`;
  const p = c.points;
  const pointsRule = [`参与一次得 ${p.per_attempt} 分`, `每答对 1 题得 ${p.per_correct} 分`]
    .concat(p.perfect_bonus ? [`全部答对再加 ${p.perfect_bonus} 分`] : []).join('，');
  const stages = Math.ceil(c.questions_per_attempt / STAGE_SIZE);
  const rules = [
    ['次', `每天可挑战 ${c.attempts_per_day} 次，每次最多 ${c.questions_per_attempt} 道题，分 ${stages} 关，每关 ${STAGE_SIZE} 题。`],
    ['时', c.question_time_limit_s
      ? `每题限时 ${c.question_time_limit_s} 秒${c.attempt_time_limit_s ? `，整场限时 ${Math.round(c.attempt_time_limit_s / 60)} 分钟` : ''}，超时的题目计为答错。`
      : '答题不限时，请认真作答。'],
    ['奖', perDrawRule],
    ['分', `${pointsRule}。积分计入你所在的地区和工作单位，参与排行榜评比。`],
  ];
  if (c.end_on_wrong) rules.push(['闯', '闯关模式：答错一题即结束本次挑战。']);
  rules.push(['解', '每题作答后立即公布正确答案、解析和法律依据。']);
  const list = clear($('#rules-list'));
  for (const [icon, text] of rules) {
    list.append(el('li', { className: 'rules__item' }, el('span', { className: 'rules__icon', attrs: { 'aria-hidden': 'true' }, text: icon }), el('span', { text })));
  }
  setText($('#lottery-per'), c.correct_per_draw);
}

async function loadMe() {
  showScreen('loading');
  try {
    state.me = await api('/api/v1/me', { token: state.token });
  } catch (error) {
    if (handleAuthError(error)) return;
    showHome();
    showNotice(globalNotice(), `读取个人信息失败：${errorMessage(error)}`);
    return;
  }
  if (!state.me.profile_complete) {
    await showProfile();
  } else if (state.me.today.status === 'in_progress' && state.me.today.attempt_id) {
    await resumeAttempt(state.me.today.attempt_id);
  } else {
    showHome();
  }
}

// ---------------------------------------------------------------------------------------------
// Home

function showHome() {
  const me = state.me;
  $('#login-form').hidden = Boolean(me);
  $('#hero-login').hidden = Boolean(me);
  $('#player').hidden = !me;
  // Signed in, the participant's own day comes first and the rules move below it.
  document.body.classList.toggle('is-signed-in', Boolean(me));
  showNotice($('#today-error'), '');
  if (me) renderPlayer();
  showScreen('home');
}

function renderPlayer() {
  const me = state.me;
  const c = state.competition;
  setText($('#player-avatar'), (me.name || '我').slice(0, 1));
  setText($('#player-name'), me.name ? `你好，${me.name}` : '你好');
  setText($('#player-org'), [me.region?.name, me.unit?.name ?? '社会公众'].filter(Boolean).join(' · '));
  clear($('#player-totals')).append(
    stat('参与次数', me.totals.attempts, '次'),
    stat('答对题数', me.totals.correct, '题'),
    stat('累计积分', me.totals.points, '分'));

  const start = $('#start-button');
  const text = $('#today-text');
  const result = $('#today-result');
  result.hidden = true;
  start.hidden = true;
  setBusy(start, false);
  text.classList.remove('today-card__text--done');
  const status = me.today.status;
  if (status === 'in_progress') {
    setText(text, '你今天的挑战还没有完成，继续答题吧。');
    setText(start, '继续答题');
    start.hidden = false;
  } else if (status === 'finished' || status === 'expired') {
    setText(text, todayDoneText());
    text.classList.add('today-card__text--done');
    loadTodayResult(me.today.attempt_id);
  } else if (!c.open) {
    setText(text, closedText());
  } else {
    setText(text, `今天的挑战共 ${c.questions_per_attempt} 题，分 ${Math.ceil(c.questions_per_attempt / STAGE_SIZE)} 关。准备好了就开始吧！`);
    setText(start, '开始答题');
    start.hidden = false;
  }

  const drawCard = $('#draw-card');
  drawCard.hidden = !(me.draws_available > 0 && c.open);
  setText($('#draw-card-count'), `你有 ${me.draws_available} 次抽奖机会`);

  // The profile can still change until the first attempt.
  let edit = $('#edit-profile');
  if (!edit) {
    edit = el('button', { className: 'btn btn--link', id: 'edit-profile', text: '修改个人信息', attrs: { type: 'button' }, on: { click: () => showProfile() } });
    $('#logout').before(edit);
  }
  edit.hidden = !(me.totals.attempts === 0 && status === 'none');
}

async function loadTodayResult(attemptId) {
  const box = $('#today-result');
  if (!attemptId) return;
  clear(box).append(loadingRow('正在读取今日成绩…'));
  box.hidden = false;
  try {
    const attempt = await api(`/api/v1/attempts/${attemptId}`, { token: state.token });
    clear(box);
    if (attempt.result) {
      box.append(el('dl', { className: 'stats stats--3 stats--compact' },
        stat('今日答对', `${attempt.result.correct}/${attempt.questions_total}`),
        stat('今日积分', `+${attempt.result.points}`),
        stat('抽奖机会', `+${attempt.result.draws_earned}`)));
    }
  } catch (error) {
    if (handleAuthError(error)) return;
    clear(box).append(el('p', { className: 'field__hint', text: `今日成绩读取失败：${errorMessage(error)}` }));
  }
}

// ---------------------------------------------------------------------------------------------
// Sign-in

function setupLogin() {
  const form = $('#login-form');
  $('#hero-login').addEventListener('click', (event) => {
    event.preventDefault();
    form.scrollIntoView({ behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' });
    $('#login-phone').focus({ preventScroll: true });
  });
  const phone = $('#login-phone');
  const code = $('#login-code');
  const send = $('#send-code');
  const error = $('#login-error');
  const status = $('#code-status');

  phone.addEventListener('input', () => { phone.value = phone.value.replace(/\D/g, '').slice(0, 11); });
  code.addEventListener('input', () => { code.value = code.value.replace(/\D/g, '').slice(0, 6); });

  send.addEventListener('click', async () => {
    showNotice(error, '');
    if (!/^1[3-9]\d{9}$/.test(phone.value)) {
      showNotice(error, '请输入正确的 11 位手机号码');
      phone.setAttribute('aria-invalid', 'true');
      phone.focus();
      return;
    }
    phone.removeAttribute('aria-invalid');
    setBusy(send, true, '发送中…');
    try {
      const reply = await api('/api/v1/auth/code', { method: 'POST', body: { phone: phone.value } });
      setText(status, `验证码已发送至 ${phone.value.slice(0, 3)}****${phone.value.slice(7)}，5 分钟内有效`);
      codeCountdown(reply?.retry_after_s ?? 60);
      code.focus();
    } catch (failure) {
      setBusy(send, false);
      showNotice(error, errorMessage(failure));
      if (failure instanceof ApiError && failure.retryAfter) codeCountdown(failure.retryAfter);
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showNotice(error, '');
    if (!/^1[3-9]\d{9}$/.test(phone.value)) {
      showNotice(error, '请输入正确的 11 位手机号码');
      phone.focus();
      return;
    }
    if (!/^\d{6}$/.test(code.value)) {
      showNotice(error, '请输入 6 位数字验证码');
      code.setAttribute('aria-invalid', 'true');
      code.focus();
      return;
    }
    code.removeAttribute('aria-invalid');
    const submit = $('#login-submit');
    setBusy(submit, true, '正在登录…');
    try {
      const reply = await api('/api/v1/auth/login', { method: 'POST', body: { phone: phone.value, code: code.value } });
      saveToken(reply.token);
      code.value = '';
      setText(status, '');
      showNotice(globalNotice(), '');
      await loadMe();
    } catch (failure) {
      showNotice(error, errorMessage(failure));
    } finally {
      setBusy(submit, false);
    }
  });
}

function codeCountdown(seconds) {
  const send = $('#send-code');
  clearInterval(state.codeTimer);
  let left = Math.max(1, Math.round(seconds));
  send.disabled = true;
  send.setAttribute('aria-busy', 'false');
  delete send.dataset.idleLabel;
  const paint = () => setText(send, `重新获取（${left}s）`);
  paint();
  state.codeTimer = setInterval(() => {
    left -= 1;
    if (left <= 0) {
      clearInterval(state.codeTimer);
      send.disabled = false;
      send.removeAttribute('aria-busy');
      setText(send, '重新获取验证码');
    } else {
      paint();
    }
  }, 1000);
}

// ---------------------------------------------------------------------------------------------
// Profile

async function loadRegions() {
  if (state.regions) return state.regions;
  const reply = await api('/api/v1/regions');
  const byCode = new Map(reply.items.map((r) => [r.code, { ...r, children: [] }]));
  let root = null;
  for (const region of byCode.values()) {
    if (region.parent && byCode.has(region.parent)) byCode.get(region.parent).children.push(region);
    else if (!region.parent) root = region;
  }
  state.regions = { byCode, root };
  return state.regions;
}

const profile = {
  unit: null, // {id, name, region}
  searchSeq: 0,
};

function leafRegion() {
  const city = $('#profile-city').value;
  if (!city || !state.regions) return '';
  const node = state.regions.byCode.get(city);
  if (!node) return '';
  if (node.children.length === 0) return city;
  return $('#profile-county').value;
}

function fillCounties(cityCode, selected) {
  const county = $('#profile-county');
  const field = $('#county-field');
  clear(county).append(el('option', { value: '', text: '请选择' }));
  const node = cityCode ? state.regions.byCode.get(cityCode) : null;
  if (!node || node.children.length === 0) {
    field.hidden = true;
    county.required = false;
    return;
  }
  for (const child of node.children) county.append(el('option', { value: child.code, text: child.name }));
  county.value = selected && node.children.some((c) => c.code === selected) ? selected : '';
  county.required = true;
  field.hidden = false;
}

function renderChosenUnit() {
  const chosen = $('#unit-chosen');
  const searchBox = $('#unit-search-box');
  if (profile.unit) {
    setText($('#unit-chosen-name'), profile.unit.name);
    chosen.hidden = false;
    searchBox.hidden = true;
  } else {
    chosen.hidden = true;
    searchBox.hidden = false;
  }
}

function unitMode() {
  return document.querySelector('input[name="unit-mode"]:checked')?.value ?? 'unit';
}

function applyUnitMode() {
  $('#unit-picker').hidden = unitMode() !== 'unit';
}

async function searchUnits() {
  const status = $('#unit-search-status');
  const list = $('#unit-results');
  const region = leafRegion();
  const q = $('#unit-search').value.trim();
  const seq = ++profile.searchSeq;
  if (!region) {
    clear(list);
    setText(status, '请先选择所在地区，再搜索单位。');
    return;
  }
  setText(status, '正在搜索…');
  list.setAttribute('aria-busy', 'true');
  try {
    // parents: also the units registered higher up the region's path (a 市直 unit of its city).
    const params = new URLSearchParams({ region, limit: '20', parents: 'true' });
    if (q) params.set('q', q);
    const reply = await api(`/api/v1/units?${params}`);
    if (seq !== profile.searchSeq) return; // a newer search is under way
    clear(list);
    if (reply.items.length === 0) {
      setText(status, q ? '没有找到该单位，请换个关键词；如果不属于任何单位，请选择“社会公众”。' : '该地区暂无登记的单位，请选择“社会公众”。');
    } else {
      setText(status, reply.items.length >= 20 ? `显示前 20 个结果，输入更多文字可缩小范围` : `找到 ${reply.items.length} 个单位，点击选择`);
    }
    for (const unit of reply.items) {
      list.append(el('li', {},
        el('button', {
          className: 'pick-list__item', attrs: { type: 'button' },
          on: { click: () => { profile.unit = unit; renderChosenUnit(); showNotice($('#profile-error'), ''); $('#unit-change').focus(); } },
        }, el('span', { className: 'pick-list__name', text: unit.name }), el('span', { className: 'pick-list__meta', text: unit.sector }))));
    }
  } catch (error) {
    if (seq !== profile.searchSeq) return;
    clear(list);
    setText(status, `搜索失败：${errorMessage(error)}`);
  } finally {
    if (seq === profile.searchSeq) list.removeAttribute('aria-busy');
  }
}

function setupProfile() {
  const form = $('#profile-form');
  const city = $('#profile-city');
  const county = $('#profile-county');
  const search = $('#unit-search');
  const runSearch = debounce(searchUnits, 250);

  // A chosen unit stays while it belongs to the region or to one above it.
  const onPath = (unitRegion) => {
    for (let code = leafRegion(); code; code = state.regions.byCode.get(code)?.parent) {
      if (code === unitRegion) return true;
    }
    return false;
  };
  const regionChanged = () => {
    if (profile.unit && !onPath(profile.unit.region)) {
      profile.unit = null;
      renderChosenUnit();
    }
    search.disabled = !leafRegion();
    searchUnits();
  };
  city.addEventListener('change', () => { fillCounties(city.value); regionChanged(); });
  county.addEventListener('change', regionChanged);
  search.addEventListener('input', runSearch);
  for (const radio of document.querySelectorAll('input[name="unit-mode"]')) radio.addEventListener('change', applyUnitMode);
  $('#unit-change').addEventListener('click', () => {
    profile.unit = null;
    renderChosenUnit();
    search.focus();
    searchUnits();
  });
  $('#profile-cancel').addEventListener('click', () => showHome());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('#profile-error');
    showNotice(error, '');
    const nameInput = $('#profile-name');
    const name = nameInput.value;
    if (!name.trim() || [...name].length > 32) {
      showNotice(error, '请输入姓名（1 到 32 个字）');
      nameInput.focus();
      return;
    }
    const region = leafRegion();
    if (!region) {
      showNotice(error, '请选择所在地区（区县）');
      (city.value ? county : city).focus();
      return;
    }
    const mode = unitMode();
    if (mode === 'unit' && !profile.unit) {
      showNotice(error, '请搜索并选择你的工作单位；如果不属于任何单位，请选择“社会公众（无单位）”');
      search.focus();
      return;
    }
    const consent = $('#profile-consent');
    if (!consent.checked) {
      showNotice(error, '请阅读并同意隐私声明');
      consent.focus();
      return;
    }
    const submit = $('#profile-submit');
    setBusy(submit, true, '正在保存…');
    try {
      await api('/api/v1/me', {
        method: 'PUT', token: state.token,
        body: { name: name.trim(), region, unit_id: mode === 'unit' ? profile.unit.id : null, consent: true },
      });
      await loadMe();
    } catch (failure) {
      if (handleAuthError(failure)) return;
      showNotice(error, errorMessage(failure));
    } finally {
      setBusy(submit, false);
    }
  });
}

async function showProfile() {
  showScreen('loading');
  try {
    await loadRegions();
  } catch (error) {
    showHome();
    showNotice(globalNotice(), `地区列表加载失败：${errorMessage(error)}`);
    return;
  }
  const me = state.me;
  const { byCode, root } = state.regions;
  const city = clear($('#profile-city'));
  city.append(el('option', { value: '', text: '请选择' }));
  for (const child of root?.children ?? []) city.append(el('option', { value: child.code, text: child.name }));

  $('#profile-name').value = me.name || '';
  let cityCode = '';
  let countyCode = '';
  if (me.region) {
    const node = byCode.get(me.region.code);
    if (node && node.parent === root?.code) cityCode = node.code;
    else if (node) { cityCode = node.parent; countyCode = node.code; }
  }
  city.value = cityCode;
  fillCounties(cityCode, countyCode);
  profile.unit = me.unit ? { id: me.unit.id, name: me.unit.name, region: me.region?.code } : null;
  const publicMode = me.profile_complete && !me.unit;
  document.querySelector(`input[name="unit-mode"][value="${publicMode ? 'public' : 'unit'}"]`).checked = true;
  applyUnitMode();
  renderChosenUnit();
  $('#unit-search').value = '';
  $('#unit-search').disabled = !leafRegion();
  $('#profile-cancel').hidden = !me.profile_complete;
  $('#profile-consent').checked = Boolean(me.consent_at);
  showNotice($('#profile-error'), '');
  showScreen('profile');
  searchUnits();
  $('#profile-name').focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------------------------
// The challenge

function resultsKey(id) { return `anquanli.attempt.${id}`; }

function loadResults(id) {
  try { return JSON.parse(localStorage.getItem(resultsKey(id)) || '{}') || {}; } catch { return {}; }
}

function saveResults() {
  try { localStorage.setItem(resultsKey(state.attempt.id), JSON.stringify(state.results)); } catch { /* ignore */ }
}

async function startAttempt() {
  const button = $('#start-button');
  const error = $('#today-error');
  showNotice(error, '');
  if (state.me?.today?.status === 'in_progress' && state.me.today.attempt_id) {
    await resumeAttempt(state.me.today.attempt_id);
    return;
  }
  setBusy(button, true, '正在出题…');
  const timing = {};
  try {
    const attempt = await api('/api/v1/attempts', { method: 'POST', token: state.token, timing });
    noteServerNow(parseInstant(attempt.started_at), timing);
    enterAttempt(attempt);
  } catch (failure) {
    setBusy(button, false);
    if (handleAuthError(failure)) return;
    if (failure instanceof ApiError && failure.code === 'already_attempted_today') {
      await alreadyAttempted(failure.body?.attempt_id, failure.message);
      return;
    }
    if (failure instanceof ApiError && failure.code === 'profile_incomplete') {
      await showProfile();
      showNotice($('#profile-error'), failure.message);
      return;
    }
    showNotice(error, errorMessage(failure));
  }
}

// 409 already_attempted_today: resume today's attempt if it is still open, else say so.
async function alreadyAttempted(attemptId, message) {
  if (attemptId) {
    try {
      const attempt = await api(`/api/v1/attempts/${attemptId}`, { token: state.token });
      if (attempt.status === 'in_progress') {
        enterAttempt(attempt);
        return;
      }
    } catch (error) {
      if (handleAuthError(error)) return;
    }
  }
  try {
    state.me = await api('/api/v1/me', { token: state.token });
  } catch (error) {
    if (handleAuthError(error)) return;
  }
  showHome();
  const text = $('#today-text');
  setText(text, todayDoneText());
  text.classList.add('today-card__text--done');
  $('#start-button').hidden = true;
  showNotice($('#today-error'), message || '今日已答题，请明天再来', 'warn');
}

async function resumeAttempt(id) {
  showScreen('loading');
  let attempt;
  try {
    attempt = await api(`/api/v1/attempts/${id}`, { token: state.token });
  } catch (error) {
    if (handleAuthError(error)) return;
    showHome();
    showNotice($('#today-error'), `读取答题进度失败：${errorMessage(error)}`);
    return;
  }
  if (attempt.status !== 'in_progress') {
    state.attempt = attempt;
    state.results = loadResults(attempt.id);
    await showResult(attempt);
    return;
  }
  if (!hasServerClock()) await estimateServerClock();
  enterAttempt(attempt);
}

// Without an earlier reading, the leaderboards' as_of (server time, cached for a few seconds)
// gives the server clock closely enough for a countdown.
async function estimateServerClock() {
  const timing = {};
  try {
    const board = await api('/api/v1/leaderboards/regions', { timing });
    noteServerNow(parseInstant(board.as_of), timing, { upperBound: true });
  } catch { /* the countdown then uses the device clock */ }
}

function enterAttempt(attempt) {
  state.attempt = attempt;
  state.results = loadResults(attempt.id);
  showNotice(globalNotice(), '');
  if (!attempt.current) {
    showResult(attempt);
    return;
  }
  renderQuestion();
}

// The three stages of five, one pip per question. During feedback `answered` is the question just
// answered: it is shown as the current step, in its result colour.
function renderStages(answered = null) {
  const attempt = state.attempt;
  const total = attempt.questions_total;
  const currentIndex = answered ?? attempt.current?.index ?? total;
  const list = clear($('#stages'));
  const stageCount = Math.ceil(total / STAGE_SIZE);
  for (let s = 0; s < stageCount; s += 1) {
    const first = s * STAGE_SIZE;
    const last = Math.min(total, first + STAGE_SIZE) - 1;
    const active = currentIndex >= first && currentIndex <= last;
    const done = currentIndex > last;
    const pips = el('span', { className: 'stage__pips', attrs: { 'aria-hidden': 'true' } });
    for (let i = first; i <= last; i += 1) {
      const result = state.results[i];
      let kind = 'todo';
      if (result) kind = result === 'right' ? 'right' : 'wrong';
      else if (i === currentIndex) kind = 'current';
      else if (i < currentIndex) kind = 'done';
      pips.append(el('span', { className: `pip pip--${kind}` }));
    }
    const label = `第${chineseOrdinal(s + 1)}关`;
    list.append(el('li', {
      className: `stage${active ? ' stage--active' : ''}${done ? ' stage--done' : ''}`,
      attrs: { 'aria-current': active ? 'step' : false, 'aria-label': `${label}（第 ${first + 1}–${last + 1} 题）${done ? '，已完成' : active ? '，进行中' : ''}` },
    }, el('span', { className: 'stage__name', text: label }), pips));
  }
}

function renderQuestion() {
  const attempt = state.attempt;
  const current = attempt.current;
  const question = current.question;
  state.selected = new Set();
  state.submitting = false;
  state.announced10 = false;

  renderStages();
  $('#question').dataset.attempt = String(attempt.id);
  $('#question').dataset.index = String(current.index);
  const stage = Math.floor(current.index / STAGE_SIZE) + 1;
  setText($('#quiz-progress'), `第${chineseOrdinal(stage)}关 · 第 ${current.index + 1}/${attempt.questions_total} 题`);
  setText($('#question-type'), TYPE_NAMES[question.type] ?? '题目');
  $('#question-type').dataset.type = question.type;
  setText($('#question-category'), question.category);
  setText($('#question-stem'), question.stem);
  setText($('#question-hint'), TYPE_HINTS[question.type] ?? '');

  const options = clear($('#question-options'));
  options.className = `options options--${question.type}`;
  const multiple = question.type === 'multiple';
  for (const option of question.options) {
    const button = el('button', {
      className: 'option', attrs: { type: 'button', 'aria-pressed': multiple ? 'false' : false },
      dataset: { key: option.key },
      on: { click: () => chooseOption(option.key) },
    },
    question.type === 'judge'
      ? el('span', { className: `option__mark option__mark--${option.key === 'A' ? 'yes' : 'no'}`, attrs: { 'aria-hidden': 'true' } })
      : el('span', { className: 'option__key', text: option.key }),
    el('span', { className: 'option__text', text: option.text }));
    options.append(button);
  }
  const submit = $('#answer-submit');
  submit.hidden = !multiple;
  submit.disabled = true;
  setBusy(submit, false);
  submit.disabled = true;
  showNotice($('#answer-error'), '');
  $('#question').hidden = false;
  $('#feedback').hidden = true;

  showScreen('quiz');
  $('#question-stem').setAttribute('tabindex', '-1');
  $('#question-stem').focus({ preventScroll: true });
  startTimer(current.deadline);
}

function chooseOption(key) {
  if (state.submitting) return;
  const question = state.attempt.current.question;
  if (question.type === 'multiple') {
    if (state.selected.has(key)) state.selected.delete(key);
    else state.selected.add(key);
    for (const button of document.querySelectorAll('#question-options .option')) {
      const on = state.selected.has(button.dataset.key);
      button.setAttribute('aria-pressed', String(on));
      button.classList.toggle('option--selected', on);
    }
    $('#answer-submit').disabled = state.selected.size === 0;
  } else {
    state.selected = new Set([key]);
    for (const button of document.querySelectorAll('#question-options .option')) {
      button.classList.toggle('option--selected', button.dataset.key === key);
    }
    submitAnswer([key]);
  }
}

function setOptionsDisabled(disabled) {
  for (const button of document.querySelectorAll('#question-options .option')) button.disabled = disabled;
}

async function submitAnswer(choice, { timedOut = false } = {}) {
  if (state.submitting) return;
  const attempt = state.attempt;
  const current = attempt.current;
  state.submitting = true;
  setOptionsDisabled(true);
  const submit = $('#answer-submit');
  if (!submit.hidden) setBusy(submit, true, '正在提交…');
  showNotice($('#answer-error'), timedOut ? '时间到，正在提交…' : '', 'warn');
  const timing = {};
  try {
    const reply = await api(`/api/v1/attempts/${attempt.id}/answers`, {
      method: 'POST', token: state.token, timing, body: { index: current.index, choice },
    });
    noteClockFromAnswer(reply.attempt, timing);
    stopTimer();
    state.results[reply.index] = reply.timed_out ? 'timeout' : reply.correct ? 'right' : 'wrong';
    saveResults();
    state.attempt = reply.attempt;
    showFeedback(reply, current.question);
  } catch (error) {
    state.submitting = false;
    setBusy(submit, false);
    submit.disabled = state.selected.size === 0;
    if (handleAuthError(error)) return;
    if (error instanceof ApiError && ['already_answered', 'out_of_order', 'attempt_finished', 'attempt_expired'].includes(error.code)) {
      // The server knows better: reload the attempt and carry on from where it is.
      showNotice(globalNotice(), error.message, 'warn');
      await resumeAttempt(attempt.id);
      return;
    }
    setOptionsDisabled(false);
    showNotice($('#answer-error'), `${errorMessage(error)}${error instanceof ApiError && error.status === 0 ? '（可再次点击提交）' : ''}`);
  }
}

// The next question's deadline is "answer received + question limit" unless the attempt
// deadline caps it, which gives the server's time of this answer.
function noteClockFromAnswer(attempt, timing) {
  const limit = state.competition.question_time_limit_s;
  if (!attempt?.current?.deadline || !limit) return;
  const deadline = parseInstant(attempt.current.deadline);
  const attemptDeadline = attempt.deadline ? parseInstant(attempt.deadline) : null;
  if (attemptDeadline !== null && deadline >= attemptDeadline) return;
  noteServerNow(deadline - limit * 1000, timing);
}

function keysText(question, keys) {
  if (!keys || keys.length === 0) return '未作答';
  return keys.map((key) => {
    const option = question.options.find((o) => o.key === key);
    if (question.type === 'judge') return option ? option.text : key;
    return option ? `${key}. ${option.text}` : key;
  });
}

function showFeedback(reply, question) {
  const correctKeys = new Set(reply.correct_choice);
  const chosen = new Set(reply.choice);
  for (const button of document.querySelectorAll('#question-options .option')) {
    const key = button.dataset.key;
    button.classList.toggle('option--correct', correctKeys.has(key));
    button.classList.toggle('option--wrong', chosen.has(key) && !correctKeys.has(key));
    button.classList.toggle('option--selected', chosen.has(key));
    button.disabled = true;
  }
  $('#answer-submit').hidden = true;
  showNotice($('#answer-error'), '');

  const feedback = $('#feedback');
  feedback.classList.remove('feedback--right', 'feedback--wrong', 'feedback--timeout');
  const verdict = $('#feedback-verdict');
  if (reply.timed_out) {
    feedback.classList.add('feedback--timeout');
    setText(verdict, '超时了，本题计为答错');
  } else if (reply.correct) {
    feedback.classList.add('feedback--right');
    setText(verdict, '回答正确！');
  } else {
    feedback.classList.add('feedback--wrong');
    setText(verdict, '回答错误');
  }
  const fill = (node, keys) => {
    const texts = keysText(question, keys);
    clear(node);
    if (typeof texts === 'string') node.textContent = texts;
    else for (const text of texts) node.append(el('span', { className: 'answer-line', text }));
  };
  fill($('#feedback-correct'), reply.correct_choice);
  fill($('#feedback-mine'), reply.choice);
  setText($('#feedback-explanation'), reply.explanation || '暂无解析');
  setText($('#feedback-source'), reply.source || '—');
  $('#feedback-source').parentElement.hidden = !reply.source;

  renderStages(reply.index);
  const next = $('#next-button');
  setText(next, reply.attempt.current ? '下一题' : '查看结果');
  // The next question's time runs from this answer on: show it counting down.
  const nextHint = $('#next-hint');
  if (reply.attempt.current?.deadline) {
    startTimer(reply.attempt.current.deadline, { waiting: true });
    nextHint.hidden = false;
  } else {
    nextHint.hidden = true;
    stopTimer();
  }
  feedback.hidden = false;
  verdict.focus({ preventScroll: true });
  feedback.scrollIntoView({ block: 'nearest', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
}

function nextQuestion() {
  const attempt = state.attempt;
  if (attempt.current) renderQuestion();
  else showResult(attempt);
}

// Countdown to the question's deadline on the server's clock.
function startTimer(deadlineText, { waiting = false } = {}) {
  stopTimer();
  const timer = $('#quiz-timer');
  const bar = $('#quiz-timebar');
  const limit = state.competition.question_time_limit_s;
  state.deadline = deadlineText ? parseInstant(deadlineText) : null;
  if (state.deadline === null) {
    timer.hidden = true;
    bar.parentElement.hidden = true;
    return;
  }
  timer.hidden = false;
  bar.parentElement.hidden = false;
  const tick = () => {
    const left = (state.deadline - serverNow()) / 1000;
    setText($('#quiz-timer-text'), mmss(left));
    timer.setAttribute('aria-label', `${waiting ? '下一题' : '本题'}剩余 ${Math.max(0, Math.ceil(left))} 秒`);
    timer.classList.toggle('timer--next', waiting);
    $('#quiz-timer-label').hidden = !waiting;
    timer.classList.toggle('timer--warn', left <= 10);
    const share = limit ? Math.max(0, Math.min(1, left / limit)) : 1;
    bar.style.width = `${(share * 100).toFixed(1)}%`;
    bar.classList.toggle('timebar__fill--warn', left <= 10);
    if (waiting) {
      if (left <= 0) stopTimer(); // the question times out when shown; the server decides
      return;
    }
    if (left <= 10 && left > 0 && !state.announced10) {
      state.announced10 = true;
      setText($('#quiz-timer-announce'), '本题还剩 10 秒');
    }
    if (left <= -0.3) {
      stopTimer();
      timeUp();
    }
  };
  tick();
  state.timer = setInterval(tick, 250);
}

function stopTimer() {
  clearInterval(state.timer);
  state.timer = 0;
}

// Time is up: send what is selected (or the first option). The server records it as timed out.
function timeUp() {
  if (state.submitting || !state.attempt?.current) return;
  const question = state.attempt.current.question;
  const choice = state.selected.size ? [...state.selected] : [question.options[0].key];
  setText($('#quiz-timer-announce'), '本题时间到');
  submitAnswer(choice, { timedOut: true });
}

function setupQuiz() {
  $('#answer-submit').addEventListener('click', () => {
    if (state.selected.size === 0) {
      showNotice($('#answer-error'), '请至少选择一个选项');
      return;
    }
    submitAnswer([...state.selected].sort());
  });
  $('#next-button').addEventListener('click', nextQuestion);
  // Keyboard: letters pick options, Enter submits a multiple-choice answer.
  document.addEventListener('keydown', (event) => {
    if (document.body.dataset.screen !== 'quiz' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!$('#feedback').hidden || state.submitting || !state.attempt?.current) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
    const key = event.key.toUpperCase();
    const options = state.attempt.current.question.options;
    if (/^[A-H]$/.test(key) && options.some((o) => o.key === key)) {
      event.preventDefault();
      chooseOption(key);
      document.querySelector(`#question-options .option[data-key="${key}"]`)?.focus();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Result

async function showResult(attempt) {
  const result = attempt.result ?? { correct: attempt.correct, points: 0, draws_earned: 0 };
  try { localStorage.removeItem(resultsKey(attempt.id)); } catch { /* ignore */ }
  const total = attempt.questions_total;
  const title = $('#result-title');
  const badge = $('#result-badge');
  badge.className = 'result__badge';
  if (attempt.status === 'expired') {
    setText(title, '挑战时间已到');
    badge.classList.add('result__badge--expired');
  } else if (result.correct === total) {
    setText(title, '全部答对，太棒了！');
    badge.classList.add('result__badge--perfect');
  } else {
    setText(title, '挑战完成');
  }
  clear(badge).append(el('span', { className: 'result__badge-num', text: result.correct }), el('span', { className: 'result__badge-of', text: `/${total}` }));
  setText($('#result-sub'), `本次共 ${total} 题，答对 ${result.correct} 题`);
  clear($('#result-stats')).append(
    stat('答对', result.correct, '题'),
    stat('获得积分', result.points, '分'),
    stat('抽奖机会', result.draws_earned, '次'));
  const me = state.me;
  const where = me ? [me.region?.name, me.unit?.name].filter(Boolean).join('、') : '';
  setText($('#result-note'), result.draws_earned > 0
    ? `恭喜获得 ${result.draws_earned} 次抽奖机会！积分已计入${where || '你所在的地区和单位'}。`
    : `每答对 ${state.competition.correct_per_draw} 题可获得 1 次抽奖机会，明天继续加油！${where ? `积分已计入${where}。` : ''}`);
  const lottery = $('#result-lottery');
  lottery.hidden = true;
  state.shareCard = { correct: result.correct, total, points: result.points, day: attempt.day };
  showScreen('result', { focus: title });
  try {
    state.me = await api('/api/v1/me', { token: state.token });
    if (state.me.draws_available > 0 && state.competition.open) {
      setText(lottery, `去抽奖（${state.me.draws_available} 次机会）`);
      lottery.hidden = false;
    }
  } catch (error) {
    handleAuthError(error);
  }
}

// The share card of the challenge just finished: score, the rank in the participant's county.
async function shareResult() {
  const card = state.shareCard;
  if (!card) return;
  const me = state.me;
  const last = me?.ranks?.[me.ranks.length - 1];
  const regionName = last && last.region_code === me.region?.code ? me.region.name : '';
  openShareDialog({
    ...card, title: state.competition.title, name: me?.name ?? '',
    rank: last ? { ...last, region_name: regionName } : null, url: location.origin,
  });
}

// ---------------------------------------------------------------------------------------------
// Lottery

async function showLottery() {
  if (!state.wheel) {
    state.wheel = createWheel();
    $('#wheel-holder').append(state.wheel.root);
  }
  const result = $('#lottery-result');
  result.hidden = true;
  showNotice($('#lottery-error'), '');
  setText($('#lottery-count'), '正在读取抽奖机会…');
  showScreen('lottery');
  try {
    state.me = await api('/api/v1/me', { token: state.token });
    renderDrawCount();
  } catch (error) {
    if (handleAuthError(error)) return;
    showNotice($('#lottery-error'), errorMessage(error));
  }
}

function renderDrawCount() {
  const left = state.me?.draws_available ?? 0;
  setText($('#lottery-count'), left > 0 ? `你还有 ${left} 次抽奖机会` : '你暂时没有抽奖机会');
  const button = $('#spin-button');
  button.disabled = left <= 0 || state.spinning;
  const again = !$('#lottery-result').hidden;
  setText(button, left > 0 ? (again ? '再抽一次' : '开始抽奖') : '抽奖机会已用完');
}

async function spin() {
  if (state.spinning) return;
  const button = $('#spin-button');
  const result = $('#lottery-result');
  showNotice($('#lottery-error'), '');
  result.hidden = true;
  state.spinning = true;
  setBusy(button, true, '抽奖中…');
  let reply;
  try {
    reply = await api('/api/v1/draws', { method: 'POST', token: state.token });
  } catch (error) {
    state.spinning = false;
    setBusy(button, false);
    if (handleAuthError(error)) return;
    showNotice($('#lottery-error'), errorMessage(error));
    if (error instanceof ApiError && error.code === 'no_draws_available') {
      state.me.draws_available = 0;
      renderDrawCount();
    }
    return;
  }
  await state.wheel.spin(Boolean(reply.prize));
  state.spinning = false;
  setBusy(button, false);
  clear(result);
  result.classList.toggle('lottery__result--won', Boolean(reply.prize));
  if (reply.prize) {
    result.append(el('p', { className: 'lottery__result-title', text: '恭喜你，中奖了！' }),
      el('p', { className: 'lottery__prize' }, '获得 ', el('strong', { className: 'lottery__prize-name', text: reply.prize.name })));
  } else {
    result.append(el('p', { className: 'lottery__result-title', text: '谢谢参与' }),
      el('p', { className: 'lottery__prize', text: '这次没有抽中，明天答题再来试试手气！' }));
  }
  result.hidden = false;
  if (state.me) state.me.draws_available = reply.draws_available;
  renderDrawCount();
}

// ---------------------------------------------------------------------------------------------
// Records

async function showRecords() {
  const drawsBox = clear($('#records-draws'));
  drawsBox.append(loadingRow());
  clear($('#records-profile'));
  clear($('#records-totals'));
  showScreen('records', { focus: $('#records-title') });
  try {
    const [me, draws] = await Promise.all([
      api('/api/v1/me', { token: state.token }),
      api('/api/v1/draws', { token: state.token }),
    ]);
    state.me = me;
    const profileList = $('#records-profile');
    const row = (label, value) => el('div', { className: 'profile-list__row' }, el('dt', { text: label }), el('dd', { text: value }));
    profileList.append(row('姓名', me.name || '—'), row('手机', me.phone_masked), row('地区', me.region?.name ?? '—'), row('单位', me.unit?.name ?? '社会公众'));
    $('#records-totals').append(stat('参与次数', me.totals.attempts, '次'), stat('答对题数', me.totals.correct, '题'), stat('累计积分', me.totals.points, '分'));
    clear(drawsBox);
    if (draws.items.length === 0) {
      drawsBox.append(el('p', { className: 'empty', text: me.draws_available > 0 ? `还没有抽奖记录，你有 ${me.draws_available} 次机会可以使用。` : '还没有抽奖记录。' }));
    } else {
      const list = el('ul', { className: 'draw-list' });
      for (const draw of [...draws.items].reverse()) {
        list.append(el('li', { className: `draw-list__item${draw.prize ? ' draw-list__item--won' : ''}` },
          el('span', { className: 'draw-list__what', text: draw.prize ? draw.prize.name : '谢谢参与' }),
          el('time', { className: 'draw-list__when', attrs: { datetime: draw.at }, text: dateTime(draw.at, state.competition.timezone) })));
      }
      drawsBox.append(list);
    }
    if (me.draws_available > 0 && state.competition.open) {
      drawsBox.append(el('button', { className: 'btn btn--accent btn--block', text: `去抽奖（${me.draws_available} 次机会）`, attrs: { type: 'button' }, on: { click: showLottery } }));
    }
  } catch (error) {
    if (handleAuthError(error)) return;
    clear(drawsBox).append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `记录加载失败：${errorMessage(error)}` }));
  }
}

// ---------------------------------------------------------------------------------------------

function setup() {
  setupLogin();
  setupProfile();
  setupQuiz();
  $('#start-button').addEventListener('click', startAttempt);
  $('#go-lottery').addEventListener('click', showLottery);
  $('#go-records').addEventListener('click', showRecords);
  $('#logout').addEventListener('click', () => {
    saveToken(null);
    state.me = null;
    showHome();
    $('#login-phone').focus();
  });
  $('#result-lottery').addEventListener('click', showLottery);
  $('#result-share').addEventListener('click', shareResult);
  $('#result-home').addEventListener('click', () => loadMe());
  $('#spin-button').addEventListener('click', spin);
  $('#lottery-home').addEventListener('click', () => loadMe());
  $('#lottery-records').addEventListener('click', showRecords);
  $('#records-home').addEventListener('click', () => loadMe());
  init();
}

setup();

// The campaign's reporting forms (宁安办〔2021〕66号 附件1 and 附件2): an office fills its own forms,
// saves drafts and submits versions; an office with a region sees who in its area has and has not
// filed, the counts summed, and exports them. The forms are drawn from the field definitions the
// server sends (GET /api/v1/admin/reporting/forms/{form}), so labels and limits live in one place.
// Uses the dashboard's sign-in (the token in sessionStorage).
import { api, apiBlob, ApiError, errorMessage, withQuery } from './api.js';
import { $, $$, el, clear, setText, setBusy, showNotice } from './dom.js';

const TOKEN_KEY = 'anquanli.admin.token';
const FORMS = { progress: '附件1 活动进展情况统计表', contacts: '附件2 联络员反馈表' };
const STATE_TEXT = { submitted: '已报送', late: '逾期报送', draft: '草稿未报送', not_started: '未填报' };

const state = { token: readToken(), form: 'progress', definition: null };

function readToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

const call = (path, options = {}) => api(path, { ...options, token: state.token });
const formPath = (form) => `/api/v1/admin/reporting/forms/${form}`;

// "2021-06-16T09:02:55.612+08:00" → "2021-06-16 09:02"
function shortTime(text) {
  return typeof text === 'string' ? text.slice(0, 16).replace('T', ' ') : '';
}

function signedOut() {
  $('#page-loading').hidden = true;
  $('#workspace').hidden = true;
  $('#signed-out').hidden = false;
}

// ---- the form ----

function inputFor(field, value) {
  const id = `field-${field.key}`;
  const common = { id, name: field.key, className: 'input', attrs: { 'aria-required': field.required ? 'true' : 'false' } };
  if (field.kind === 'gender') {
    return el('select', { ...common, className: 'input select' },
      el('option', { value: '', text: '请选择' }),
      el('option', { value: '男', text: '男', selected: value === '男' }),
      el('option', { value: '女', text: '女', selected: value === '女' }));
  }
  const input = el('input', common);
  if (field.kind === 'count') {
    Object.assign(input, { type: 'number', min: 0, max: field.max, step: 1, inputMode: 'numeric' });
  } else if (field.kind === 'date') {
    input.type = 'date';
  } else {
    input.type = { email: 'email', phone: 'tel', mobile: 'tel' }[field.kind] ?? 'text';
    input.maxLength = field.max_length;
  }
  input.value = value ?? '';
  return input;
}

function fieldBox(field, value) {
  return el('div', { className: 'field', dataset: { key: field.key } },
    el('label', { className: 'field__label', attrs: { for: `field-${field.key}` }, text: field.required ? `${field.label} *` : field.label }),
    inputFor(field, value));
}

// The fields in fieldsets: the header first, then one per 活动项目.
function drawForm(definition, values) {
  const box = $('#form-fields');
  clear(box);
  const groups = new Map();
  for (const field of definition.fields) {
    const name = field.group || (definition.form === 'progress' ? '填报信息' : '联络员信息');
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(field);
  }
  for (const [name, fields] of groups) {
    box.append(el('fieldset', { className: 'fieldset' },
      el('legend', { className: 'section-title', text: name }),
      el('div', { className: 'grid-2' }, fields.map((field) => fieldBox(field, values[field.key])))));
  }
}

// What the form holds, as the API takes it: counts as numbers, blanks left out.
function collect() {
  const fields = {};
  for (const field of state.definition.fields) {
    const value = $(`#field-${field.key}`).value.trim();
    if (value === '') continue;
    fields[field.key] = field.kind === 'count' && /^\d+$/.test(value) ? Number(value) : value;
  }
  return { fields };
}

function markInvalid(key) {
  for (const input of $$('#form-fields [aria-invalid]')) input.removeAttribute('aria-invalid');
  if (!key) return;
  const input = $(`#field-${key}`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

function drawVersions(versions) {
  const box = $('#versions');
  clear(box);
  if (versions.length === 0) {
    box.append(el('p', { className: 'empty', text: '尚未提交。' }));
    return;
  }
  const labels = new Map(state.definition.fields.map((field) => [field.key, field.label]));
  for (const version of [...versions].reverse()) {
    const summary = `第 ${version.version} 版 · ${shortTime(version.submitted_at)} · ${version.submitted_by}${version.late ? ' · 逾期报送' : ''}`;
    box.append(el('details', { className: 'card', dataset: { version: version.version } },
      el('summary', { text: summary }),
      el('dl', { className: 'profile-list' }, state.definition.fields.map((field) => el('div', { className: 'profile-list__row' },
        el('dt', { text: labels.get(field.key) }),
        el('dd', { text: version.fields[field.key] ?? '—' }))))));
  }
}

async function loadForm(form) {
  state.form = form;
  for (const tab of $$('.tab')) tab.setAttribute('aria-selected', String(tab.dataset.form === form));
  $('#form-panel').setAttribute('aria-labelledby', `tab-${form}`);
  $('#form-notice').hidden = true;
  const definition = await call(formPath(form));
  state.definition = definition;
  setText($('#form-title'), definition.title);
  setText($('#filer-name'), `填报单位：${definition.filer.name}`);
  setText($('#form-due'), `报送截止日期：${definition.due}${definition.draft ? `；草稿保存于 ${shortTime(definition.draft.saved_at)}` : ''}`);
  const latest = definition.versions[definition.versions.length - 1];
  drawForm(definition, definition.draft?.fields ?? latest?.fields ?? {});
  drawVersions(definition.versions);
}

async function save(submit) {
  const button = submit ? $('#submit-form') : $('#save-draft');
  setBusy(button, true, submit ? '正在提交…' : '正在保存…');
  markInvalid(null);
  try {
    const body = collect();
    if (submit) {
      const made = await call(`${formPath(state.form)}/submit`, { method: 'POST', body });
      await loadForm(state.form);
      showNotice($('#form-notice'), `已提交第 ${made.version} 版${made.late ? '（已过截止日期，记为逾期报送）' : ''}。`, 'success');
      refreshOverview();
    } else {
      const saved = await call(formPath(state.form), { method: 'PUT', body });
      showNotice($('#form-notice'), `草稿已保存（${shortTime(saved.draft.saved_at)}），尚未提交。`, 'success');
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) { signedOut(); return; }
    showNotice($('#form-notice'), errorMessage(error));
    markInvalid(error?.body?.field);
  } finally {
    setBusy(button, false);
  }
}

// ---- the area's overview ----

function drawTotals(form, summary) {
  const box = $('#overview-totals');
  clear(box);
  if (form !== 'progress' || !summary.totals || !state.progressFields) return;
  const rows = state.progressFields.filter((field) => field.kind === 'count').map((field) => el('tr', {},
    el('th', { scope: 'row', text: field.label }),
    el('td', { text: String(summary.totals[field.key] ?? 0) })));
  box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table', id: 'overview-sums' },
    el('caption', { text: '已报送单位合计' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '项目' }), el('th', { scope: 'col', text: '合计' }))),
    el('tbody', {}, rows))));
}

async function refreshOverview() {
  const form = $('#overview-form').value;
  let status;
  try {
    status = await call(withQuery('/api/v1/admin/reporting/status', { form }));
  } catch (error) {
    // An account filing for a member unit sees only its own forms.
    if (error instanceof ApiError && error.status === 403) { $('#overview').hidden = true; return; }
    throw error;
  }
  if (!state.progressFields) state.progressFields = (await call(formPath('progress'))).fields;
  $('#overview').hidden = false;
  const { summary } = status;
  setText($('#overview-summary'), `应报 ${summary.expected} 个，已报送 ${summary.submitted + summary.late} 个（其中逾期 ${summary.late} 个），草稿 ${summary.draft} 个，未填报 ${summary.not_started} 个。截止日期 ${status.due}。`);
  setText($('#overview-caption'), `${FORMS[form]}：各单位填报情况`);
  const body = $('#overview-table tbody');
  clear(body);
  for (const item of status.items) {
    body.append(el('tr', { dataset: { state: item.state } },
      el('th', { scope: 'row', text: item.name }),
      el('td', { text: item.region.name }),
      el('td', {}, el('span', { className: `tag tag--${item.state}`, text: STATE_TEXT[item.state] })),
      el('td', { text: item.version ?? '' }),
      el('td', { text: shortTime(item.submitted_at) })));
  }
  drawTotals(form, summary);
}

async function exportAs(format) {
  const button = format === 'xlsx' ? $('#export-xlsx') : $('#export-csv');
  setBusy(button, true, '正在导出…');
  try {
    const form = $('#overview-form').value;
    const { blob, filename } = await apiBlob(withQuery('/api/v1/admin/reporting/export', { form, format }), { token: state.token });
    const link = el('a', { href: URL.createObjectURL(blob), download: filename ?? `reporting-${form}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    showNotice($('#export-status'), `已导出 ${filename ?? ''}`, 'success');
  } catch (error) {
    showNotice($('#export-status'), errorMessage(error));
  } finally {
    setBusy(button, false);
  }
}

async function start() {
  if (!state.token) { signedOut(); return; }
  try {
    const me = await call('/api/v1/admin/me');
    setText($('#overview-scope'), `统计范围：${me.region.name}`);
    await loadForm('progress');
    $('#page-loading').hidden = true;
    $('#workspace').hidden = false;
    await refreshOverview();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) { signedOut(); return; }
    $('#page-loading').hidden = true;
    showNotice($('#global-notice'), errorMessage(error));
  }
}

for (const tab of $$('.tab')) {
  tab.addEventListener('click', () => loadForm(tab.dataset.form).catch((error) => showNotice($('#form-notice'), errorMessage(error))));
}
$('#save-draft').addEventListener('click', () => save(false));
$('#report-form').addEventListener('submit', (event) => { event.preventDefault(); save(true); });
$('#overview-form').addEventListener('change', () => refreshOverview().catch((error) => showNotice($('#export-status'), errorMessage(error))));
$('#export-xlsx').addEventListener('click', () => exportAs('xlsx'));
$('#export-csv').addEventListener('click', () => exportAs('csv'));
start();

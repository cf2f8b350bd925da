// 通报快照: the office freezes the bulletin it is looking at (POST /api/v1/admin/bulletins) and
// downloads any snapshot it may see, in any format, with the numbers it was taken with. Kept apart
// from admin.js, which hands over the token, the current query and its error handling.
import { api, apiBlob, errorMessage, withQuery } from './api.js';
import { el, $, clear, setBusy, showNotice, loadingRow } from './dom.js';
import { dateTime, number } from './format.js';

const LEVEL_NAMES = { city: '各市', county: '各县（市、区）', unit: '各单位' };
const RANK_BY_NAMES = { participants: '干部职工参与人数', rate: '完成率', points: '积分', attempts: '参与人次' };
const FORMATS = [['pdf', 'PDF'], ['xlsx', 'Excel'], ['csv', 'CSV'], ['html', '网页']];

let context = null; // { token(), query(), onAuthError(error) }

function status(text, kind = 'info') {
  showNotice($('#snapshot-status'), text, kind);
}

async function save(id, format, button) {
  setBusy(button, true, '…');
  try {
    const path = withQuery(`/api/v1/admin/bulletins/${id}`, { format });
    const { blob, filename } = await apiBlob(path, { token: context.token() });
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, attrs: { download: filename || `snapshot-${id}.${format}` }, className: 'visually-hidden' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    if (!context.onAuthError(error)) status(`下载失败：${errorMessage(error)}`, 'error');
  } finally {
    setBusy(button, false);
  }
}

function row(snapshot) {
  const downloads = el('td', { className: 'nowrap' }, ...FORMATS.map(([format, label]) => {
    const button = el('button', { className: 'btn btn--ghost btn--small', text: label, attrs: { type: 'button', 'data-format': format } });
    button.addEventListener('click', () => save(snapshot.id, format, button));
    return button;
  }));
  const scope = `${snapshot.region.name}${snapshot.sector ? `（${snapshot.sector}）` : ''}`;
  return el('tr', { attrs: { 'data-snapshot': String(snapshot.id) } },
    el('td', { className: 'num', text: String(snapshot.id) }),
    el('td', { className: 'nowrap', text: dateTime(snapshot.created_at) }),
    el('th', { className: 'name-cell', attrs: { scope: 'row' }, text: `${scope} ${LEVEL_NAMES[snapshot.level]}` }),
    el('td', { className: 'nowrap', text: `${snapshot.from} 至 ${snapshot.to}` }),
    el('td', { className: 'nowrap hide-narrow', text: RANK_BY_NAMES[snapshot.rank_by] }),
    el('td', { className: 'num', text: number(snapshot.participants) }),
    el('td', { className: 'nowrap hide-narrow', text: snapshot.previous_id ? `对比 #${snapshot.previous_id}` : '—' }),
    downloads);
}

export async function loadSnapshots() {
  const box = clear($('#snapshots'));
  box.append(loadingRow());
  try {
    const { items } = await api('/api/v1/admin/bulletins', { token: context.token() });
    clear(box);
    if (!items.length) {
      box.append(el('p', { className: 'empty', text: '还没有快照。生成快照后，其中的数字不再随新的答题变化，可随时按原样下载。' }));
      return;
    }
    const headings = ['编号', '生成时间', '范围', '统计期间', '排名依据', '参与人数', '排名变化', '下载']
      .map((text, at) => el('th', { text, className: [4, 6].includes(at) ? 'hide-narrow' : '', attrs: { scope: 'col' } }));
    box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table' },
      el('caption', { className: 'visually-hidden', text: '已生成的通报快照，最新的在前' }),
      el('thead', {}, el('tr', {}, ...headings)),
      el('tbody', {}, ...items.map(row)))));
  } catch (error) {
    clear(box);
    if (!context.onAuthError(error)) box.append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `快照加载失败：${errorMessage(error)}` }));
  }
}

async function take(button) {
  const query = context.query();
  if (query.error) {
    status(query.error, 'error');
    return;
  }
  const title = $('#snapshot-title').value.trim();
  const body = { from: query.from, to: query.to, region: query.region, level: query.level, rank_by: query.rank_by };
  if (query.sector) body.sector = query.sector;
  if (title) body.title = title;
  setBusy(button, true, '正在生成…');
  status('');
  try {
    const snapshot = await api('/api/v1/admin/bulletins', { method: 'POST', body, token: context.token() });
    status(`已生成快照 #${snapshot.id}（${dateTime(snapshot.created_at)}，参与 ${number(snapshot.participants)} 人）。其中的数字今后不会改变。`, 'success');
    await loadSnapshots();
  } catch (error) {
    if (!context.onAuthError(error)) status(`生成失败：${errorMessage(error)}`, 'error');
  } finally {
    setBusy(button, false);
  }
}

// `options`: token() → the office token, query() → the dashboard's query or {error},
// onAuthError(error) → true when it handled a 401.
export function setupSnapshots(options) {
  const first = context === null;
  context = options;
  if (first) $('#take-snapshot').addEventListener('click', (event) => take(event.currentTarget));
  loadSnapshots();
}

// 参与者查询 (issue 17): the office finds a participant who calls the hotline by phone number
// (GET /api/v1/admin/participants?phone=) and may correct their region or unit for challenges
// from then on (POST /api/v1/admin/participants/{id}/correction). Every lookup is audited by the
// server; this panel only shows what the account's scope allows.

import { api, errorMessage, withQuery } from './api.js';
import { el, $, clear, setBusy, showNotice, loadingRow } from './dom.js';
import { dateTime, number } from './format.js';

const STATUS = { finished: '已完成', expired: '已超时', in_progress: '进行中' };
const DELIVERY = { no_prize: '未中奖', unclaimed: '待填写收货信息', claimed: '待寄出', sent: '已寄出' };

// context: { token(), timezone, regions: { byCode, root }, onAuthError(error) → bool }
export function setupParticipantLookup(context) {
  const form = $('#lookup-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search(context);
  });
}

async function search(context) {
  const phone = $('#lookup-phone').value.trim();
  const box = clear($('#lookup-result'));
  const notice = $('#lookup-error');
  notice.hidden = true;
  if (!/^1[3-9]\d{9}$/.test(phone)) {
    showNotice(notice, '请输入正确的 11 位手机号码');
    return;
  }
  box.append(loadingRow('正在查询…'));
  try {
    const file = await api(withQuery('/api/v1/admin/participants', { phone }), { token: context.token() });
    render(context, box, file);
  } catch (error) {
    clear(box);
    if (context.onAuthError(error)) return;
    showNotice(notice, error.status === 404 ? '未找到该参与者（或不在本账号管辖范围内）' : errorMessage(error));
  }
}

const refText = (ref) => (ref ? ref.name : '—');
const placeText = (place) => `${refText(place.region)} · ${place.unit ? place.unit.name : '社会公众'}`;

function table(caption, headers, rows) {
  return el('div', { className: 'table-wrap' }, el('table', { className: 'table' },
    el('caption', { className: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
    el('tbody', {}, rows)));
}

function render(context, box, file) {
  const tz = context.timezone;
  const p = file.participant;
  clear(box);
  box.append(el('dl', { className: 'lookup-profile', id: 'lookup-profile' },
    ...[['手机号', p.phone], ['姓名', p.name || '—'], ['地区', refText(p.region)],
      ['单位', p.unit ? `${p.unit.name}${p.unit.sector ? `（${p.unit.sector}）` : ''}` : '社会公众'],
      ['注册时间', dateTime(p.joined_at, tz)], ['同意隐私说明', p.consent_at ? dateTime(p.consent_at, tz) : '未同意'],
      ['抽奖机会', `${number(p.draws_earned)} 次，已用 ${number(p.draws_used)} 次`]]
      .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
  box.append(el('h3', { className: 'card__subtitle', text: `答题记录（${file.challenges.length} 次）` }));
  box.append(file.challenges.length ? table('答题记录', ['日期', '状态', '答对', '得分', '计入地区和单位', '核查'],
    file.challenges.map((c) => el('tr', {},
      el('td', { className: 'nowrap', text: c.day }), el('td', { text: STATUS[c.status] ?? c.status }),
      el('td', { className: 'num', text: c.correct ?? '—' }), el('td', { className: 'num', text: c.points ?? '—' }),
      el('td', { text: c.region ? placeText(c) : '—' }),
      el('td', {}, c.flagged ? el('span', { className: 'flag', text: '疑似机器答题' }) : '—'))))
    : el('p', { className: 'empty', text: '还没有答题记录。' }));
  box.append(el('h3', { className: 'card__subtitle', text: `抽奖和奖品（${file.draws.length} 次）` }));
  box.append(file.draws.length ? table('抽奖和奖品', ['时间', '奖品', '寄送'],
    file.draws.map((d) => el('tr', {},
      el('td', { className: 'nowrap', text: dateTime(d.at, tz) }), el('td', { text: d.prize ? d.prize.name : '未中奖' }),
      el('td', { text: DELIVERY[d.delivery] + (d.sent_at ? ` ${dateTime(d.sent_at, tz)}` : '') }))))
    : el('p', { className: 'empty', text: '还没有抽奖记录。' }));
  if (file.corrections.length) {
    box.append(el('h3', { className: 'card__subtitle', text: '更正记录' }), table('更正记录', ['时间', '操作人', '原地区和单位', '新地区和单位', '原因'],
      file.corrections.map((c) => el('tr', {},
        el('td', { className: 'nowrap', text: dateTime(c.at, tz) }), el('td', { text: c.by }),
        el('td', { text: placeText(c.from) }), el('td', { text: placeText(c.to) }), el('td', { text: c.reason })))));
  }
  box.append(correctionForm(context, box, file));
}

// Leaf regions (counties) under the account's own region.
function leafRegions(regions) {
  const out = [];
  const walk = (region) => {
    if (!region.children.length) out.push(region);
    region.children.forEach(walk);
  };
  if (regions.root) walk(regions.root);
  return out;
}

function correctionForm(context, box, file) {
  const p = file.participant;
  const region = el('select', { className: 'input select', id: 'correction-region' },
    leafRegions(context.regions).map((r) => el('option', { value: r.code, text: r.name, selected: r.code === p.region?.code })));
  const unit = el('select', { className: 'input select', id: 'correction-unit' });
  const reason = el('input', { className: 'input', id: 'correction-reason', maxLength: 200, required: true, placeholder: '如：热线来电，单位选错' });
  const notice = el('div', { className: 'notice', attrs: { role: 'alert' }, hidden: true });
  const submit = el('button', { className: 'btn btn--primary', id: 'correction-submit', text: '保存更正', attrs: { type: 'submit' } });
  const loadUnits = async () => {
    clear(unit).append(el('option', { value: '', text: '社会公众（无单位）' }));
    const found = await api(withQuery('/api/v1/units', { region: region.value, parents: 'true', limit: 50 }));
    for (const u of found.items) unit.append(el('option', { value: u.id, text: u.name, selected: u.id === p.unit?.id }));
  };
  region.addEventListener('change', () => loadUnits().catch(() => {}));
  loadUnits().catch(() => {});
  const form = el('form', { className: 'form correction-form', id: 'correction-form', attrs: { novalidate: true } },
    el('h3', { className: 'card__subtitle', text: '更正地区或单位' }),
    el('p', { className: 'card__lead', text: '更正只影响此后的答题；已计入的答题、积分和通报数字保持不变。' }),
    el('label', { className: 'field' }, el('span', { className: 'field__label', text: '地区' }), region),
    el('label', { className: 'field' }, el('span', { className: 'field__label', text: '单位' }), unit),
    el('label', { className: 'field' }, el('span', { className: 'field__label', text: '更正原因' }), reason),
    notice, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    notice.hidden = true;
    if (!reason.value.trim()) {
      showNotice(notice, '请填写更正原因');
      return;
    }
    setBusy(submit, true, '正在保存…');
    try {
      const body = { region: region.value, unit: unit.value || null, reason: reason.value.trim() };
      const updated = await api(`/api/v1/admin/participants/${p.id}/correction`, { method: 'POST', body, token: context.token() });
      render(context, box, updated);
      showNotice($('#lookup-error'), '已保存更正，此后的答题将计入新的地区和单位。', 'success');
    } catch (error) {
      setBusy(submit, false);
      if (context.onAuthError(error)) return;
      showNotice(notice, errorMessage(error));
    }
  });
  return form;
}

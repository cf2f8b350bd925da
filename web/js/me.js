// The "我的" page: who the participant is and their totals, their rank at each level of their
// region, their challenges with the review (解析回顾) of each closed one, the 错题本, their prizes
// with the delivery form (收货信息), and the share card of their latest challenge.
import { api, ApiError, errorMessage } from './api.js';
import { el, $, clear, setText, setBusy, showNotice, loadingRow } from './dom.js';
import { dateTime } from './format.js';
import { openShareDialog } from './share.js';

const TOKEN_KEY = 'anquanli.token';
const STATUS_NAMES = { finished: '已完成', expired: '已超时', in_progress: '进行中' };
const state = { token: null, competition: null, me: null, regions: new Map(), history: [] };

function stat(label, value, unit) {
  return el('div', { className: 'stats__item' },
    el('dt', { className: 'stats__label', text: label }),
    el('dd', { className: 'stats__value' }, String(value), unit ? el('small', { text: unit }) : null));
}

function failure(box, what, error) {
  clear(box).append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `${what}加载失败：${errorMessage(error)}` }));
}

function optionText(options, keys) {
  if (!keys.length) return '未作答';
  return keys.map((key) => {
    const option = options.find((o) => o.key === key);
    return option ? `${key}. ${option.text}` : key;
  }).join('；');
}

function renderHead() {
  const me = state.me;
  setText($('#me-who'), `${me.name || '—'} · ${me.phone_masked} · ${[me.region?.name, me.unit?.name ?? '社会公众'].filter(Boolean).join(' · ')}`);
  clear($('#me-totals')).append(stat('参与次数', me.totals.attempts, '次'), stat('答对题数', me.totals.correct, '题'), stat('累计积分', me.totals.points, '分'));
  const ranks = clear($('#me-ranks'));
  if (!me.ranks.length) ranks.append(el('p', { className: 'empty', text: '完成一次挑战后即可查看排名' }));
  for (const rank of me.ranks) {
    ranks.append(stat(state.regions.get(rank.region_code) ?? rank.region_code,
      rank.rank ? `第${rank.rank}名` : '未上榜', `共 ${rank.of} 人`));
  }
}

function reviewList(attempt) {
  const list = el('ol', { className: 'review', attrs: { 'aria-label': `${attempt.day} 解析回顾` } });
  for (const item of attempt.review) {
    const verdict = item.correct ? '答对' : item.timed_out ? '超时' : '答错';
    list.append(el('li', { className: `review__item review__item--${item.correct ? 'right' : 'wrong'}` },
      el('p', { className: `review__verdict review__verdict--${item.correct ? 'right' : 'wrong'}`, text: `第 ${item.position + 1} 题 · ${verdict}` }),
      el('p', { className: 'question__stem', text: item.stem }),
      el('p', { className: 'review__line', text: `你的答案：${optionText(item.options, item.choice)}` }),
      el('p', { className: 'review__line', text: `正确答案：${optionText(item.options, item.correct_choice)}` }),
      el('p', { className: 'review__line', text: `解析：${item.explanation || '暂无'}` }),
      item.source ? el('p', { className: 'list__meta', text: `依据：${item.source}` }) : null));
  }
  return list;
}

async function toggleReview(item, button, box) {
  if (!box.hidden) {
    box.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    setText(button, '查看解析');
    return;
  }
  box.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  setText(button, '收起解析');
  if (box.firstChild) return;
  box.append(loadingRow());
  try {
    const attempt = await api(`/api/v1/attempts/${item.id}`, { token: state.token });
    clear(box).append(reviewList(attempt));
  } catch (error) { failure(box, '解析', error); }
}

async function loadHistory() {
  const box = clear($('#me-history'));
  box.append(loadingRow());
  try {
    const reply = await api('/api/v1/me/attempts', { token: state.token });
    state.history = reply.items;
    clear(box);
    if (!reply.items.length) box.append(el('li', { className: 'empty', text: '还没有答题记录' }));
    for (const item of reply.items) {
      const closed = item.status !== 'in_progress';
      const review = el('div', { id: `review-${item.id}`, hidden: true });
      const button = closed ? el('button', {
        className: 'btn btn--secondary btn--small', text: '查看解析',
        attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': `review-${item.id}` },
      }) : null;
      button?.addEventListener('click', () => toggleReview(item, button, review));
      box.append(el('li', { className: 'list__item', dataset: { attempt: item.id } },
        el('span', { className: 'list__head' }, el('span', { text: item.day }), el('span', { text: STATUS_NAMES[item.status] })),
        el('span', { className: 'list__meta', text: closed ? `答对 ${item.correct}/${item.questions_total} 题 · ${item.points} 分 · 抽奖机会 ${item.draws_earned} 次` : '尚未完成' }),
        button, review));
    }
    $('#me-share').hidden = !reply.items.some((item) => item.status !== 'in_progress');
  } catch (error) { failure(box, '答题记录', error); }
}

async function loadMistakes() {
  const box = clear($('#me-mistakes'));
  box.append(loadingRow());
  try {
    const reply = await api('/api/v1/me/mistakes', { token: state.token });
    clear(box);
    if (!reply.items.length) box.append(el('li', { className: 'empty', text: '错题本是空的，继续保持！' }));
    for (const item of reply.items) {
      box.append(el('li', { className: 'list__item' },
        el('p', { className: 'question__stem', text: item.stem }),
        el('p', { className: 'review__line', text: `正确答案：${optionText(item.options, item.correct_choice)}` }),
        el('p', { className: 'review__line', text: `解析：${item.explanation || '暂无'}` }),
        el('p', { className: 'list__meta', text: `答错 ${item.times_wrong} 次${item.source ? ` · 依据：${item.source}` : ''}` })));
    }
    $('#me-practise-mistakes').hidden = reply.items.length === 0 || !state.competition.practice?.enabled;
  } catch (error) { failure(box, '错题本', error); }
}

function field(id, label, attrs) {
  return el('div', { className: 'field' },
    el('label', { className: 'field__label', attrs: { for: id }, text: label }),
    el('input', { className: 'input', id, attrs: { required: true, ...attrs } }));
}

function claimForm(draw) {
  const id = draw.draw_id;
  const notice = el('div', { className: 'notice', attrs: { role: 'alert' }, hidden: true });
  const submit = el('button', { className: 'btn btn--primary btn--block', text: draw.claim?.claimed_at ? '修改收货信息' : '提交收货信息', attrs: { type: 'submit' } });
  const form = el('form', { className: 'form', attrs: { novalidate: true, 'aria-label': `${draw.prize.name}的收货信息` } },
    field(`claim-recipient-${id}`, '收件人', { autocomplete: 'name', maxlength: 32 }),
    field(`claim-phone-${id}`, '收件电话', { type: 'tel', inputmode: 'numeric', autocomplete: 'tel', maxlength: 11 }),
    field(`claim-address-${id}`, '收货地址', { autocomplete: 'street-address', maxlength: 200 }),
    notice, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      recipient: $(`#claim-recipient-${id}`).value.trim(),
      phone: $(`#claim-phone-${id}`).value.trim(),
      address: $(`#claim-address-${id}`).value.trim(),
    };
    setBusy(submit, true, '正在提交…');
    try {
      await api(`/api/v1/draws/${id}/claim`, { method: 'PUT', token: state.token, body });
      showNotice(notice, '收货信息已提交，奖品寄出后将在此显示。', 'success');
    } catch (error) {
      showNotice(notice, errorMessage(error));
    } finally {
      setBusy(submit, false);
    }
  });
  return form;
}

async function loadPrizes() {
  const box = clear($('#me-prizes'));
  box.append(loadingRow());
  try {
    const reply = await api('/api/v1/draws', { token: state.token });
    const won = reply.items.filter((draw) => draw.prize);
    clear(box);
    if (!won.length) box.append(el('li', { className: 'empty', text: '还没有抽中奖品' }));
    for (const draw of won) {
      const sent = draw.claim?.sent_at;
      const status = sent ? `已寄出（${dateTime(sent, state.competition.timezone)}）`
        : draw.claim?.claimed_at ? '已提交收货信息，等待寄出' : '请填写收货信息';
      box.append(el('li', { className: 'list__item' },
        el('span', { className: 'list__head' }, el('span', { text: draw.prize.name }), el('span', { text: status })),
        el('span', { className: 'list__meta', text: `中奖时间：${dateTime(draw.at, state.competition.timezone)}` }),
        sent ? null : claimForm(draw)));
    }
  } catch (error) { failure(box, '奖品', error); }
}

function share() {
  const latest = state.history.find((item) => item.status !== 'in_progress');
  if (!latest) return;
  const last = state.me.ranks[state.me.ranks.length - 1];
  openShareDialog({
    title: state.competition.title,
    name: state.me.name,
    correct: latest.correct,
    total: latest.questions_total,
    points: latest.points,
    rank: last ? { ...last, region_name: state.regions.get(last.region_code) ?? '' } : null,
    day: latest.day,
    url: location.origin,
  });
}

async function init() {
  try { state.token = localStorage.getItem(TOKEN_KEY); } catch { /* none */ }
  if (!state.token) {
    $('#me-signed-out').hidden = false;
    return;
  }
  try {
    const [competition, regions, me] = await Promise.all([
      api('/api/v1/competition'), api('/api/v1/regions'), api('/api/v1/me', { token: state.token })]);
    state.competition = competition;
    state.me = me;
    for (const region of regions.items) state.regions.set(region.code, region.name);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      $('#me-signed-out').hidden = false;
      return;
    }
    showNotice($('#global-notice'), `页面加载失败：${errorMessage(error)}`);
    return;
  }
  setText($('#brand-title'), state.competition.title);
  $('#me-content').hidden = false;
  renderHead();
  $('#me-share').addEventListener('click', share);
  await Promise.all([loadHistory(), loadMistakes(), loadPrizes()]);
  document.body.dataset.ready = 'true';
}

init();

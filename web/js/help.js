// /help: the rules (from the competition's settings), the prizes with their stock, the 中奖公示
// (masked), the draws' seed commitments, the contact numbers and the privacy notice.
import { api, errorMessage } from './api.js';
import { el, $, clear, setText, showNotice } from './dom.js';
import { longDay, dateTime } from './format.js';

function failed(box, what, error) {
  clear(box).append(el('div', { className: 'notice notice--error', attrs: { role: 'alert' }, text: `${what}加载失败：${errorMessage(error)}` }));
}

function renderRules(c) {
  setText($('#help-window'), `活动时间：${longDay(c.starts_on)} — ${longDay(c.ends_on)}`);
  const rules = [
    `每天可挑战 ${c.attempts_per_day} 次，每次 ${c.questions_per_attempt} 道题。`,
    c.question_time_limit_s ? `每题限时 ${c.question_time_limit_s} 秒，超时计为答错。` : '答题不限时。',
    `每答对 ${c.correct_per_draw} 题获得 1 次抽奖机会。`,
    `参与一次得 ${c.points.per_attempt} 分，每答对 1 题得 ${c.points.per_correct} 分${c.points.perfect_bonus ? `，全部答对再加 ${c.points.perfect_bonus} 分` : ''}；积分计入所在地区和单位。`,
  ];
  if (c.practice?.enabled) rules.push(`练功房每天可练习 ${c.practice.per_day} 次，每次 ${c.practice.questions} 题，不计积分。`);
  const list = clear($('#help-rules'));
  for (const text of rules) list.append(el('li', { className: 'rules__item', text }));
  const contacts = clear($('#help-contacts'));
  if (!c.contacts?.length) contacts.append(el('li', { className: 'empty', text: '暂无联系方式' }));
  for (const line of c.contacts ?? []) {
    contacts.append(el('li', { className: 'list__item' }, el('span', { text: line.name }),
      el('a', { href: `tel:${line.phone.replace(/[^0-9+]/g, '')}`, text: line.phone })));
  }
  setText($('#help-privacy'), c.privacy_notice || '暂无隐私声明。');
}

async function loadPrizes() {
  const box = $('#help-prizes');
  try {
    const reply = await api('/api/v1/prizes');
    const list = el('ul', { className: 'list' });
    for (const prize of reply.items) {
      const today = prize.daily_cap === null ? '' : `，今日剩余 ${prize.remaining_today}/${prize.daily_cap}`;
      list.append(el('li', { className: 'list__item' }, el('span', { className: 'list__head', text: prize.name }),
        el('span', { className: 'list__meta', text: `共 ${prize.total} 份，剩余 ${prize.remaining} 份${today}` })));
    }
    clear(box).append(reply.items.length ? list : el('p', { className: 'empty', text: '暂无奖品' }));
  } catch (error) { failed(box, '奖品', error); }
}

async function loadWinners(offset) {
  const box = $('#help-winners');
  try {
    const reply = await api('/api/v1/winners');
    const list = el('ul', { className: 'list' });
    for (const winner of [...reply.items].reverse().slice(0, 50)) {
      list.append(el('li', { className: 'list__item' },
        el('span', { className: 'list__head', text: `${winner.name} ${winner.phone} · ${winner.prize}` }),
        el('span', { className: 'list__meta', text: `${winner.region} · ${dateTime(winner.at, offset)}` })));
    }
    clear(box).append(reply.items.length ? list : el('p', { className: 'empty', text: '暂无中奖记录' }));
  } catch (error) { failed(box, '中奖公示', error); }
}

async function loadCommitments(today) {
  const box = $('#help-commitments');
  try {
    const reply = await api('/api/v1/draws/commitments');
    const shown = reply.items.filter((item) => item.day <= today).slice(-3).reverse();
    const list = el('ul', { className: 'list' });
    for (const item of shown) {
      list.append(el('li', { className: 'list__item' }, el('span', { className: 'list__head', text: item.day }),
        el('span', { className: 'list__meta', text: `承诺值：${item.commitment}` }),
        el('span', { className: 'list__meta', text: item.seed ? `种子：${item.seed}` : '种子将在当天结束后公布' })));
    }
    clear(box).append(list);
  } catch (error) { failed(box, '抽奖承诺', error); }
}

async function init() {
  let competition;
  try {
    competition = await api('/api/v1/competition');
  } catch (error) {
    showNotice($('#global-notice'), `页面加载失败：${errorMessage(error)}`);
    return;
  }
  setText($('#brand-title'), competition.title);
  renderRules(competition);
  await Promise.all([loadPrizes(), loadWinners(competition.timezone), loadCommitments(competition.today)]);
  if (location.hash === '#privacy') $('#privacy').focus();
}

init();

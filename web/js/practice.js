// The 练功房: a practice of random questions (or of the 错题本 with ?mistakes=1 or its button),
// answered one at a time through the attempt routes, each answer followed at once by the correct
// keys and the 解析. Practice counts for nothing: no points, draws or ranks.
import { api, ApiError, errorMessage } from './api.js';
import { el, $, clear, setText, setBusy, showNotice } from './dom.js';

const TOKEN_KEY = 'anquanli.token';
const TYPE_NAMES = { single: '单选题', multiple: '多选题', judge: '判断题' };
const state = { token: null, attempt: null, selected: new Set(), busy: false, right: 0, lastMistakes: false };

function show(name) {
  for (const id of ['practice-signed-out', 'practice-start', 'practice-run', 'practice-done']) $(`#${id}`).hidden = id !== name;
  window.scrollTo(0, 0);
}

async function start(mistakes) {
  state.lastMistakes = mistakes;
  const button = $(mistakes ? '#practice-mistakes' : '#practice-random');
  showNotice($('#practice-error'), '');
  setBusy(button, true, '正在出题…');
  try {
    const category = $('#practice-category-choice').value;
    const body = mistakes ? { mistakes: true } : category ? { category } : {};
    state.attempt = await api('/api/v1/practice', { method: 'POST', token: state.token, body });
    state.right = 0;
    show('practice-run');
    renderQuestion();
  } catch (error) {
    show('practice-start');
    showNotice($('#practice-error'), errorMessage(error), error instanceof ApiError && error.status === 409 ? 'warn' : 'error');
  } finally {
    setBusy(button, false);
  }
}

function renderQuestion() {
  const { current } = state.attempt;
  const question = current.question;
  state.selected = new Set();
  state.busy = false;
  const box = $('#practice-question');
  box.dataset.attempt = state.attempt.id;
  box.dataset.index = current.index;
  setText($('#practice-progress'), `第 ${current.index + 1} / ${state.attempt.questions_total} 题`);
  setText($('#practice-type'), TYPE_NAMES[question.type] ?? '');
  $('#practice-type').dataset.type = question.type;
  setText($('#practice-category'), question.category);
  setText($('#practice-stem'), question.stem);
  const options = clear($('#practice-options'));
  options.className = `options options--${question.type}`;
  const multiple = question.type === 'multiple';
  for (const option of question.options) {
    options.append(el('button', {
      className: 'option', attrs: { type: 'button', 'aria-pressed': multiple ? 'false' : false },
      dataset: { key: option.key }, on: { click: () => choose(option.key) },
    }, el('span', { className: 'option__key', text: option.key }), el('span', { className: 'option__text', text: option.text })));
  }
  const submit = $('#practice-submit');
  submit.hidden = !multiple;
  submit.disabled = true;
  showNotice($('#practice-answer-error'), '');
  $('#practice-feedback').hidden = true;
  $('#practice-stem').focus?.();
}

function choose(key) {
  if (state.busy || !$('#practice-feedback').hidden) return;
  const question = state.attempt.current.question;
  if (question.type !== 'multiple') {
    submit([key]);
    return;
  }
  if (state.selected.has(key)) state.selected.delete(key);
  else state.selected.add(key);
  for (const button of document.querySelectorAll('#practice-options .option')) {
    const on = state.selected.has(button.dataset.key);
    button.classList.toggle('option--selected', on);
    button.setAttribute('aria-pressed', String(on));
  }
  $('#practice-submit').disabled = state.selected.size === 0;
}

async function submit(choice) {
  state.busy = true;
  const { index, question } = state.attempt.current;
  try {
    const reply = await api(`/api/v1/attempts/${state.attempt.id}/answers`, { method: 'POST', token: state.token, body: { index, choice } });
    state.attempt = reply.attempt;
    if (reply.correct) state.right += 1;
    showFeedback(reply, question);
  } catch (error) {
    state.busy = false;
    showNotice($('#practice-answer-error'), errorMessage(error));
  }
}

function showFeedback(reply, question) {
  const correct = new Set(reply.correct_choice);
  for (const button of document.querySelectorAll('#practice-options .option')) {
    button.classList.toggle('option--correct', correct.has(button.dataset.key));
    button.classList.toggle('option--wrong', reply.choice.includes(button.dataset.key) && !correct.has(button.dataset.key));
    button.disabled = true;
  }
  $('#practice-submit').hidden = true;
  const feedback = $('#practice-feedback');
  feedback.classList.toggle('feedback--right', reply.correct);
  feedback.classList.toggle('feedback--wrong', !reply.correct);
  setText($('#practice-verdict'), reply.correct ? '回答正确！' : '回答错误');
  setText($('#practice-correct'), reply.correct_choice.map((key) => {
    const option = question.options.find((o) => o.key === key);
    return option ? `${key}. ${option.text}` : key;
  }).join('；'));
  setText($('#practice-explanation'), `解析：${reply.explanation || '暂无'}`);
  setText($('#practice-source'), reply.source ? `依据：${reply.source}` : '');
  setText($('#practice-next'), reply.attempt.current ? '下一题' : '查看结果');
  feedback.hidden = false;
  $('#practice-verdict').focus({ preventScroll: true });
}

function next() {
  if (state.attempt.current) {
    renderQuestion();
    return;
  }
  setText($('#practice-summary'), `本次练习共 ${state.attempt.questions_total} 题，答对 ${state.right} 题。答错的题目已记入错题本。`);
  show('practice-done');
  $('#practice-done-title').focus();
}

async function init() {
  try { state.token = localStorage.getItem(TOKEN_KEY); } catch { /* none */ }
  if (!state.token) {
    show('practice-signed-out');
    return;
  }
  try {
    const competition = await api('/api/v1/competition');
    setText($('#brand-title'), competition.title);
    if (!competition.practice?.enabled) {
      setText($('#practice-lead'), '练功房暂未开放。');
      $('#practice-random').hidden = true;
      $('#practice-mistakes').hidden = true;
    } else {
      const choice = $('#practice-category-choice');
      for (const category of competition.practice.categories ?? []) choice.append(el('option', { value: category, text: category }));
      $('#practice-category-field').hidden = !competition.practice.categories?.length;
      setText($('#practice-lead'), `每次 ${competition.practice.questions} 题，每天可练习 ${competition.practice.per_day} 次。练习不计积分、不影响排名和抽奖，每题作答后立即显示答案和解析。`);
    }
  } catch (error) {
    showNotice($('#global-notice'), `页面加载失败：${errorMessage(error)}`);
  }
  show('practice-start');
  $('#practice-random').addEventListener('click', () => start(false));
  $('#practice-mistakes').addEventListener('click', () => start(true));
  $('#practice-submit').addEventListener('click', () => submit([...state.selected].sort()));
  $('#practice-next').addEventListener('click', next);
  $('#practice-again').addEventListener('click', () => { show('practice-start'); });
  if (new URLSearchParams(location.search).get('mistakes') === '1') start(true);
}

init();

// 易错知识点 (issue 17): what people get wrong. A category × region heat map of accuracy from
// GET /api/v1/admin/categories/stats (the scope's child regions, one level down), and for each of
// the weakest questions how often each option was chosen (by its text; the correct options and
// the most chosen wrong one marked), from GET /api/v1/admin/questions/stats.

import { api, errorMessage, withQuery } from './api.js';
import { el, $, clear } from './dom.js';
import { number, percent } from './format.js';

let heatChart = null;

// context: { token(), query: { region, from, to } | null, onAuthError(error) → bool }
export async function loadCategoryHeatmap(context) {
  const box = $('#heatmap-chart');
  const note = clear($('#heatmap-note'));
  const q = context.query ?? {};
  try {
    const report = await api(withQuery('/api/v1/admin/categories/stats', { region: q.region, from: q.from, to: q.to }), { token: context.token() });
    renderTotals(report);
    if (!report.categories.length) {
      note.append(el('p', { className: 'empty', text: '还没有已结束的答题，暂无分类统计。' }));
      box.hidden = true;
      return;
    }
    if (!report.regions.length) {
      note.append(el('p', { className: 'empty', text: '本范围没有下级地区，热力图从上一级查看。' }));
      box.hidden = true;
      return;
    }
    box.hidden = false;
    drawHeatmap(box, report);
  } catch (error) {
    if (context.onAuthError(error)) return;
    note.append(el('div', { className: 'notice notice--error', text: `分类统计加载失败：${errorMessage(error)}`, attrs: { role: 'alert' } }));
  }
}

function renderTotals(report) {
  const box = clear($('#category-totals'));
  if (!report.categories.length) return;
  box.append(el('div', { className: 'table-wrap' }, el('table', { className: 'table' },
    el('caption', { className: 'visually-hidden', text: '各分类答题正确率，最低在前' }),
    el('thead', {}, el('tr', {}, ['分类', '作答', '答对', '正确率', '参与人数'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
    el('tbody', {}, report.categories.map((c) => el('tr', {},
      el('th', { className: 'name-cell', text: c.category, attrs: { scope: 'row' } }),
      el('td', { className: 'num', text: number(c.answers) }),
      el('td', { className: 'num', text: number(c.correct) }),
      el('td', { className: 'num', text: c.accuracy === null ? '—' : percent(c.accuracy) }),
      el('td', { className: 'num', text: number(c.participants) })))))));
}

function drawHeatmap(box, report) {
  if (typeof window.echarts === 'undefined') return;
  heatChart ??= window.echarts.init(box, null, { renderer: 'canvas' });
  const categories = report.categories.map((c) => c.category);
  const regions = report.regions.map((r) => r.name);
  const data = [];
  report.regions.forEach((region, y) => region.categories.forEach((c, x) => {
    data.push([x, y, c.accuracy === null ? '-' : Math.round(c.accuracy * 1000) / 10, c.answers]);
  }));
  heatChart.setOption({
    animation: false,
    grid: { left: 110, right: 24, top: 16, bottom: 90 },
    tooltip: {
      formatter: (p) => el('div', { className: 'chart-tip' },
        el('strong', { text: `${regions[p.value[1]]} · ${categories[p.value[0]]}` }),
        el('div', { text: p.value[2] === '-' ? '暂无作答' : `正确率 ${p.value[2]}%，作答 ${number(p.value[3])} 次` })),
    },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: 30 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: regions, splitArea: { show: true } },
    visualMap: {
      dimension: 2, min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      text: ['100%', '0%'], inRange: { color: ['#c92a2a', '#f5a300', '#2f9e44'] },
    },
    series: [{ name: '正确率', type: 'heatmap', data, label: { show: true, formatter: (p) => (p.value[2] === '-' ? '' : `${p.value[2]}%`) } }],
  }, true);
  heatChart.resize();
  window.addEventListener('resize', () => heatChart?.resize());
}

// The option distribution of one question, as a row under it in the weakest questions' table.
export function optionRows(question) {
  const total = question.options.reduce((sum, o) => sum + o.chosen, 0);
  return el('ul', { className: 'option-spread' }, question.options.map((o) => {
    const fill = el('span', { className: 'rate-bar__fill' });
    fill.style.width = `${total ? Math.round((o.chosen / total) * 100) : 0}%`;
    const mark = o.correct ? '（正确答案）' : o.most_chosen_wrong ? '（最多人选的错误答案）' : '';
    return el('li', { className: `option-spread__item${o.correct ? ' is-correct' : ''}${o.most_chosen_wrong ? ' is-misconception' : ''}` },
      el('span', { className: 'option-spread__text', text: `${o.text}${mark}` }),
      el('span', { className: 'num', text: `${number(o.chosen)} 次` }),
      el('span', { className: 'rate-bar', attrs: { 'aria-hidden': 'true' } }, fill));
  }));
}


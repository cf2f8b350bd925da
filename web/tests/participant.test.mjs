// The participant page, driven through Chromium: sign-in, profile, the 15 questions with feedback,
// the result and the prize wheel; resuming after a reload; the refusal of a second challenge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, signInOnPage, fillProfileOnPage, answerOnPage,
  answerAllOnPage, useToken, PRIZE_NAME,
  pageProblems,
} from './harness.mjs';

const env = {};  // the server stack and the browser, set by `before`

before(async () => {
  await startStackAndBrowser(env);
});

after(() => stopStackAndBrowser(env));

function assertClean(page) {
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
}

test('a participant signs in, completes the profile, answers 15 questions and spins the wheel', async () => {
  const page = await newPage(env.browser);
  const phone = newPhone();
  await page.goto(env.stack.baseUrl + '/');
  await page.locator('#home-title').filter({ hasText: '测测你的安全力' }).waitFor();
  const rules = await page.locator('#rules-list').textContent();
  assert.match(rules, /每天可挑战 1 次，每次最多 15 道题/);
  assert.match(rules, /每答对 5 题，获得 1 次大转盘抽奖机会/);
  assert.match(rules, /积分计入你所在的地区和工作单位/);
  assert.match(await page.locator('#home-window').textContent(), /2021年6月1日 — 2021年6月30日/);

  await signInOnPage(page, env.stack, phone);
  await fillProfileOnPage(page, { name: '张测试', city: '银川市', county: '兴庆区', unitQuery: '应急管理局', unitName: '（演示）兴庆区应急管理局' });
  await page.getByRole('button', { name: '保存并继续' }).click();

  await page.locator('#player-org').filter({ hasText: '（演示）兴庆区应急管理局' }).waitFor();
  assert.equal((await page.locator('#player-name').textContent()).trim(), '你好，张测试');
  await page.getByRole('button', { name: '开始答题' }).click();

  // The first question: progress in stages, and a countdown on the server's (2021) clock.
  await page.locator('#question[data-index="0"]').waitFor();
  assert.equal((await page.locator('#quiz-progress').textContent()).trim(), '第一关 · 第 1/15 题');
  assert.equal(await page.locator('#stages .stage').count(), 3);
  assert.equal(await page.locator('#stages .pip').count(), 15);
  const timer = (await page.locator('#quiz-timer-text').textContent()).trim();
  assert.match(timer, /^00:[45]\d$|^01:00$/, `the countdown starts near 60 s, got ${timer}`);

  // Question 1 answered wrong on purpose (when the first option is wrong): feedback shows the answer.
  const first = await answerOnPage(page, env.stack, { right: false });
  assert.match(first.verdict, /回答正确！|回答错误/);
  assert.notEqual((await page.locator('#feedback-correct').textContent()).trim(), '');
  assert.notEqual((await page.locator('#feedback-explanation').textContent()).trim(), '');
  assert.match(await page.locator('#feedback-source').textContent(), /《|》|法|条|常识/);
  await page.getByRole('button', { name: '下一题' }).click();
  await page.locator('#question[data-index="1"]').waitFor();
  assert.equal((await page.locator('#quiz-progress').textContent()).trim(), '第一关 · 第 2/15 题');

  const verdicts = await answerAllOnPage(page, env.stack, { right: true });
  assert.equal(verdicts.length, 14);
  assert.ok(verdicts.every((v) => v === '回答正确！'), `all right: ${verdicts}`);

  // The result.
  const correct = first.verdict === '回答正确！' ? 15 : 14;
  const stats = await page.locator('#result-stats').textContent();
  assert.match(stats, new RegExp(`答对${correct}题`));
  const points = 1 + correct + (correct === 15 ? 10 : 0);
  assert.match(stats, new RegExp(`获得积分${points}分`));
  assert.match(stats, /抽奖机会2次|抽奖机会3次/);

  // The wheel: the test configuration's only prize always wins.
  await page.locator('#result-lottery').click();
  await page.locator('#screen-lottery').waitFor();
  await page.locator('#lottery-count').filter({ hasText: /你还有 \d 次抽奖机会/ }).waitFor();
  await page.getByRole('button', { name: '开始抽奖' }).click();
  await page.locator('#lottery-result').waitFor({ state: 'visible' });
  assert.equal((await page.locator('.lottery__prize-name').textContent()).trim(), PRIZE_NAME);
  const transform = await page.locator('.wheel__disc').evaluate((node) => node.style.transform);
  assert.match(transform, /rotate\(\d+(\.\d+)?deg\)/);

  // My records list the draw.
  await page.getByRole('button', { name: '我的记录' }).click();
  await page.locator('#records-draws .draw-list__item').first().waitFor();
  assert.match(await page.locator('#records-draws').textContent(), new RegExp(PRIZE_NAME));
  assert.match(await page.locator('#records-totals').textContent(), new RegExp(`累计积分${points}分`));
  assertClean(page);
  await page.context().close();
});

test('reloading mid-challenge resumes at the same question', async () => {
  const token = await env.stack.signIn(newPhone());
  await env.stack.setProfile(token, '李续答', '640105', null);
  const page = await newPage(env.browser);
  await useToken(page, env.stack.baseUrl, token);
  await page.goto(env.stack.baseUrl + '/');
  await page.getByRole('button', { name: '开始答题' }).click();
  for (let i = 0; i < 3; i += 1) {
    await answerOnPage(page, env.stack, { right: i % 2 === 0 });
    await page.locator('#next-button').click();
  }
  await page.locator('#question[data-index="3"]').waitFor();
  const stem = await page.locator('#question-stem').textContent();
  const progress = await page.locator('#quiz-progress').textContent();
  assert.equal(progress.trim(), '第一关 · 第 4/15 题');
  assert.equal(await page.locator('#stages .pip--right, #stages .pip--wrong').count(), 3);

  await page.reload();
  await page.locator('#question[data-index="3"]').waitFor();
  assert.equal(await page.locator('#question-stem').textContent(), stem);
  assert.equal((await page.locator('#quiz-progress').textContent()).trim(), '第一关 · 第 4/15 题');
  // Answered questions keep their colours; the countdown still runs on the server's clock.
  assert.equal(await page.locator('#stages .pip--right, #stages .pip--wrong').count(), 3);
  const timer = (await page.locator('#quiz-timer-text').textContent()).trim();
  assert.match(timer, /^00:[1-5]\d$|^01:00$/, `countdown after reload, got ${timer}`);

  // And it can be answered after the reload.
  const { verdict } = await answerOnPage(page, env.stack, { right: true });
  assert.equal(verdict, '回答正确！');
  assertClean(page);
  await page.context().close();
});

test('a second challenge on the same day is refused on the page', async () => {
  const token = await env.stack.signIn(newPhone());
  await env.stack.setProfile(token, '王再来', '640106', null);
  const page = await newPage(env.browser);
  await useToken(page, env.stack.baseUrl, token);
  await page.goto(env.stack.baseUrl + '/');
  const start = page.getByRole('button', { name: '开始答题' });
  await start.waitFor();

  // Meanwhile today's challenge is taken elsewhere (another device).
  const attempt = await env.stack.playAttempt(token, { right: false });
  assert.equal(attempt.status, 'finished');

  await start.click();
  await page.locator('#today-text').filter({ hasText: '今日已答题，明天（2021-06-17）再来' }).waitFor();
  assert.match(await page.locator('#today-error').textContent(), /今日已答题，请明天再来/);
  assert.equal(await page.locator('#start-button').isVisible(), false);

  // After a reload the page says so at once, with today's result.
  await page.reload();
  await page.locator('#today-text').filter({ hasText: '今日已答题，明天（2021-06-17）再来' }).waitFor();
  assert.equal(await page.locator('#start-button').isVisible(), false);
  await page.locator('#today-result .stats').waitFor();
  assert.match(await page.locator('#today-result').textContent(), /今日答对\d+\/15/);
  assertClean(page);
  await page.context().close();
});

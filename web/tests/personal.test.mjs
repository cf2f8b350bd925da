// The participant's own layer through Chromium at phone size (issue 16): a challenge taken on the
// page, its share card (canvas → PNG with a QR code), the review of it and the 错题本 on "我的",
// a prize claimed there, ten questions in the 练功房, deep links into the leaderboard, /help, the
// 大字模式 toggle, and axe-core's accessibility check of every page in normal and large-text mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, useToken, answerOnPage, pageProblems,
  screenshot, horizontalOverflow, webDir, ADMIN_USER, ADMIN_PASSWORD,
} from './harness.mjs';

const env = {};
const axeSource = readFileSync(join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');

before(async () => {
  await startStackAndBrowser(env);
});

after(() => stopStackAndBrowser(env));

function assertClean(page) {
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
}

// axe-core on the page as it is (evaluated through the debugger, so the page's CSP still holds
// for the page itself): the serious and critical violations, one line each.
async function seriousViolations(page) {
  const violations = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  }, axeSource);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function setLargeText(page, on) {
  const toggle = page.locator('#large-text-toggle');
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), on);
}

// Answers the practice question on screen right from SQLite's keys and waits for the feedback.
async function practiseOne(page) {
  const question = page.locator('#practice-question');
  await question.waitFor({ state: 'visible' });
  const attemptId = await question.getAttribute('data-attempt');
  const index = Number(await question.getAttribute('data-index'));
  const keys = await env.stack.correctKeys(attemptId, index);
  for (const key of keys) await page.locator(`#practice-options .option[data-key="${key}"]`).click();
  if ((await page.locator('#practice-type').getAttribute('data-type')) === 'multiple') await page.locator('#practice-submit').click();
  await page.locator('#practice-feedback').waitFor({ state: 'visible' });
  assert.equal((await page.locator('#practice-verdict').textContent()).trim(), '回答正确！');
  return index;
}

test('challenge, share card, review, claim, practice, deep links and help at phone size', async () => {
  const { stack } = env;
  const page = await newPage(env.browser);
  const token = await stack.signIn(newPhone());
  await stack.setProfile(token, '周安全', '640104', 'U0008');
  await useToken(page, stack.baseUrl, token);

  // The challenge on the page: every third answer wrong, for the 错题本.
  await page.goto(`${stack.baseUrl}/`);
  await page.getByRole('button', { name: '开始答题' }).click();
  for (let i = 0; ; i += 1) {
    const { index } = await answerOnPage(page, stack, { right: i % 3 !== 0 });
    const next = page.locator('#next-button');
    const label = (await next.textContent()).trim();
    await next.click();
    if (label === '查看结果') break;
    await page.locator(`#question[data-index="${index + 1}"]`).waitFor({ state: 'visible' });
  }
  await page.locator('#screen-result').waitFor({ state: 'visible' });

  // The share card: a PNG drawn on a canvas, with a save link.
  await page.getByRole('button', { name: '生成分享卡片' }).click();
  const image = page.locator('#share-image');
  await image.waitFor({ state: 'visible' });
  assert.match(await image.getAttribute('src'), /^data:image\/png;base64,/);
  assert.equal(await image.evaluate((img) => img.naturalWidth), 720);
  assert.match(await page.locator('#share-save').getAttribute('download'), /^安全力-2021-06-16\.png$/);
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, 'share-card-phone');
  await page.getByRole('button', { name: '关闭' }).click();
  const totals = (await stack.api('/api/v1/me', { token })).data.totals;

  // A draw, so that "我的" has a prize to claim (the harness prize always wins).
  const drawn = await stack.api('/api/v1/draws', { method: 'POST', token });
  assert.equal(drawn.status, 200);

  // 我的: the review of the challenge, the 错题本, the ranks, the claim form.
  await page.goto(`${stack.baseUrl}/me`);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByRole('button', { name: '查看解析' }).first().click();
  const review = page.locator('.review').first();
  await review.waitFor();
  assert.equal(await review.locator('.review__item').count(), 15);
  const wrong = await review.locator('.review__item--wrong').count();
  assert.ok(wrong > 0, 'some answers were wrong');
  assert.match(await review.textContent(), /正确答案：/);
  assert.equal(await page.locator('#me-mistakes .list__item').count(), wrong);
  assert.equal(await page.locator('#me-ranks .stats__item').count(), 3);
  await page.getByLabel('收件人').fill('周安全');
  await page.getByLabel('收件电话').fill('13912345678');
  await page.getByLabel('收货地址').fill('宁夏银川市兴庆区解放西街 1 号');
  await page.getByRole('button', { name: '提交收货信息' }).click();
  await page.locator('#me-prizes .notice--success').waitFor();
  assert.deepEqual(await horizontalOverflow(page).then((o) => o.offenders), []);
  await screenshot(page, 'me-phone');

  // The office sees the delivery details and marks the prize sent; 我的 then says so.
  const office = await newPage(env.browser, { width: 1280, height: 800 });
  await office.goto(`${stack.baseUrl}/admin`);
  await office.getByLabel('用户名').fill(ADMIN_USER);
  await office.getByLabel('密码').fill(ADMIN_PASSWORD);
  await office.getByRole('button', { name: '登录' }).click();
  const sentRow = office.locator('#winners tbody tr', { hasText: '解放西街' });
  await sentRow.getByRole('button', { name: '标记已寄出' }).click();
  await sentRow.filter({ hasText: '已寄出' }).waitFor();
  await office.context().close();
  await page.reload();
  await page.locator('#me-prizes .list__head', { hasText: '已寄出' }).waitFor();

  // The 练功房: ten questions with instant feedback, and nothing counted.
  await page.goto(`${stack.baseUrl}/practice`);
  await page.getByLabel('题目分类').selectOption({ label: '安全管理' });
  await page.getByRole('button', { name: '开始练习' }).click();
  for (let i = 0; i < 10; i += 1) {
    assert.equal(await practiseOne(page), i);
    assert.equal((await page.locator('#practice-category').textContent()).trim(), '安全管理');
    if (i === 4) await screenshot(page, 'practice-phone');
    await page.locator('#practice-next').click();
  }
  await page.locator('#practice-done').waitFor({ state: 'visible' });
  assert.match(await page.locator('#practice-summary').textContent(), /共 10 题，答对 10 题/);
  assert.deepEqual((await stack.api('/api/v1/me', { token })).data.totals, totals);

  // Deep links: a unit with its neighbours, highlighted; the address bar follows the tabs.
  await page.goto(`${stack.baseUrl}/leaderboard?view=units&unit=U0008`);
  await page.locator('#tab-units[aria-selected="true"]').waitFor();
  const highlighted = page.locator('#found tr.is-me');
  await highlighted.waitFor();
  assert.match(await highlighted.textContent(), /兴庆区/);
  assert.ok(await page.locator('#found tbody tr').count() > 1, 'the unit is shown with its neighbours');
  assert.match(page.url(), /\?view=units&unit=U0008$/);
  await screenshot(page, 'leaderboard-unit-link-phone');
  await page.locator('#tab-regions').click();
  assert.match(page.url(), /\?view=regions$/);
  await page.goto(`${stack.baseUrl}/leaderboard?view=regions&region=640100`);
  await page.locator('#region-path strong', { hasText: '银川市' }).waitFor();
  await page.locator('#regions-body table').waitFor();

  // /help: contacts, the privacy notice and the prizes.
  await page.goto(`${stack.baseUrl}/help`);
  await page.locator('#help-contacts a[href^="tel:"]').first().waitFor();
  assert.match(await page.locator('#help-privacy').textContent(), /隐私|手机号/);
  await page.locator('#help-prizes .list__item').first().waitFor();
  await screenshot(page, 'help-phone');
  assertClean(page);
});

test('every page passes axe in normal and 大字模式, and the choice is remembered', async () => {
  const { stack } = env;
  const page = await newPage(env.browser);
  const token = await stack.signIn(newPhone());
  await stack.setProfile(token, '吴安全', '640104', null);
  await stack.playAttempt(token, { right: true, stopAfter: 10 });
  await useToken(page, stack.baseUrl, token);
  const pages = ['/', '/me', '/practice', '/help', '/leaderboard', '/leaderboard?view=units&unit=U0008', '/admin'];
  for (const large of [false, true]) {
    for (const path of pages) {
      await page.goto(stack.baseUrl + path);
      await page.locator('#large-text-toggle').waitFor();
      await page.waitForLoadState('networkidle');
      await setLargeText(page, large);
      assert.deepEqual(await seriousViolations(page), [], `${path}${large ? ' (大字模式)' : ''}`);
    }
    if (large) await screenshot(page, 'leaderboard-large-text-phone');
  }
  // Remembered per device: a new page load keeps the large text.
  await page.goto(`${stack.baseUrl}/help`);
  await page.locator('#large-text-toggle[aria-pressed="true"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), true);
  assertClean(page);
});

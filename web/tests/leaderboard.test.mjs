// The leaderboard page: a participant's unit appears with its points, in the finder, in the
// participant's own "我的单位" card and in the units ranking; the regions board shows people with
// a unit (干部职工) and without one (社会公众) apart, its 参与率 counting only the first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, useToken, pageProblems } from './harness.mjs';

const env = {};  // the server stack and the browser, set by `before`

before(async () => {
  await startStackAndBrowser(env);
});

after(() => stopStackAndBrowser(env));

// Clicks 刷新 until `locator` shows `pattern` (the boards are cached for a few seconds and fed
// from the outbox, so a fresh result can take a moment).
async function refreshUntil(page, locator, pattern, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = (await locator.count()) ? await locator.first().textContent() : '';
    if (pattern.test(text)) return text;
    if (Date.now() > end) throw new Error(`no ${pattern} in: ${text}`);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.waitForTimeout(500);
  }
}

test("the leaderboard shows the participant's unit with its points", async () => {
  const token = await env.stack.signIn(newPhone());
  await env.stack.setProfile(token, '赵排行', '640104', 'U0003');
  const attempt = await env.stack.playAttempt(token, { right: true });
  assert.equal(attempt.result.points, 26);
  const unitName = (await env.stack.api('/api/v1/me', { token })).data.unit.name;

  const page = await newPage(env.browser);
  await useToken(page, env.stack.baseUrl, token);
  await page.goto(`${env.stack.baseUrl}/leaderboard`);
  await page.locator('#as-of').filter({ hasText: /数据截至 2021-06-16 \d\d:\d\d:\d\d/ }).waitFor();

  // 我的单位: rank 1 (the only unit with points) and 26 points.
  await page.locator('#mine').waitFor({ state: 'visible' });
  await refreshUntil(page, page.locator('#mine-body .standing__figures'), /积分 26 分/);
  assert.match(await page.locator('#mine-body .standing__rank').textContent(), /第1名/);
  assert.equal((await page.locator('#mine-body .standing__name').textContent()).trim(), unitName);

  // The finder.
  await page.getByLabel('输入单位名称').fill('霁川客运');
  await page.locator('#find-results .pick-list__name', { hasText: unitName }).click();
  await page.locator('#found .standing__figures').filter({ hasText: '积分 26 分' }).waitFor();
  const rows = page.locator('#found tbody tr');
  assert.equal(await rows.count(), 4, 'the unit and the 3 below it (none above rank 1)');
  assert.match(await page.locator('#found tr.is-me').textContent(), /26 分/);

  // The units board, by points, then by participants.
  await page.getByRole('tab', { name: '单位排行' }).click();
  const top = page.locator('#units-body tbody tr').first();
  await top.waitFor();
  assert.match(await top.textContent(), new RegExp(`${unitName}.*26 分`));
  assert.match(await top.getAttribute('class'), /is-me/);
  await page.getByLabel('排名依据').selectOption('participants');
  await page.locator('#units-body thead').filter({ hasText: '参与人数' }).waitFor();
  await page.locator('#units-body tbody tr').first().filter({ hasText: '1 人' }).waitFor();

  // The regions board: 银川市 first, and its counties one click away.
  await page.getByRole('tab', { name: '地区排行' }).click();
  await page.getByLabel('排名依据').selectOption('points');
  await page.locator('#regions-body tbody tr').first().filter({ hasText: '银川市' }).waitFor();
  await page.getByRole('button', { name: /银川市，查看下辖区县排名/ }).click();
  await page.locator('#regions-body tbody tr').first().filter({ hasText: /兴庆区.*26 分/ }).waitFor();

  // One day: the same figures for 2021-06-16.
  await page.getByLabel('统计时间').selectOption('day');
  assert.equal(await page.getByLabel('日期').inputValue(), '2021-06-16');
  await page.locator('#regions-body tbody tr').first().filter({ hasText: /兴庆区.*26 分/ }).waitFor();

  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

test('the regions board shows 干部职工 and 社会公众 apart, the rate counting only the first', async () => {
  const token = await env.stack.signIn(newPhone());
  await env.stack.setProfile(token, '钱公众', '640105', null);  // 西夏区, no unit: 社会公众
  await env.stack.playAttempt(token, { right: true });

  const page = await newPage(env.browser);
  await page.goto(`${env.stack.baseUrl}/leaderboard`);
  await page.getByRole('button', { name: /银川市，查看下辖区县排名/ }).click();
  const xixia = page.locator('#regions-body tbody tr', { hasText: '西夏区' });
  await refreshUntil(page, xixia, /干部职工 0 人 · 社会公众 1 人/);
  assert.match(await page.locator('#regions-body tbody tr', { hasText: '兴庆区' }).textContent(),
    /干部职工 1 人 · 社会公众 0 人/);

  // By 参与率: the public do not count, so 西夏区 shows 0.00% although one person took part.
  await page.getByLabel('排名依据').selectOption('participation_rate');
  await page.locator('#regions-body thead').filter({ hasText: '参与率' }).waitFor();
  await page.locator('#regions-body tbody tr', { hasText: '西夏区' }).filter({ hasText: /参与 1 人.*0\.00%/ }).waitFor();

  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

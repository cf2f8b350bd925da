// A unit named like an HTML tag is shown as text everywhere and runs nothing: on the participant's
// profile and home, on the leaderboard and on the office page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, useToken, fillProfileOnPage, XSS_NAME,
  ADMIN_USER, ADMIN_PASSWORD,
  pageProblems,
} from './harness.mjs';

const env = {};  // the server stack and the browser, set by `before`

before(() => startStackAndBrowser(env, { xss: true }));

after(() => stopStackAndBrowser(env));

// No element was made from the name, and no handler ran.
async function assertInert(page) {
  assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] }, 'no dialog, script error or CSP violation');
}

test('a unit named <img src=x onerror=alert(1)> shows as text and runs nothing', async () => {
  const token = await env.stack.signIn(newPhone());
  const page = await newPage(env.browser);
  await useToken(page, env.stack.baseUrl, token);
  await page.goto(`${env.stack.baseUrl}/`);

  // Profile: the search result and the chosen unit are text.
  await fillProfileOnPage(page, { name: '钱安全', city: '银川市', county: '兴庆区', unitQuery: '<img', unitName: XSS_NAME });
  assert.equal(await page.locator('#unit-chosen-name').textContent(), XSS_NAME);
  await page.getByRole('button', { name: '保存并继续' }).click();
  await page.locator('#player-org').filter({ hasText: XSS_NAME }).waitFor();
  assert.equal(await page.locator('#player-org').textContent(), `兴庆区 · ${XSS_NAME}`);
  await assertInert(page);

  // Points for the unit, then the leaderboard's finder and units board.
  await env.stack.playAttempt(token, { right: true });
  await page.goto(`${env.stack.baseUrl}/leaderboard`);
  await page.locator('#mine-body .standing__name').filter({ hasText: XSS_NAME }).waitFor();
  await page.getByLabel('输入单位名称').fill('onerror');
  await page.locator('#find-results .pick-list__name', { hasText: XSS_NAME }).click();
  await page.locator('#found .standing__name').waitFor();
  assert.equal(await page.locator('#found .standing__name').textContent(), XSS_NAME);
  await page.getByRole('tab', { name: '单位排行' }).click();
  await page.locator('#units-body tbody th', { hasText: XSS_NAME }).first().waitFor();
  await assertInert(page);

  // The office: the unit-level ranking of 兴庆区's city lists it as text.
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(ADMIN_USER);
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#ranking tbody tr').first().waitFor();
  await page.getByLabel('统计范围').selectOption({ label: '　银川市' });
  await page.getByLabel('统计层级').selectOption('unit');
  await page.getByRole('button', { name: '查询' }).click();
  const cell = page.locator('#ranking tbody th', { hasText: XSS_NAME });
  await cell.waitFor();
  assert.equal(await cell.textContent(), XSS_NAME);
  await page.locator('#winners').filter({ hasText: /中奖|暂无/ }).waitFor();
  await assertInert(page);
  await page.context().close();
});

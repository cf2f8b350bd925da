// The office's 易错知识点 (issue 17): the category × region heat map drawn with ECharts, the
// categories' accuracy table, and each weak question's options by text with the correct one and
// the most chosen wrong one marked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, ADMIN_USER, ADMIN_PASSWORD,
  pageProblems, screenshot,
} from './harness.mjs';

const env = {};

before(async () => {
  await startStackAndBrowser(env);
  const a = await env.stack.signIn(newPhone());
  await env.stack.setProfile(a, '王易错', '640104', null);
  await env.stack.playAttempt(a, { right: false });
  const b = await env.stack.signIn(newPhone());
  await env.stack.setProfile(b, '李全对', '640202', null);
  await env.stack.playAttempt(b, { right: true });
});

after(() => stopStackAndBrowser(env));

test('the heat map and the option distribution of the weakest questions', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(ADMIN_USER);
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });

  await page.locator('#category-totals tbody tr').first().waitFor();
  await page.locator('#heatmap-chart canvas').waitFor();
  const painted = await page.locator('#heatmap-chart').evaluate((box) => {
    let count = 0;
    for (const canvas of box.querySelectorAll('canvas')) {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count += 1;
    }
    return count;
  });
  assert.ok(painted > 1000, `the heat map is drawn (${painted} pixels)`);
  await page.locator('#heatmap-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-category-heatmap-desktop');

  await page.locator('#weak .option-spread').first().waitFor();
  assert.ok(await page.locator('#weak .option-spread__item.is-correct').count() >= 1);
  assert.ok(await page.locator('#weak .option-spread__item.is-misconception').count() >= 1);
  assert.match(await page.locator('#weak').textContent(), /最多人选的错误答案/);
  await page.locator('#weak-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-option-distribution-desktop');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

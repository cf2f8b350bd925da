// The office's 参与者查询 panel (issue 17): a clerk finds a participant by phone, sees their
// challenges and draws, and corrects their unit; the correction shows in the file's history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, ADMIN_USER, ADMIN_PASSWORD,
  pageProblems, screenshot,
} from './harness.mjs';

const env = {};

before(async () => {
  await startStackAndBrowser(env);
  const units = join(env.stack.dataDir, 'units-lookup.csv');
  await writeFile(units, 'id,name,region_code,sector,headcount\nL9001,（测试）原单位,640104,其他,10\nL9002,（测试）新单位,640104,其他,10\n');
  env.stack.admin(['units', 'import', units]);
  env.phone = newPhone();
  const token = await env.stack.signIn(env.phone);
  await env.stack.setProfile(token, '郑热线', '640104', 'L9001');
  await env.stack.playAttempt(token, { right: true });
  await env.stack.api('/api/v1/draws', { method: 'POST', token });
});

after(() => stopStackAndBrowser(env));

test('the office looks a participant up by phone and corrects their unit', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(ADMIN_USER);
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });

  // A number nobody signed in with, then a malformed one.
  await page.getByLabel('手机号').fill('13800000000');
  await page.locator('#lookup-submit').click();
  await page.locator('#lookup-error').filter({ hasText: '未找到该参与者' }).waitFor();
  await page.getByLabel('手机号').fill('123');
  await page.locator('#lookup-submit').click();
  await page.locator('#lookup-error').filter({ hasText: '11 位手机号码' }).waitFor();

  await page.getByLabel('手机号').fill(env.phone);
  await page.locator('#lookup-submit').click();
  await page.locator('#lookup-profile').waitFor();
  assert.match(await page.locator('#lookup-profile').textContent(), /郑热线/);
  assert.match(await page.locator('#lookup-result').textContent(), /（测试）原单位/);
  assert.match(await page.locator('#lookup-result').textContent(), /答题记录（1 次）/);
  await page.locator('#correction-unit option[value="L9002"]').waitFor({ state: 'attached' });
  await page.locator('#lookup-result').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-participant-lookup-desktop');

  // The reason is required.
  await page.locator('#correction-unit').selectOption('L9002');
  await page.locator('#correction-submit').click();
  await page.locator('#correction-form .notice').filter({ hasText: '请填写更正原因' }).waitFor();
  await page.locator('#correction-reason').fill('热线来电：单位选错');
  await page.locator('#correction-submit').click();
  await page.locator('#lookup-error').filter({ hasText: '已保存更正' }).waitFor();
  const text = await page.locator('#lookup-result').textContent();
  assert.match(text, /更正记录/);
  assert.match(text, /热线来电：单位选错/);
  assert.match(text, /兴庆区 · （测试）新单位/);
  await page.locator('#correction-form').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-participant-lookup-corrected');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

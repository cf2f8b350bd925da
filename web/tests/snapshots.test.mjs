// 通报快照 on the office page: the clerk freezes the bulletin it is looking at, more people take
// part, and the snapshot still serves the numbers it was taken with; a second snapshot compares
// its ranks with the first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, ADMIN_USER, ADMIN_PASSWORD,
  pageProblems, screenshot,
} from './harness.mjs';

const env = {};

async function unitOf(region) {
  return (await env.stack.api(`/api/v1/units?region=${region}&limit=1`)).data.items[0].id;
}

async function participate(region, unit) {
  const token = await env.stack.signIn(newPhone());
  await env.stack.setProfile(token, '郑快照', region, unit);
  await env.stack.playAttempt(token, { right: true });
}

before(async () => {
  await startStackAndBrowser(env);
  await participate('640104', await unitOf('640104'));
});

after(() => stopStackAndBrowser(env));

// The snapshot's JSON as the signed-in page may read it.
function snapshotJson(page, id) {
  return page.evaluate(async (path) => {
    const token = sessionStorage.getItem('anquanli.admin.token');
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    return response.json();
  }, `/api/v1/admin/bulletins/${id}`);
}

test('a snapshot keeps its numbers after more challenges and the next one shows movement', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(ADMIN_USER);
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  await page.locator('#snapshots .empty').waitFor();

  await page.getByLabel('统计层级').selectOption('county');
  await page.getByLabel('通报标题（可选）').fill('关于“{competition}”参与情况的通报（第一期）');
  await page.getByRole('button', { name: '生成快照' }).click();
  await page.locator('#snapshot-status').filter({ hasText: '已生成快照 #1' }).waitFor();
  const first = page.locator('#snapshots tr[data-snapshot="1"]');
  await first.waitFor();
  assert.match(await first.textContent(), /宁夏回族自治区 各县（市、区）/);

  await participate('640105', await unitOf('640105'));
  await participate('640202', null);
  const frozen = await snapshotJson(page, 1);
  assert.equal(frozen.totals.participants, 1);
  assert.equal(frozen.snapshot.title, '关于“{competition}”参与情况的通报（第一期）');

  const [pdf] = await Promise.all([
    page.waitForEvent('download'), first.locator('button[data-format="pdf"]').click(),
  ]);
  assert.match(pdf.suggestedFilename(), /^bulletin-snapshot-1-640000-county\.pdf$/);
  assert.equal((await readFile(await pdf.path())).subarray(0, 5).toString('latin1'), '%PDF-');

  await page.getByRole('button', { name: '生成快照' }).click();
  await page.locator('#snapshot-status').filter({ hasText: '已生成快照 #2' }).waitFor();
  const second = page.locator('#snapshots tr[data-snapshot="2"]');
  assert.match(await second.textContent(), /对比 #1/);
  const moved = await snapshotJson(page, 2);
  assert.equal(moved.totals.participants, 3);
  assert.equal(moved.compared_snapshot.id, 1);
  assert.equal(moved.totals.new_participants, 2);
  // The first is unchanged, and listed below the second (newest first).
  assert.equal((await snapshotJson(page, 1)).totals.participants, 1);
  assert.equal(await page.locator('#snapshots tbody tr').first().getAttribute('data-snapshot'), '2');

  await page.locator('#snapshots').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-snapshots-desktop');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

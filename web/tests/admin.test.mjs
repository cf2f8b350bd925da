// The office page: sign-in, the charts drawn with ECharts, the bulletin downloads (XLSX, CSV) and
// the printable HTML bulletin, the weakest questions and the winners; participants with a unit
// (干部职工) and without one (社会公众) shown apart, and a unit whose headcount is too low flagged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, ADMIN_USER, ADMIN_PASSWORD, PRIZE_NAME,
  pageProblems, screenshot,
} from './harness.mjs';

const env = {};  // the server stack and the browser, set by `before`

before(async () => {
  await startStackAndBrowser(env);
  // A unit whose imported headcount (1) is lower than the 2 people who will choose it.
  const units = join(env.stack.dataDir, 'units-short.csv');
  await writeFile(units, 'id,name,region_code,sector,headcount\nX9001,（测试）人数不足的单位,640104,其他,1\n');
  env.stack.admin(['units', 'import', units]);
  // Some participation to chart: two people with that unit (one draw that wins), one without.
  const a = await env.stack.signIn(newPhone());
  await env.stack.setProfile(a, '孙管理', '640104', 'X9001');
  await env.stack.playAttempt(a, { right: true });
  await env.stack.api('/api/v1/draws', { method: 'POST', token: a });
  const c = await env.stack.signIn(newPhone());
  await env.stack.setProfile(c, '吴同事', '640104', 'X9001');
  await env.stack.playAttempt(c, { right: false });
  const b = await env.stack.signIn(newPhone());
  await env.stack.setProfile(b, '周统计', '640202', null);
  await env.stack.playAttempt(b, { right: false });
});

after(() => stopStackAndBrowser(env));

// Counts the painted pixels of every canvas inside `selector`.
function paintedPixels(page, selector) {
  return page.locator(selector).evaluate((box) => {
    let painted = 0;
    for (const canvas of box.querySelectorAll('canvas')) {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    }
    return painted;
  });
}

async function signIn(page) {
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(ADMIN_USER);
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
}

test('the office signs in, sees the charts and downloads the bulletin', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 800 });

  // A wrong password first: the server's message is shown.
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(ADMIN_USER);
  await page.getByLabel('密码').fill('wrong-password-123');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#login-error').filter({ hasText: '用户名或密码错误' }).waitFor();

  await signIn(page);
  assert.match(await page.locator('#admin-scope').textContent(), /宁夏回族自治区/);
  await page.locator('#kpis .kpi').first().filter({ hasText: '3' }).waitFor();
  assert.match(await page.locator('#kpis').textContent(), /参与人数3干部职工参与人数2社会公众参与人数1参与人次3参与率/);

  // The public are ranked apart: 石嘴山市 leads them, 银川市 leads the people with a unit.
  assert.match(await page.locator('#public tbody tr').first().textContent(), /石嘴山市.*1/);
  assert.match(await page.locator('#public tfoot').textContent(), /合计.*1/);
  // The unit whose headcount is too low is reported as an import problem.
  await page.locator('#headcount-problems').filter({ hasText: '（测试）人数不足的单位' }).waitFor();

  // Both charts are drawn on canvas.
  await page.locator('#trend-chart canvas').waitFor();
  await page.locator('#area-chart canvas').waitFor();
  await page.waitForFunction(() => {
    const area = window.echarts?.getInstanceByDom(document.querySelector('#area-chart'));
    const trend = window.echarts?.getInstanceByDom(document.querySelector('#trend-chart'));
    return area?.getOption()?.series?.[0]?.data?.length > 0 && trend?.getOption()?.series?.[0]?.data?.length > 0;
  });
  // zrender paints on the next animation frames: poll until both canvases have content.
  for (const chart of ['#trend-chart', '#area-chart']) {
    const end = Date.now() + 10000;
    let painted = 0;
    while ((painted = await paintedPixels(page, chart)) <= 2000 && Date.now() < end) await page.waitForTimeout(100);
    assert.ok(painted > 2000, `${chart} is painted (${painted} pixels)`);
  }
  const cities = await page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('#area-chart')).getOption().xAxis[0].data);
  assert.ok(cities.includes('银川市') && cities.includes('石嘴山市'), `cities: ${cities}`);
  // Two stacked bars per region, 干部职工 and 社会公众, and the rate never above 100 %.
  const area = await page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('#area-chart')).getOption().series
    .map((s) => ({ name: s.name, stack: s.stack, data: s.data })));
  const withUnit = area.find((s) => s.name === '干部职工');
  const open = area.find((s) => s.name === '社会公众');
  assert.equal(withUnit.stack, 'people');
  assert.equal(open.stack, 'people');
  assert.equal(withUnit.data[cities.indexOf('银川市')], 2);
  assert.equal(open.data[cities.indexOf('石嘴山市')], 1);
  assert.ok(area.find((s) => s.name === '参与率').data.every((rate) => rate <= 1));

  // Counties of one city.
  await page.getByLabel('查看').selectOption({ label: '银川市（按下辖县区）' });
  await page.locator('#area-title').filter({ hasText: '银川市各县（市、区）参与情况' }).waitFor();
  await page.waitForFunction(() => window.echarts.getInstanceByDom(document.querySelector('#area-chart')).getOption().xAxis[0].data.includes('兴庆区'));

  // The ranking, the units that did not take part, the weakest questions, the winners.
  assert.match(await page.locator('#ranking tbody tr').first().textContent(), /银川市/);
  assert.match(await page.locator('#ranking thead').textContent(), /干部职工参与人数职工人数参与率社会公众参与人数参与人数/);
  await page.locator('#zero tbody tr').first().waitFor();
  assert.match(await page.locator('#zero-title').textContent(), /未参与单位（\d+ 个）/);
  await page.locator('#weak tbody tr').first().waitFor();
  assert.equal(await page.locator('#weak tbody tr').count(), 10);
  await page.locator('#winners tbody tr').first().waitFor();
  assert.match(await page.locator('#winners tbody').textContent(), new RegExp(`孙管理139\\*{4}\\d{4}.*${PRIZE_NAME}`));

  // XLSX download.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载通报（Excel）' }).click()]);
  assert.match(xlsx.suggestedFilename(), /^bulletin-640000-2021-06-01-2021-06-16-city\.xlsx$/);
  const bytes = await readFile(await xlsx.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(bytes.length > 2000);

  // CSV download, for the counties of 银川市.
  await page.getByLabel('统计范围').selectOption({ label: '　银川市' });
  assert.equal(await page.getByLabel('统计层级').inputValue(), 'county');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载通报（CSV）' }).click()]);
  assert.match(csv.suggestedFilename(), /^bulletin-640100-.*-county\.csv$/);
  const text = await readFile(await csv.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF排名'), text.slice(0, 20));
  assert.match(text, /兴庆区/);
  assert.match(text, /社会公众参与情况/);

  // By unit inside 银川市: the unit's rate is capped at 100 % and says so.
  await page.getByLabel('统计层级').selectOption('unit');
  await page.getByRole('button', { name: '查询' }).click();
  const shortRow = page.locator('#ranking tbody tr').filter({ hasText: '（测试）人数不足的单位' });
  await shortRow.waitFor();
  assert.match(await shortRow.textContent(), /100\.00%\s*已封顶/);

  // The printable HTML bulletin opens in a new tab, styled by /print.css.
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: '打开打印版通报' }).click()]);
  await popup.waitForURL(/^blob:/);
  await popup.locator('h1').waitFor();
  assert.match(await popup.locator('h1').textContent(), /通报/);
  await popup.waitForFunction(() => getComputedStyle(document.querySelector('h1')).textAlign === 'center');
  assert.match(await popup.locator('table').first().textContent(), /兴庆区/);
  await popup.close();

  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

test('a bulletin ranked by completion rate against targets, compared with an earlier day', async () => {
  const targets = join(env.stack.dataDir, 'targets.csv');
  await writeFile(targets, 'region_code,target\n640104,10\n640105,40\n640100,100\n');
  env.stack.admin(['targets', 'import', targets]);
  const page = await newPage(env.browser, { width: 1280, height: 800 });
  await signIn(page);
  await page.getByLabel('统计范围').selectOption({ label: '　银川市' });
  await page.getByLabel('统计层级').selectOption('county');
  await page.getByLabel('排名依据').selectOption('rate');
  // A comparison day after the end is refused in the page, before any request.
  await page.getByLabel('对比日期（可选）').fill('2021-06-20');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('#period-error').filter({ hasText: '对比日期' }).waitFor();
  await page.getByLabel('对比日期（可选）').fill('2021-06-15');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('#ranking caption').filter({ hasText: '按完成率' }).waitFor();
  assert.match(await page.locator('#ranking thead').textContent(), /任务数完成率上次排名排名变化新增人数/);
  // 兴庆区: two people with the short unit against a target of 10, ranked first, both new.
  const first = page.locator('#ranking tbody tr').first();
  assert.match(await first.textContent(), /^1兴庆区/);
  assert.match(await first.textContent(), /10\s*20(\.0+)?%/);
  assert.match(await page.locator('#ranking tfoot').textContent(), /100/);
  await page.locator('#ranking').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-bulletin-targets-desktop');
  // The issued document as a PDF, with the same ranking.
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载正式通报（PDF）' }).click()]);
  assert.match(pdf.suggestedFilename(), /^bulletin-640100-2021-06-01-2021-06-16-county\.pdf$/);
  assert.equal((await readFile(await pdf.path())).subarray(0, 5).toString('latin1'), '%PDF-');
  // The CSV asks for the same ranking and carries the same columns.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载通报（CSV）' }).click()]);
  const text = await readFile(await csv.path(), 'utf8');
  assert.match(text, /任务数,完成率,上次排名,排名变化,新增人数\r\n1,640104,兴庆区,银川市,2,/);
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

test('a sector-scoped account sees its sector and only that sector\'s units', async () => {
  env.stack.admin(['admins', 'add', '--username', 'qita', '--region', '640100', '--sector', '其他'], 'qita-secret-1\n');
  const page = await newPage(env.browser, { width: 1280, height: 800 });
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill('qita');
  await page.getByLabel('密码').fill('qita-secret-1');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  assert.match(await page.locator('#admin-scope').textContent(), /银川市（其他行业）/);
  assert.equal(await page.getByLabel('行业（可选）').inputValue(), '其他');
  assert.equal(await page.getByLabel('行业（可选）').isEditable(), false);
  await page.getByLabel('统计层级').selectOption('unit');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('#ranking caption').filter({ hasText: '其他行业' }).waitFor();
  assert.match(await page.locator('#ranking tbody').textContent(), /人数不足的单位/);
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

test('an expired or missing admin session goes back to the sign-in form', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.evaluate(() => sessionStorage.setItem('anquanli.admin.token', 'not-a-real-token-not-a-real-token-not-a-rea'));
  await page.reload();
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.locator('#login-error').filter({ hasText: '登录已过期，请重新登录' }).waitFor();
  await page.context().close();
});

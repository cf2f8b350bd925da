// The office page: sign-in, the charts drawn with ECharts, the bulletin downloads (XLSX, CSV) and
// the printable HTML bulletin, the weakest questions and the winners.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, ADMIN_USER, ADMIN_PASSWORD, PRIZE_NAME,
  pageProblems,
} from './harness.mjs';

const env = {};  // the server stack and the browser, set by `before`

before(async () => {
  await startStackAndBrowser(env);
  // Some participation to chart: two people, one draw that wins.
  const a = await env.stack.signIn(newPhone());
  await env.stack.setProfile(a, '孙管理', '640104', 'U0001');
  await env.stack.playAttempt(a, { right: true });
  await env.stack.api('/api/v1/draws', { method: 'POST', token: a });
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
  await page.locator('#kpis .kpi').first().filter({ hasText: '2' }).waitFor();
  assert.match(await page.locator('#kpis').textContent(), /参与人数2参与人次2/);

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

  // Counties of one city.
  await page.getByLabel('查看').selectOption({ label: '银川市（按下辖县区）' });
  await page.locator('#area-title').filter({ hasText: '银川市各县（市、区）参与情况' }).waitFor();
  await page.waitForFunction(() => window.echarts.getInstanceByDom(document.querySelector('#area-chart')).getOption().xAxis[0].data.includes('兴庆区'));

  // The ranking, the units that did not take part, the weakest questions, the winners.
  assert.match(await page.locator('#ranking tbody tr').first().textContent(), /银川市/);
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

test('an expired or missing admin session goes back to the sign-in form', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.evaluate(() => sessionStorage.setItem('anquanli.admin.token', 'not-a-real-token-not-a-real-token-not-a-rea'));
  await page.reload();
  await page.locator('#login-form').waitFor({ state: 'visible' });
  await page.locator('#login-error').filter({ hasText: '登录已过期，请重新登录' }).waitFor();
  await page.context().close();
});

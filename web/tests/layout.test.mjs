// Every page and screen at phone size (360×640) must not scroll sideways; each is also
// photographed at phone and desktop (1280×800) size into web/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, newPhone, signInOnPage, fillProfileOnPage, answerOnPage,
  answerAllOnPage, horizontalOverflow, screenshot, ADMIN_USER, ADMIN_PASSWORD,
  pageProblems,
} from './harness.mjs';

const SIZES = { phone: { width: 360, height: 640 }, desktop: { width: 1280, height: 800 } };

const env = {};  // the server stack and the browser, set by `before`

before(async () => {
  await startStackAndBrowser(env);
  // Some participation, so boards and charts have something to show.
  const people = [
    ['张伟', '640104', 'U0001', true], ['李娜', '640104', 'U0002', false], ['王芳', '640105', null, true],
    ['刘洋', '640202', null, false], ['陈静', '640302', null, true], ['杨帆', '640900', null, false],
  ];
  for (const [name, region, unit, right] of people) {
    const token = await env.stack.signIn(newPhone());
    const unitId = unit ?? (await env.stack.api(`/api/v1/units?region=${region}&limit=1`)).data.items[0]?.id ?? null;
    await env.stack.setProfile(token, name, region, unitId);
    await env.stack.playAttempt(token, { right });
    await env.stack.api('/api/v1/draws', { method: 'POST', token });
  }
});

after(() => stopStackAndBrowser(env));

// Scrolls so that `selector` is at the top of the viewport.
function scrollToTop(page, selector) {
  return page.locator(selector).evaluate((node) => node.scrollIntoView({ block: 'start' }));
}

// Checks the page does not scroll sideways, then photographs it.
async function check(page, size, name) {
  const { width } = SIZES[size];
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow.scrollWidth <= width,
    `${name} at ${width}px: scrollWidth ${overflow.scrollWidth}; widest: ${overflow.offenders.join(', ')}`);
  await screenshot(page, `${name}-${size}`);
}

for (const size of Object.keys(SIZES)) {
  test(`participant page screens at ${size} size`, async () => {
    const page = await newPage(env.browser, SIZES[size]);
    await page.goto(`${env.stack.baseUrl}/`);
    await page.locator('#rules-list li').first().waitFor();
    await check(page, size, 'participant-home');

    await signInOnPage(page, env.stack, newPhone());
    await page.locator('#screen-profile').waitFor();
    await fillProfileOnPage(page, { name: '赵安全', city: '银川市', county: '兴庆区', unitQuery: '（演示）兴庆区', unitName: '（演示）兴庆区应急管理局' });
    await page.locator('#unit-change').click();
    await page.getByLabel('搜索单位名称').fill('兴庆区');
    await page.locator('#unit-results li').nth(3).waitFor();
    await scrollToTop(page, '#unit-search');
    await check(page, size, 'participant-profile');
    await page.locator('#unit-results .pick-list__name', { hasText: '（演示）兴庆区应急管理局' }).click();
    await page.getByRole('button', { name: '保存并继续' }).click();

    await page.locator('#start-button').waitFor({ state: 'visible' });
    await check(page, size, 'participant-start');
    await page.locator('#start-button').click();

    await page.locator('#question[data-index="0"]').waitFor();
    await check(page, size, 'participant-question');
    await answerOnPage(page, env.stack, { right: false });
    await check(page, size, 'participant-feedback');
    await page.locator('#next-button').click();
    await answerAllOnPage(page, env.stack, { right: true });
    await check(page, size, 'participant-result');

    await page.locator('#result-lottery').click();
    await page.getByRole('button', { name: '开始抽奖' }).click();
    await page.locator('#lottery-result').waitFor({ state: 'visible' });
    await scrollToTop(page, '#lottery-title');
    await check(page, size, 'participant-lottery');

    await page.getByRole('button', { name: '我的记录' }).click();
    await page.locator('#records-draws .draw-list__item').first().waitFor();
    await check(page, size, 'participant-records');

    await page.locator('#records-home').click();
    await page.locator('#today-text').filter({ hasText: '今日已答题' }).waitFor();
    await page.locator('#today-result .stats').waitFor();
    await check(page, size, 'participant-done');
    assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
    await page.context().close();
  });

  test(`leaderboard page at ${size} size`, async () => {
    const page = await newPage(env.browser, SIZES[size]);
    await page.goto(`${env.stack.baseUrl}/leaderboard`);
    await page.locator('#regions-body tbody tr').first().waitFor();
    await check(page, size, 'leaderboard-regions');
    await page.getByRole('tab', { name: '单位排行' }).click();
    await page.locator('#units-body tbody tr').first().waitFor();
    await scrollToTop(page, '.tabs');
    await check(page, size, 'leaderboard-units');
    await page.getByLabel('输入单位名称').fill('应急管理局');
    await page.locator('#find-results .pick-list__item').first().click();
    await page.locator('#found tbody tr').first().waitFor();
    await scrollToTop(page, '#find-title');
    await check(page, size, 'leaderboard-find');
    assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
    await page.context().close();
  });

  test(`office page at ${size} size`, async () => {
    const page = await newPage(env.browser, SIZES[size]);
    await page.goto(`${env.stack.baseUrl}/admin`);
    await page.locator('#login-form').waitFor({ state: 'visible' });
    await check(page, size, 'admin-login');
    await page.getByLabel('用户名').fill(ADMIN_USER);
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#area-chart canvas').waitFor();
    await page.locator('#ranking tbody tr').first().waitFor();
    await page.locator('#winners tbody tr').first().waitFor();
    await page.waitForTimeout(300); // zrender paints on the next animation frames
    await check(page, size, 'admin-dashboard');
    await scrollToTop(page, '#trend-title');
    await check(page, size, 'admin-charts');
    await scrollToTop(page, '#ranking-title');
    await check(page, size, 'admin-tables');
    assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
    await page.context().close();
  });
}

// The campaign's reporting forms page: a county office fills 附件1 (the 活动进展情况统计表), sees a
// refused count explained, saves a draft, submits, and finds the version kept; the province sees
// which offices have filed, the counts summed, and exports the summary as XLSX.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startStackAndBrowser, stopStackAndBrowser, newPage, ADMIN_USER, ADMIN_PASSWORD, pageProblems, screenshot, webDir, horizontalOverflow,
} from './harness.mjs';

const env = {};
const axeSource = readFileSync(join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');

// axe-core's serious and critical violations on the page as it is.
async function seriousViolations(page) {
  const violations = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  }, axeSource);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
const COUNTY_USER = 'xingqing';
const COUNTY_PASSWORD = 'Xingqing-Office-2021';

before(async () => {
  await startStackAndBrowser(env);
  env.stack.admin(['admins', 'add', '--username', COUNTY_USER, '--region', '640104'], `${COUNTY_PASSWORD}\n`);
});

after(() => stopStackAndBrowser(env));

async function signIn(page, username, password) {
  await page.goto(`${env.stack.baseUrl}/admin`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  await page.getByRole('link', { name: '报表填报' }).click();
  await page.locator('#workspace').waitFor({ state: 'visible' });
}

const progress = {
  '填报单位 *': '兴庆区安委办',
  '联系人 *': '张三',
  '电话 *': '0951-6012345',
  '理论学习中心组学习（次） *': '3',
  '理论学习中心组学习参与（人次） *': '120',
  '专题学习《生命重于泰山——学习习近平总书记重要论述》电视专题片（人次） *': '800',
  '组织安全生产“大家谈”“公开课”“微课堂”和在线访谈、基层宣讲（场） *': '5',
  '“大家谈”“公开课”“微课堂”、在线访谈、基层宣讲参与（人次） *': '300',
  '组织媒体报道集中攻坚重点任务进展情况、工作成效等（次） *': '4',
  '刊发新闻（篇） *': '9',
  '宣传推介经验做法（个） *': '2',
  '经验做法刊发新闻报道（篇） *': '3',
  '企业开展“安全红袖章”“事故隐患大扫除”“争做安全吹哨人”等活动（场） *': '12',
  '企业开展上述活动参与（人次） *': '1500',
};

test('a county fills and submits the progress form; the province sees it summed', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 900 });
  await signIn(page, COUNTY_USER, COUNTY_PASSWORD);
  assert.match(await page.locator('#filer-name').textContent(), /兴庆区/);
  assert.match(await page.locator('#form-due').textContent(), /2021-07-05/);

  for (const [label, value] of Object.entries(progress)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByLabel('填报日期 *', { exact: true }).fill('2021-06-16');

  // A wrong count is refused with the server's words, and the field is marked.
  await page.getByLabel('刊发新闻（篇） *', { exact: true }).fill('-2');
  await page.getByRole('button', { name: '提交报表' }).click();
  await page.locator('#form-notice').filter({ hasText: '数量须为 0 到 10000000 之间的整数' }).waitFor();
  assert.equal(await page.locator('#field-media_articles').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'reporting-error');
  await page.getByLabel('刊发新闻（篇） *', { exact: true }).fill('9');

  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.locator('#form-notice').filter({ hasText: '草稿已保存' }).waitFor();
  await page.getByRole('button', { name: '提交报表' }).click();
  await page.locator('#form-notice').filter({ hasText: '已提交第 1 版' }).waitFor();
  await page.locator('#versions details').first().waitFor();
  assert.match(await page.locator('#versions summary').first().textContent(), /第 1 版.*xingqing/);
  await screenshot(page, 'reporting-progress');
  assert.deepEqual(await seriousViolations(page), []);

  // The county's own area is only itself.
  await page.locator('#overview-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#overview-table tbody tr').count(), 1);

  // The contacts form, on its tab.
  await page.getByRole('tab', { name: '附件2 联络员反馈表' }).click();
  await page.getByLabel('姓名 *', { exact: true }).waitFor();
  await page.getByLabel('姓名 *', { exact: true }).fill('李四');
  await page.getByLabel('性别 *', { exact: true }).selectOption('女');
  await page.getByLabel('职务 *', { exact: true }).fill('科长');
  await page.getByLabel('办公电话 *', { exact: true }).fill('0951-6012345');
  await page.getByLabel('手机 *', { exact: true }).fill('13800138000');
  await page.getByLabel('电子邮箱 *', { exact: true }).fill('lisi@example.cn');
  await page.getByLabel('单位名称 *', { exact: true }).fill('兴庆区应急管理局');
  await page.getByLabel('通信地址 *', { exact: true }).fill('银川市兴庆区某路 1 号');
  await page.getByRole('button', { name: '提交报表' }).click();
  await page.locator('#form-notice').filter({ hasText: '逾期报送' }).waitFor();
  await screenshot(page, 'reporting-contacts');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();

  // The province: who has filed, the sums, the export.
  const office = await newPage(env.browser, { width: 1280, height: 900 });
  await signIn(office, ADMIN_USER, ADMIN_PASSWORD);
  await office.locator('#overview-table tbody tr').first().waitFor();
  assert.match(await office.locator('#overview-table tbody tr[data-state="submitted"]').textContent(), /兴庆区.*已报送.*1/);
  assert.ok(await office.locator('#overview-table tbody tr[data-state="not_started"]').count() > 10);
  assert.match(await office.locator('#overview-summary').textContent(), /已报送 1 个/);
  assert.match(await office.locator('#overview-sums').textContent(), /企业开展上述活动参与（人次）1500/);
  await office.locator('#overview-title').evaluate((title) => title.scrollIntoView({ block: 'start' }));
  await screenshot(office, 'reporting-overview');
  assert.deepEqual(await seriousViolations(office), []);
  const [xlsx] = await Promise.all([office.waitForEvent('download'), office.getByRole('button', { name: '导出汇总（Excel）' }).click()]);
  assert.equal(xlsx.suggestedFilename(), 'reporting-progress-640000.xlsx');
  const bytes = await readFile(await xlsx.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  await office.getByLabel('报表', { exact: true }).selectOption('contacts');
  await office.locator('#overview-caption').filter({ hasText: '联络员反馈表' }).waitFor();
  assert.match(await office.locator('#overview-table tbody tr[data-state="late"]').textContent(), /兴庆区.*逾期报送/);
  assert.deepEqual(pageProblems(office), { pageErrors: [], dialogs: [], csp: [] });
});

test('the forms fit a phone, and a signed-out visitor is sent to sign in', async () => {
  const page = await newPage(env.browser, { width: 360, height: 640 });
  await page.goto(`${env.stack.baseUrl}/reporting.html`);
  await page.locator('#signed-out').waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('link', { name: '前往登录' }).getAttribute('href'), '/admin');
  await signIn(page, COUNTY_USER, COUNTY_PASSWORD);
  await page.locator('#field-filer_name').waitFor();
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow.scrollWidth <= 360, `scrollWidth ${overflow.scrollWidth}; widest: ${overflow.offenders.join(', ')}`);
  await screenshot(page, 'reporting-phone');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
});

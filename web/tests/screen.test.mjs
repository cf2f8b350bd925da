// The 6·16 big screen (/screen, issue 17) in Chromium at 1920×1080: the figures, the map of
// Ningxia's cities drawn by ECharts with the regions that have no shape listed beside it, the top
// units and the winners' ticker; a challenge finished through the API shows on the open page
// within 2 s (pushed by Server-Sent Events, no reload); a private screen opens with the display's
// token and refuses without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  startStackAndBrowser, stopStackAndBrowser, startStack, newPage, newPhone, pageProblems, screenshot,
  horizontalOverflow, buildDir,
} from './harness.mjs';

const env = {};

before(async () => {
  await startStackAndBrowser(env);
});

after(() => stopStackAndBrowser(env));

// A participant with the region's first unit, who finishes today's challenge (and then draws once
// when asked: the draw comes after the challenge has finished).
async function finishChallenge(stack, region = '640104', { draw = true } = {}) {
  const token = await stack.signIn(newPhone());
  const units = await stack.api(`/api/v1/units?region=${region}&limit=1`);
  await stack.setProfile(token, '张三', region, units.data.items[0]?.id ?? null);
  const attempt = await stack.playAttempt(token);
  assert.equal(attempt.status, 'finished');
  if (draw) await stack.api('/api/v1/draws', { method: 'POST', token });
}

const participantsShown = (page) => page.locator('#window-participants').textContent();

test('the big screen shows the campaign and updates within 2 s of a finished challenge', async () => {
  const { stack } = env;
  await finishChallenge(stack);
  const page = await newPage(env.browser, { width: 1920, height: 1080 });
  await page.goto(`${stack.baseUrl}/screen`);
  await page.locator('#live[data-state="live"]').waitFor();
  await page.locator('#window-participants', { hasText: /^1$/ }).waitFor();
  await page.locator('#unit-list .unit-list__item').first().waitFor();
  await page.locator('#ticker .ticker__item', { hasText: /\*{4}/ }).first().waitFor();
  // The map: ECharts drew Ningxia's five cities; 宁东 and 区直单位 have no shape and are listed.
  const painted = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('map'))
    ?.getOption().series[0].data.map((d) => d.name).sort());
  assert.deepEqual(painted, ['中卫市', '吴忠市', '固原市', '石嘴山市', '银川市']);
  const listed = await page.locator('#region-list').textContent();
  assert.match(listed, /宁东能源化工基地 \*/);
  assert.match(listed, /银川市1 人/);
  assert.equal(await page.locator('#map-note').isVisible(), true);
  // Nothing scrolls sideways (the ticker's track is wider on purpose, clipped by its window).
  const overflow = await horizontalOverflow(page);
  assert.equal(overflow.scrollWidth, overflow.clientWidth);

  // A challenge finished elsewhere reaches the open page by itself, within 2 s.
  const before = await participantsShown(page);
  await finishChallenge(stack, '640202', { draw: false });
  const finishedAt = Date.now();
  const deadline = finishedAt + 2000;
  let shown = before;
  while (shown === before && Date.now() <= deadline) {
    shown = await participantsShown(page);
  }
  const waited = Date.now() - finishedAt;
  assert.equal(shown, '2', `the page showed ${shown} after ${waited} ms`);
  assert.ok(waited <= 2000, `updated after ${waited} ms`);
  await page.locator('#today-participants', { hasText: /^2$/ }).waitFor();
  await screenshot(page, 'screen-1920x1080');
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await page.context().close();
});

test('a private screen opens with the display token and refuses without it', async () => {
  // The operator's command makes the token and prints the hash for the configuration.
  const made = execFileSync(join(buildDir, 'tools/anquanli-admin'), ['screen', 'token']).toString();
  const token = made.match(/\/screen\?token=(\S+)/)[1];
  const hash = made.match(/token_hash = "([0-9a-f]{64})"/)[1];
  const stack = await startStack({ screenPublic: false, screenTokenHash: hash });
  try {
    assert.equal((await stack.api('/api/v1/screen')).status, 401);
    const refused = await newPage(env.browser, { width: 1920, height: 1080 });
    await refused.goto(`${stack.baseUrl}/screen`);
    await refused.locator('#notice', { hasText: '大屏需要管理账号登录' }).waitFor();
    await refused.context().close();
    const display = await newPage(env.browser, { width: 1920, height: 1080 });
    await display.goto(`${stack.baseUrl}/screen?token=${encodeURIComponent(token)}`);
    await display.locator('#live[data-state="live"]').waitFor();
    await display.locator('#window-participants', { hasText: /^0$/ }).waitFor();
    assert.deepEqual(pageProblems(display), { pageErrors: [], dialogs: [], csp: [] });
    await display.context().close();
  } finally {
    await stack.stop();
  }
});

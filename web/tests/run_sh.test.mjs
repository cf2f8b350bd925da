// The main job as a new user meets it. scripts/run.sh builds and then execs scripts/serve-demo.sh;
// this starts serve-demo.sh exactly so (same script, same working directory, same copy of
// config/demo.toml, same pages and vendored libraries, no [web] root), only with free ports and its
// run directory in a temporary place. Every page and asset must answer 200, and the office
// dashboard must draw its charts with ECharts (on a fresh clone that needs the build to have
// installed web/vendor from its lockfile). It stops the demo as Ctrl-C does: SIGINT to the
// process group it started.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  buildDir, repoDir, webDir, freePort, waitUntil, launchBrowser, newPage, pageProblems, stackClient,
  newPhone, screenshot,
} from './harness.mjs';

const env = {};

before(async () => {
  env.runDir = mkdtempSync(join(tmpdir(), 'anquanli-run-'));
  const launching = launchBrowser().then((browser) => { env.browser = browser; });
  env.demo = spawn('bash', ['scripts/serve-demo.sh', buildDir], {
    cwd: repoDir,
    detached: true,  // its own process group, as a terminal gives run.sh
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ANQUANLI_LISTEN: '127.0.0.1:0',
      ANQUANLI_REDIS_PORT: String(await freePort()),
      ANQUANLI_RUN_DIR: env.runDir,
    },
  });
  env.output = '';
  env.demo.stdout.on('data', (chunk) => { env.output += chunk; });
  env.demo.stderr.on('data', (chunk) => { env.output += chunk; });
  env.exited = new Promise((resolve) => env.demo.once('exit', (code, signal) => resolve({ code, signal })));
  const addrFile = join(env.runDir, 'data/server.addr');
  const address = await waitUntil('the demo server', () => {
    if (env.demo.exitCode !== null) throw new Error(`serve-demo.sh exited:\n${env.output.slice(-4000)}`);
    return existsSync(addrFile) && readFileSync(addrFile, 'utf8').trim();
  }, 60000);
  env.baseUrl = `http://${address}`;
  // Codes go to RUN_DIR/codes.jsonl, as run/codes.jsonl for run.sh.
  env.stack = stackClient({ baseUrl: env.baseUrl, dataDir: env.runDir });
  await launching;
});

after(async () => {
  await env.browser?.close();
  if (env.demo && env.demo.exitCode === null) {
    process.kill(-env.demo.pid, 'SIGINT');
    let timer;
    const stopped = await Promise.race([
      env.exited.then(() => true),
      new Promise((resolve) => { timer = setTimeout(() => resolve(false), 20000); }),
    ]);
    clearTimeout(timer);
    if (!stopped) process.kill(-env.demo.pid, 'SIGKILL');
    const { code } = await env.exited;
    assert.equal(code, 0, `Ctrl-C stops the demo cleanly:\n${env.output.slice(-2000)}`);
    assert.match(env.output, /stopped cleanly/);
  }
  rmSync(env.runDir, { recursive: true, force: true });
});

// What the server serves from web/ (server/http/static_files.cpp skips the rest).
function servedFiles(directory) {
  const skipped = new Set(['node_modules', 'tests', 'screenshots', 'vendor', 'package.json', 'package-lock.json']);
  const files = [];
  for (const name of readdirSync(directory)) {
    if (skipped.has(name) || name.startsWith('.')) continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) files.push(...servedFiles(path));
    else files.push(path);
  }
  return files;
}

test('every page and asset of the demo answers 200, ECharts, the screen\'s map and the share card\'s QR code included', async () => {
  const paths = servedFiles(webDir).map((file) => `/${relative(webDir, file)}`);
  assert.ok(paths.includes('/js/admin.js') && paths.includes('/admin.html'));
  paths.push('/', '/leaderboard', '/admin', '/me', '/practice', '/help', '/screen', '/vendor/echarts.min.js',
    '/vendor/qrcode.mjs', '/vendor/ningxia.js', '/api/v1/screen');
  for (const path of paths) {
    const response = await fetch(env.baseUrl + path);
    assert.equal(response.status, 200, `${path} answers ${response.status}`);
    await response.arrayBuffer();
  }
  const echarts = await fetch(`${env.baseUrl}/vendor/echarts.min.js`);
  assert.match(echarts.headers.get('content-type'), /^text\/javascript/);
  assert.ok((await echarts.arrayBuffer()).byteLength > 500000, 'the whole ECharts bundle');
  const qrcode = await fetch(`${env.baseUrl}/vendor/qrcode.mjs`);
  assert.match(qrcode.headers.get('content-type'), /^text\/javascript/);
  assert.match(await qrcode.text(), /export default/);
  const ningxia = await fetch(`${env.baseUrl}/vendor/ningxia.js`);
  assert.match(await ningxia.text(), /registerMap\("宁夏"/);
});

test('the office dashboard of the demo draws its charts', async () => {
  // One participant's challenge, so that the charts have a day and a city with numbers.
  const token = await env.stack.signIn(newPhone());
  await env.stack.setProfile(token, '演示用户', '640104', null);
  await env.stack.playAttempt(token, { right: false });

  const page = await newPage(env.browser, { width: 1280, height: 800 });
  await page.goto(`${env.baseUrl}/admin`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('anquanli-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const area = window.echarts?.getInstanceByDom(document.querySelector('#area-chart'));
    const trend = window.echarts?.getInstanceByDom(document.querySelector('#trend-chart'));
    return area?.getOption()?.series?.[0]?.data?.length > 0 && trend?.getOption()?.series?.[0]?.data?.length > 0;
  }, null, { timeout: 20000 });
  for (const chart of ['#trend-chart', '#area-chart']) {
    // zrender paints on the next animation frames: poll until the canvas has content.
    await page.waitForFunction((selector) => {
      let painted = 0;
      for (const canvas of document.querySelector(selector).querySelectorAll('canvas')) {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
      }
      return painted > 2000;
    }, chart, { timeout: 10000 });
  }
  assert.equal(await page.getByText('图表组件未能加载').count(), 0);
  assert.deepEqual(pageProblems(page), { pageErrors: [], dialogs: [], csp: [] });
  await screenshot(page, 'run-sh-admin-dashboard');
  await page.context().close();
});

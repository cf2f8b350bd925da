// Shared helper for the browser tests: starts Redis and anquanli-server on free loopback ports
// with a fresh data directory holding the demo data, drives the API from Node where a test only
// needs state (not clicks), and launches Debian's Chromium through playwright-core.
// It only ever stops the processes it started itself, by their pid.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import http from 'node:http';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileAsync = promisify(execFile);

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = resolve(webDir, '..');
export const buildDir = process.env.ANQUANLI_BUILD_DIR || join(repoDir, 'build/dev');
export const screenshotDir = join(webDir, 'screenshots');

export const ADMIN_USER = 'office';
export const ADMIN_PASSWORD = 'Ningxia-Office-2021';
export const XSS_NAME = '<img src=x onerror=alert(1)>';
export const PRIZE_NAME = '安全应急包';

const started = new Set(); // child processes this module started, stopped on exit at the latest
process.on('exit', () => {
  for (const child of started) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(what, check, timeoutMs = 15000, stepMs = 50) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(stepMs);
  }
}

function redisPing(port) {
  return new Promise((resolvePing) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) { socket.destroy(); resolvePing(reply.startsWith('+PONG')); }
    });
    socket.on('error', () => resolvePing(false));
    socket.setTimeout(1000, () => { socket.destroy(); resolvePing(false); });
  });
}

function admin(dataDir, args, input) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return execFileSync(join(buildDir, 'tools/anquanli-admin'), ['--data-dir', dataDir, ...args], {
        input: input ?? '',
        stdio: ['pipe', 'pipe', 'pipe'],
      }).toString();
    } catch (error) {
      // Retry only while a concurrent build is relinking the binary.
      if (!['EACCES', 'ETXTBSY', 'ENOENT'].includes(error.code) || attempt >= 20) {
        if (error.stderr) error.message += `\n${error.stderr}`;
        throw error;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
}

export function spawnTracked(file, args, logFile) {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', (error) => { child.spawnError = error; started.delete(child); });
  let log = '';
  const keep = (chunk) => { log = (log + chunk).slice(-200000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', () => { started.delete(child); if (logFile) try { writeFileSync(logFile, log); } catch { /* dir gone */ } });
  started.add(child);
  child.logTail = () => log.slice(-4000);
  child.log = () => log;
  return child;
}

export async function stopChild(child, timeoutMs = 5000) {
  if (!child || child.spawnError || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  try { process.kill(child.pid, 'SIGTERM'); } catch { return; }
  let timer;
  const done = await Promise.race([
    exited.then(() => true),
    new Promise((r) => { timer = setTimeout(() => r(false), timeoutMs); }),
  ]);
  clearTimeout(timer);
  if (!done) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    await exited;
  }
}

// The demo configuration, pointed at this run's Redis, code file and web root, with one prize
// that always wins so the wheel has something to show. `clockStart` (RFC 3339) moves the server's
// clock, e.g. past the competition's window; `serverLines` are added to [server];
// `trustedProxies` (CIDR strings) and `codesPerAddressPerHour` set those keys, for the tests that
// put a proxy in front; `extraToml` (whole tables, e.g. "[practice]\nenabled = false") comes after
// everything else but the prize; `screenPublic: false` makes the big screen private (the demo's
// is public) and `screenTokenHash` sets its display token's hash.
function writeConfig(dataDir, redisPort, {
  clockStart, serverLines = '', trustedProxies, codesPerAddressPerHour, extraToml = '', screenPublic,
  screenTokenHash,
} = {}) {
  let text = readFileSync(join(repoDir, 'config/demo.toml'), 'utf8');
  if (clockStart) text = text.replace(/^start\s*=.*$/m, `start = "${clockStart}"`);
  if (screenPublic === false) text = text.replace(/^public\s*=\s*true$/m, 'public = false');
  if (screenTokenHash) text = text.replace(/^(public\s*=.*)$/m, `$1\ntoken_hash = "${screenTokenHash}"`);
  text = text.replace(/^\[\[prizes\]\][\s\S]*$/m, ''); // drop the demo prizes (they come last)
  text = text.replace(/^listen\s*=.*$/m, '').replace(/^data_dir\s*=.*$/m, '');
  text = text.replace(/^code_sender\s*=.*$/m, `code_sender = "file:${join(dataDir, 'codes.jsonl')}"`);
  text = text.replace(/^address\s*=.*$/m, `address = "127.0.0.1:${redisPort}"`);
  if (!/^\[server\]/m.test(text)) text += '\n[server]\n';
  // Tests need no durability against power loss: NORMAL keeps each commit off fsync.
  text = text.replace(/^\[server\]$/m, `[server]\nsqlite_synchronous = "NORMAL"\n${serverLines}`);
  if (trustedProxies) {
    text = text.replace(/^\[server\]$/m, `[server]\ntrusted_proxies = ${JSON.stringify(trustedProxies)}`);
  }
  if (codesPerAddressPerHour) {
    text = text.replace(/^codes_per_address_per_hour\s*=.*$/m, `codes_per_address_per_hour = ${codesPerAddressPerHour}`);
  }
  text += `\n[web]\nroot = "${webDir}"\n`;
  if (extraToml) text += `\n${extraToml}\n`;
  text += `\n[[prizes]]\nid = "P1"\nname = "${PRIZE_NAME}"\ntotal = 100000\nprobability = 1.0\n`;
  const file = join(dataDir, 'test.toml');
  writeFileSync(file, text);
  return file;
}

export async function startStack(options = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'anquanli-web-'));
  try {
    return await startIn(dataDir, options);
  } catch (error) {
    if (!process.env.ANQUANLI_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function startIn(dataDir, { xss = false, ...configOptions }) {
  admin(dataDir, ['init']);
  admin(dataDir, ['regions', 'import', join(repoDir, 'server/demo/regions-ningxia.csv')]);
  admin(dataDir, ['units', 'import', join(repoDir, 'server/demo/units-demo.csv')]);
  if (xss) {
    const csv = join(dataDir, 'units-xss.csv');
    writeFileSync(csv, `id,name,region_code,sector,headcount\nX0001,${XSS_NAME},640104,其他,12\n`);
    admin(dataDir, ['units', 'import', csv]);
  }
  admin(dataDir, ['questions', 'import', join(repoDir, 'question_bank/demo/demo-bank.jsonl')]);
  admin(dataDir, ['admins', 'add', '--username', ADMIN_USER, '--region', '640000'], `${ADMIN_PASSWORD}\n`);

  const redisPort = await freePort();
  const redis = spawnTracked('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no', '--dir', dataDir]);
  await waitUntil('redis', () => redisPing(redisPort));

  const config = writeConfig(dataDir, redisPort, configOptions);
  const addrFile = join(dataDir, 'server.addr');
  let server;
  let address;
  // A binary that is being relinked cannot be started (EACCES, ETXTBSY): try again briefly.
  for (let attempt = 1; ; attempt += 1) {
    server = spawnTracked(join(buildDir, 'server/anquanli-server'),
      ['--config', config, '--data-dir', dataDir, '--listen', '127.0.0.1:0'], join(dataDir, 'server.log'));
    try {
      address = await waitUntil('server.addr', () => {
        if (server.spawnError) throw server.spawnError;
        if (server.exitCode !== null || server.signalCode !== null) {
          const failure = new Error(`anquanli-server exited (${server.exitCode ?? server.signalCode}):\n${server.logTail()}`);
          failure.code = server.signalCode ? 'CRASHED' : 'EXITED';
          throw failure;
        }
        return existsSync(addrFile) && readFileSync(addrFile, 'utf8').trim();
      }, 30000);
      break;
    } catch (error) {
      await stopChild(server);
      // A binary being relinked by a concurrent build: missing, busy, or half-written (crashes).
      if (['EACCES', 'ETXTBSY', 'ENOENT', 'CRASHED'].includes(error.code) && attempt < 20) {
        await delay(1000);
        continue;
      }
      await stopChild(redis);
      throw error;
    }
  }
  const baseUrl = `http://${address}`;

  const stack = stackClient({ baseUrl, dataDir });
  stack.redisPort = redisPort;
  // anquanli-admin on this stack's data directory (e.g. `admins add`), beside the running server.
  stack.admin = (args, input) => admin(dataDir, args, input);
  stack.serverLog = () => server.log();
  stack.stop = async () => {
    await stopChild(server);
    await stopChild(redis);
    if (!process.env.ANQUANLI_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
  return stack;
}

// API and database helpers for a running server and its data directory.
export function stackClient({ baseUrl, dataDir }) {
  const stack = {
    dataDir,
    baseUrl,
    // The newest code sent to a phone, waiting for it to arrive in the file.
    async codeFor(phone) {
      return waitUntil(`code for ${phone}`, () => {
        const file = join(dataDir, 'codes.jsonl');
        if (!existsSync(file)) return null;
        const lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
        const mine = lines.map((l) => JSON.parse(l)).filter((e) => e.phone === phone);
        return mine.length ? mine[mine.length - 1].code : null;
      }, 10000);
    },
    async sql(query) {
      const { stdout } = await execFileAsync('sqlite3', [join(dataDir, 'anquanli.db'), query]);
      return stdout.trim();
    },
    // The keys that answer a question of an attempt, as the admin tool prints the paper (how
    // papers are stored is the server's business).
    async correctKeys(attemptId, position) {
      const { stdout } = await execFileAsync(join(buildDir, 'tools/anquanli-admin'),
        ['--data-dir', dataDir, 'attempts', 'paper', String(Number(attemptId))]);
      return JSON.parse(stdout)[Number(position)].correct_keys;
    },
    // JSON API call from Node (for setting up state the test does not click through).
    // (node:http without keep-alive, so no idle socket keeps the test process alive)
    api(path, { method = 'GET', body, token } = {}) {
      const headers = { Connection: 'close' };
      if (token) headers.Authorization = `Bearer ${token}`;
      const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
      if (payload) headers['Content-Length'] = payload.length;
      return new Promise((resolveCall, reject) => {
        const request = http.request(baseUrl + path, { method, headers, agent: false }, (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let data = null;
            try { data = text ? JSON.parse(text) : null; } catch { data = text; }
            resolveCall({ status: response.statusCode, data, headers: response.headers });
          });
        });
        request.on('error', reject);
        request.end(payload ?? undefined);
      });
    },
    async signIn(phone) {
      const sent = await stack.api('/api/v1/auth/code', { method: 'POST', body: { phone } });
      if (sent.status !== 202) throw new Error(`code request: ${JSON.stringify(sent.data)}`);
      const code = await stack.codeFor(phone);
      const login = await stack.api('/api/v1/auth/login', { method: 'POST', body: { phone, code } });
      if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.data)}`);
      return login.data.token;
    },
    async setProfile(token, name, region, unitId) {
      const r = await stack.api('/api/v1/me', { method: 'PUT', token, body: { name, region, unit_id: unitId ?? null } });
      if (r.status !== 200) throw new Error(`profile: ${JSON.stringify(r.data)}`);
      return r.data;
    },
    // Starts today's attempt and answers every question, right (from SQLite) or with the first key.
    async playAttempt(token, { right = true, stopAfter = Infinity } = {}) {
      const start = await stack.api('/api/v1/attempts', { method: 'POST', token });
      if (start.status !== 201) throw new Error(`start: ${JSON.stringify(start.data)}`);
      let attempt = start.data;
      let count = 0;
      while (attempt.current && count < stopAfter) {
        const { index, question } = attempt.current;
        const choice = right ? await stack.correctKeys(attempt.id, index) : [question.options[0].key];
        const r = await stack.api(`/api/v1/attempts/${attempt.id}/answers`, { method: 'POST', token, body: { index, choice } });
        if (r.status !== 200) throw new Error(`answer: ${JSON.stringify(r.data)}`);
        attempt = r.data.attempt;
        count += 1;
      }
      return attempt;
    },
  };
  return stack;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Each test file's set-up: the server stack (startStack `options`) and Chromium, started side by
// side into `env.stack` and `env.browser`. The browser is kept even when the server fails to
// start, so that stopStackAndBrowser can still close it.
export async function startStackAndBrowser(env, options = {}) {
  const launching = launchBrowser().then((launched) => { env.browser = launched; });
  try {
    env.stack = await startStack(options);
  } finally {
    await launching;
  }
}

export async function stopStackAndBrowser(env) {
  await env.browser?.close();
  await env.stack?.stop();
}

// A new page that records script errors, dialogs and failed API calls, for assertions.
export async function newPage(browser, { width = 360, height = 640, reducedMotion = 'reduce', ...rest } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, reducedMotion, locale: 'zh-CN', acceptDownloads: true, ...rest,
  });
  const page = await context.newPage();
  page.dialogs = [];
  page.pageErrors = [];
  page.consoleErrors = [];
  page.on('dialog', async (dialog) => { page.dialogs.push(dialog.message()); await dialog.dismiss(); });
  page.on('pageerror', (error) => page.pageErrors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') page.consoleErrors.push(message.text()); });
  return page;
}

// What went wrong on a page: script errors, dialogs, and Content-Security-Policy violations.
export function pageProblems(page) {
  return {
    pageErrors: page.pageErrors,
    dialogs: page.dialogs,
    csp: page.consoleErrors.filter((text) => /Content Security Policy/i.test(text)),
  };
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false });
}

// Fails when the page scrolls sideways at its current width.
export async function horizontalOverflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    offenders: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
        && e.getClientRects().length > 0)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`),
  }));
}

let phoneCounter = 0;
// Distinct phone numbers per test file run (the file's pid keeps parallel files apart).
export function newPhone() {
  phoneCounter += 1;
  const base = (process.pid % 100000) * 100 + phoneCounter;
  return `139${String(base).padStart(8, '0').slice(-8)}`;
}

// Signs in through the page: phone, code from the file, login.
export async function signInOnPage(page, stack, phone) {
  await page.getByLabel('手机号码').fill(phone);
  await page.getByRole('button', { name: /获取验证码/ }).click();
  const code = await stack.codeFor(phone);
  await page.getByLabel('验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

// Puts a participant token into the page's localStorage (for tests that sign in through the API).
export async function useToken(page, baseUrl, token) {
  await page.goto(`${baseUrl}/favicon.svg`);
  await page.evaluate((t) => localStorage.setItem('anquanli.token', t), token);
}

// Fills in the profile form: name, city, county, and a unit found by searching `unitQuery`
// (clicking the result whose text is `unitName`), or 社会公众 when unitQuery is null.
export async function fillProfileOnPage(page, { name, city, county, unitQuery, unitName }) {
  await page.locator('#screen-profile').waitFor();
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('所在市（或区直、宁东）').selectOption({ label: city });
  if (county) await page.getByLabel('所在县（市、区）').selectOption({ label: county });
  if (unitQuery === null) {
    await page.getByText('社会公众（无单位）').click();
  } else {
    await page.getByLabel('搜索单位名称').fill(unitQuery);
    const item = page.locator('#unit-results .pick-list__name', { hasText: unitName ?? unitQuery }).first();
    await item.click();
    await page.locator('#unit-chosen').waitFor();
  }
  await page.locator('#profile-consent').check();
}

// Answers the question on screen: the right keys from SQLite when `right`, else the first option.
// Waits for the feedback and returns { index, verdict }.
export async function answerOnPage(page, stack, { right = true } = {}) {
  const question = page.locator('#question');
  await question.waitFor({ state: 'visible' });
  const attemptId = await question.getAttribute('data-attempt');
  const index = Number(await question.getAttribute('data-index'));
  const type = await page.locator('#question-type').getAttribute('data-type');
  const keys = right ? await stack.correctKeys(attemptId, index)
    : [await page.locator('#question-options .option').first().getAttribute('data-key')];
  for (const key of keys) await page.locator(`#question-options .option[data-key="${key}"]`).click();
  if (type === 'multiple') await page.locator('#answer-submit').click();
  await page.locator('#feedback').waitFor({ state: 'visible' });
  const verdict = (await page.locator('#feedback-verdict').textContent()).trim();
  return { index, verdict, attemptId: Number(attemptId) };
}

// Answers every remaining question, pressing 下一题 / 查看结果 each time.
export async function answerAllOnPage(page, stack, options = {}) {
  const verdicts = [];
  for (;;) {
    const result = await answerOnPage(page, stack, options);
    verdicts.push(result.verdict);
    const next = page.locator('#next-button');
    const label = (await next.textContent()).trim();
    await next.click();
    if (label === '查看结果') break;
    await page.locator(`#question[data-index="${result.index + 1}"]`).waitFor({ state: 'visible' });
  }
  await page.locator('#screen-result').waitFor({ state: 'visible' });
  return verdicts;
}

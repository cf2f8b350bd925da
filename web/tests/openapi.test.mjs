// docs/openapi.yaml against the real server. The document's operations must be exactly the routes
// `anquanli-server --print-routes` lists (method, pattern, who may call it, load priority), and a
// walk through every route — valid input along a whole competition day, and invalid input of each
// kind — must get only responses the document allows: a documented status, content type, headers
// and a body that validates against the schema for that status. At the end every operation must
// have been seen succeeding and failing with each of its documented 4xx statuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';
import net from 'node:net';
import {
  startStack, buildDir, newPhone, ADMIN_USER, ADMIN_PASSWORD,
} from './harness.mjs';
import { ApiDocument } from './openapi.mjs';

const execFileAsync = promisify(execFile);
const serverBinary = join(buildDir, 'server/anquanli-server');
const api = new ApiDocument();
const seen = new Map(); // 'GET /api/v1/me' -> statuses the walk got
const env = {};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CITY_PASSWORD = 'Yinchuan-Office-2021';
const LOCKED_PASSWORD = 'Locktest-Office-2021';

before(async () => {
  env.stack = await startStack();
  env.stack.admin(['admins', 'add', '--username', 'yinchuan', '--region', '640100'], `${CITY_PASSWORD}\n`);
  env.stack.admin(['admins', 'add', '--username', 'locktest', '--region', '640104'], `${LOCKED_PASSWORD}\n`);
});

after(() => env.stack?.stop());

// The binary's own output, retried while a concurrent build relinks it.
async function run(args) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await execFileAsync(serverBinary, args)).stdout;
    } catch (error) {
      if (!['EACCES', 'ETXTBSY', 'ENOENT'].includes(error.code) || attempt >= 20) throw error;
      await new Promise((r) => { setTimeout(r, 1000); });
    }
  }
}

// One HTTP request; `body` is sent as JSON, `raw` as is. The reply's body stays bytes.
function call(stack, method, target, { token, body, raw } = {}) {
  const headers = { Connection: 'close' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const payload = raw !== undefined ? Buffer.from(raw) : body !== undefined ? Buffer.from(JSON.stringify(body)) : null;
  if (payload) headers['Content-Length'] = payload.length;
  return new Promise((resolve, reject) => {
    const request = http.request(stack.baseUrl + target, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(payload ?? undefined);
  });
}

// Bytes straight onto a socket, for what node:http will not send; the reply parsed by hand.
function rawExchange(stack, bytes) {
  const { hostname, port } = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(text.slice(split + 4)) });
    });
  });
}

// Calls a route and fails on anything the document does not allow; `expect` is the status the
// walk means to reach. Returns the reply with `json` parsed when it is JSON.
async function check(method, target, { expect, stack = env.stack, ...options } = {}) {
  const reply = await call(stack, method, target, options);
  const path = target.split('?')[0];
  const template = api.templateOf(path);
  const where = `${method} ${target}`;
  assert.deepEqual(api.problems(method, path, reply), [], where);
  if (expect !== undefined) assert.equal(reply.status, expect, `${where}: ${reply.body.toString('utf8').slice(0, 300)}`);
  const key = `${method} ${template}`;
  if (!seen.has(key)) seen.set(key, new Set());
  seen.get(key).add(reply.status);
  if ((reply.headers['content-type'] ?? '').includes('json')) reply.json = JSON.parse(reply.body.toString('utf8'));
  return reply;
}

// Opens an event stream and keeps its head and first event (the stream itself never ends), then
// checks them as `check` does a whole reply; the first event's data must be a ScreenSnapshot.
function checkStream(target, { expect, stack = env.stack, token } = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  return new Promise((resolve, reject) => {
    const request = http.request(stack.baseUrl + target, { headers, agent: false }, (response) => {
      const chunks = [];
      const finish = () => {
        request.destroy();
        const reply = { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) };
        const path = target.split('?')[0];
        assert.deepEqual(api.problems('GET', path, reply), [], `GET ${target}`);
        if (expect !== undefined) assert.equal(reply.status, expect, `GET ${target}`);
        const key = `GET ${api.templateOf(path)}`;
        if (!seen.has(key)) seen.set(key, new Set());
        seen.get(key).add(reply.status);
        resolve(reply);
      };
      response.on('data', (chunk) => {
        chunks.push(chunk);
        const text = Buffer.concat(chunks).toString('utf8');
        const event = text.match(/event: screen\ndata: (.*)\n\n/);
        if (event) {
          const snapshot = { $ref: '#/components/schemas/ScreenSnapshot' };
          assert.deepEqual(api.schemaProblems('stream event', api.bodies, snapshot, JSON.parse(event[1])), []);
          finish();
        }
      });
      response.on('end', finish);
    });
    request.on('error', (error) => { if (error.code !== 'ECONNRESET') reject(error); });
    request.end();
  });
}

function errorCode(reply) {
  return reply.json?.error?.code;
}

async function codeFor(phone, stack = env.stack) {
  await check('POST', '/api/v1/auth/code', { body: { phone }, expect: 202, stack });
  return stack.codeFor(phone);
}

async function signIn(phone, stack = env.stack) {
  const code = await codeFor(phone, stack);
  const login = await check('POST', '/api/v1/auth/login', { body: { phone, code }, expect: 200, stack });
  return login.json.token;
}

async function officeToken(username, password) {
  const login = await check('POST', '/api/v1/admin/login', { body: { username, password }, expect: 200 });
  return login.json.token;
}

// Answers the current question of `attempt` right (keys from SQLite) and returns the reply.
async function answerRight(token, attempt) {
  const { index } = attempt.current;
  const choice = await env.stack.correctKeys(attempt.id, index);
  return check('POST', `/api/v1/attempts/${attempt.id}/answers`, { token, body: { index, choice }, expect: 200 });
}

test('the document lists exactly the routes of anquanli-server --print-routes', async () => {
  const routes = (await run(['--print-routes'])).trim().split('\n').map((line) => JSON.parse(line));
  assert.ok(routes.length >= 25, `${routes.length} routes`);
  const documented = new Map(api.operations().map((o) => [`${o.method} ${o.path}`, o.operation]));
  const listed = new Map(routes.map((r) => [`${r.method} ${r.pattern}`, r]));
  assert.deepEqual([...listed.keys()].filter((k) => !documented.has(k)), [], 'routes missing from docs/openapi.yaml');
  assert.deepEqual([...documented.keys()].filter((k) => !listed.has(k)), [], 'operations the server does not have');
  for (const [key, route] of listed) {
    const operation = documented.get(key);
    const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
    const auth = { participantToken: 'participant', officeToken: 'admin' }[schemes[0]] ?? 'none';
    assert.equal(schemes.length <= 1 ? auth : schemes.join('+'), route.auth, `${key}: security`);
    assert.equal(operation['x-load-priority'], route.priority, `${key}: x-load-priority`);
  }
});

test('the document\'s error codes are the catalogue\'s wire codes, each answered somewhere', async () => {
  // The "By code" table of the generated error index: | `code` | status | entries |
  const index = await run(['--print-error-catalogue']);
  const byCode = index.slice(index.indexOf('## By code'));
  const catalogue = [...byCode.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]).sort();
  assert.ok(catalogue.length > 20, 'the error index has its By code table');
  assert.deepEqual([...api.doc.components.schemas.ErrorCode.enum].sort(), catalogue);
  const used = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (node === null || typeof node !== 'object') return;
    const narrowed = node.properties?.error?.properties?.code?.enum;
    if (narrowed) {
      for (const code of narrowed) {
        assert.ok(catalogue.includes(code), `${code} is not a wire code of the catalogue`);
        used.add(code);
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(api.doc.paths);
  walk(api.doc.components.responses);
  assert.deepEqual(catalogue.filter((code) => !used.has(code)), [], 'wire codes no response documents');
});

test('operations routes', async () => {
  await check('GET', '/healthz', { expect: 200 });
  await check('GET', '/readyz', { expect: 200 });
  const metrics = await check('GET', '/metrics', { expect: 200 });
  assert.match(metrics.body.toString('utf8'), /anquanli_writer_commits_total/);
});

test('a participant\'s day: sign-in, profile, challenge, draws', async () => {
  const competition = await check('GET', '/api/v1/competition', { expect: 200 });
  assert.equal(competition.json.open, true);
  const regions = await check('GET', '/api/v1/regions', { expect: 200 });
  assert.ok(regions.json.items.some((r) => r.code === '640104'));
  await check('GET', `/api/v1/units?region=640104&q=${encodeURIComponent('公司')}&limit=3`, { expect: 200 });
  await check('GET', '/api/v1/units', { expect: 200 });
  assert.equal(errorCode(await check('GET', '/api/v1/units?limit=51', { expect: 400 })), 'invalid_limit');
  assert.equal(errorCode(await check('GET', `/api/v1/units?q=${'x'.repeat(101)}`, { expect: 400 })), 'invalid_query');

  // Sign-in: a code, a refusal to resend at once, bad bodies, a wrong code, the right one.
  const phone = newPhone();
  const code = await codeFor(phone);
  const again = await check('POST', '/api/v1/auth/code', { body: { phone }, expect: 429 });
  assert.match(again.headers['retry-after'], /^\d+$/);
  assert.equal(errorCode(await check('POST', '/api/v1/auth/code', { raw: 'phone=1', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('POST', '/api/v1/auth/code', { body: { phone: '12345' }, expect: 400 })), 'invalid_phone');
  assert.equal(errorCode(await check('POST', '/api/v1/auth/login', { raw: '[]', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('POST', '/api/v1/auth/login', { body: { phone: '1', code }, expect: 400 })), 'invalid_phone');
  const wrong = code === '000000' ? '111111' : '000000';
  assert.equal(errorCode(await check('POST', '/api/v1/auth/login', { body: { phone, code: wrong }, expect: 401 })), 'invalid_code');
  const login = await check('POST', '/api/v1/auth/login', { body: { phone, code }, expect: 200 });
  assert.equal(login.json.profile_complete, false);
  const token = login.json.token;

  // Five wrong codes lock a phone: then even a right code is 429.
  const locked = newPhone();
  const lockedCode = await codeFor(locked);
  const notIt = lockedCode === '000000' ? '111111' : '000000';
  let refusal;
  for (let i = 0; i < 6 && refusal?.status !== 429; i += 1) {
    refusal = await check('POST', '/api/v1/auth/login', { body: { phone: locked, code: notIt } });
  }
  assert.equal(refusal.status, 429);
  await check('POST', '/api/v1/auth/login', { body: { phone: locked, code: lockedCode }, expect: 429 });

  // The profile.
  await check('GET', '/api/v1/me', { expect: 401 });
  await check('GET', '/api/v1/me', { token: 'not-a-token', expect: 401 });
  const fresh = await check('GET', '/api/v1/me', { token, expect: 200 });
  assert.equal(fresh.json.today.status, 'none');
  assert.equal(errorCode(await check('POST', '/api/v1/attempts', { token, expect: 403 })), 'profile_incomplete');
  await check('PUT', '/api/v1/me', { body: { name: '张三', region: '640104' }, expect: 401 });
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, raw: '{', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, body: { name: '', region: '640104' }, expect: 400 })), 'invalid_name');
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, body: { name: '张三' }, expect: 400 })), 'invalid_region');
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, body: { name: '张三', region: '640100' }, expect: 400 })), 'invalid_region');
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, body: { name: '张三', region: '640104', unit_id: 8 }, expect: 400 })), 'invalid_unit');
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, body: { name: '张三', region: '640104', unit_id: 'U0252' }, expect: 400 })), 'invalid_unit');
  const profile = await check('PUT', '/api/v1/me', { token, body: { name: '张三', region: '640104', unit_id: 'U0008' }, expect: 200 });
  assert.equal(profile.json.unit.id, 'U0008');

  // The challenge: start, the refusals of a second start and of a profile change, bad answers.
  await check('POST', '/api/v1/attempts', { expect: 401 });
  const start = await check('POST', '/api/v1/attempts', { token, expect: 201 });
  let attempt = start.json;
  const second = await check('POST', '/api/v1/attempts', { token, expect: 409 });
  assert.equal(second.json.attempt_id, attempt.id);
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token, body: { name: '李四', region: '640104' }, expect: 409 })), 'profile_locked');
  await check('GET', `/api/v1/attempts/${attempt.id}`, { token, expect: 200 });
  await check('GET', `/api/v1/attempts/${attempt.id}`, { expect: 401 });
  await check('GET', '/api/v1/attempts/abc', { token, expect: 404 });
  await check('GET', '/api/v1/attempts/999999', { token, expect: 404 });
  const answers = `/api/v1/attempts/${attempt.id}/answers`;
  await check('POST', answers, { body: { index: 0, choice: ['A'] }, expect: 401 });
  await check('POST', '/api/v1/attempts/0/answers', { token, body: { index: 0, choice: ['A'] }, expect: 404 });
  assert.equal(errorCode(await check('POST', answers, { token, raw: 'index=0', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('POST', answers, { token, body: { index: -1, choice: ['A'] }, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('POST', answers, { token, body: { index: 0, choice: 'A' }, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('POST', answers, { token, body: { index: 0, choice: [5] }, expect: 400 })), 'invalid_choice');
  assert.equal(errorCode(await check('POST', answers, { token, body: { index: 0, choice: ['Z'] }, expect: 400 })), 'invalid_choice');
  assert.equal(errorCode(await check('POST', answers, { token, body: { index: 1, choice: ['A'] }, expect: 409 })), 'out_of_order');
  const first = await answerRight(token, attempt);
  assert.equal(first.json.correct, true);
  const repeat = await check('POST', answers, { token, body: { index: 0, choice: first.json.choice }, expect: 200 });
  assert.deepEqual(repeat.json.choice, first.json.choice);
  const options = start.json.current.question.options.map((o) => o.key);
  const different = options.find((key) => !first.json.choice.includes(key));
  assert.equal(errorCode(await check('POST', answers, { token, body: { index: 0, choice: [different] }, expect: 409 })), 'already_answered');

  // Every other question right: a perfect attempt that closes itself, then finish is idempotent.
  attempt = first.json.attempt;
  while (attempt.current) attempt = (await answerRight(token, attempt)).json.attempt;
  assert.equal(attempt.status, 'finished');
  assert.equal(attempt.result.correct, attempt.questions_total);
  const finish = await check('POST', `/api/v1/attempts/${attempt.id}/finish`, { token, expect: 200 });
  assert.deepEqual(finish.json.result, attempt.result);
  await check('POST', `/api/v1/attempts/${attempt.id}/finish`, { expect: 401 });
  await check('POST', '/api/v1/attempts/x/finish', { token, expect: 404 });

  // A second participant answers five, finishes early, and cannot see the first one's attempt.
  const token2 = await signIn(newPhone());
  await check('PUT', '/api/v1/me', { token: token2, body: { name: '赵六', region: '640105', unit_id: null }, expect: 200 });
  let attempt2 = (await check('POST', '/api/v1/attempts', { token: token2, expect: 201 })).json;
  await check('GET', `/api/v1/attempts/${attempt.id}`, { token: token2, expect: 404 });
  for (let i = 0; i < 5; i += 1) attempt2 = (await answerRight(token2, attempt2)).json.attempt;
  const early = await check('POST', `/api/v1/attempts/${attempt2.id}/finish`, { token: token2, expect: 200 });
  assert.equal(early.json.status, 'finished');
  assert.equal(errorCode(await check('POST', `/api/v1/attempts/${attempt2.id}/answers`,
    { token: token2, body: { index: 5, choice: ['A'] }, expect: 409 })), 'attempt_finished');

  // The lottery: every earned draw, then none left.
  const me = await check('GET', '/api/v1/me', { token, expect: 200 });
  assert.ok(me.json.draws_available > 0);
  for (let left = me.json.draws_available; left > 0; left -= 1) {
    const drawn = await check('POST', '/api/v1/draws', { token, expect: 200 });
    assert.equal(drawn.json.draws_available, left - 1);
  }
  assert.equal(errorCode(await check('POST', '/api/v1/draws', { token, expect: 409 })), 'no_draws_available');
  await check('POST', '/api/v1/draws', { expect: 401 });
  const draws = await check('GET', '/api/v1/draws', { token, expect: 200 });
  assert.equal(draws.json.items.length, me.json.draws_available);
  await check('GET', '/api/v1/draws', { token: token2, expect: 200 });
  await check('GET', '/api/v1/draws', { expect: 401 });
  const after = await check('GET', '/api/v1/me', { token, expect: 200 });
  assert.equal(after.json.today.status, 'finished');
  env.participantToken = token;
});

test('leaderboards', async () => {
  const regions = '/api/v1/leaderboards/regions';
  const units = '/api/v1/leaderboards/units';
  await check('GET', regions, { expect: 200 });
  const counties = await check('GET', `${regions}?parent=640100&metric=participants`, { expect: 200 });
  assert.ok(counties.json.items.some((item) => item.code === '640104' && item.participants >= 1));
  for (const item of counties.json.items) {
    assert.equal(item.participants, item.participants_with_unit + item.participants_public);
  }
  const byRate = await check('GET', `${regions}?parent=640100&metric=participation_rate`, { expect: 200 });
  assert.equal(byRate.json.metric, 'participation_rate');
  assert.ok(byRate.json.items.every((item) => item.rate === item.participation_rate));
  await check('GET', `${regions}?metric=rate&day=2021-06-16`, { expect: 200 });
  await check('GET', `${regions}?parent=640104`, { expect: 200 });
  assert.equal(errorCode(await check('GET', `${regions}?metric=score`, { expect: 400 })), 'invalid_metric');
  assert.equal(errorCode(await check('GET', `${regions}?day=2020-01-01`, { expect: 400 })), 'invalid_day');
  assert.equal(errorCode(await check('GET', `${regions}?day=June`, { expect: 400 })), 'invalid_day');
  assert.equal(errorCode(await check('GET', `${regions}?parent=999999`, { expect: 400 })), 'invalid_region');
  assert.equal(errorCode(await check('GET', `${regions}?parent=`, { expect: 400 })), 'invalid_region');

  const page = await check('GET', `${units}?region=640100&metric=participants&limit=3`, { expect: 200 });
  assert.equal(page.json.items.length, 3);
  await check('GET', `${units}?sector=${encodeURIComponent('危险化学品')}&metric=attempts`, { expect: 200 });
  await check('GET', `${units}?metric=rate&day=2021-06-16&limit=100&offset=50`, { expect: 200 });
  await check('GET', `${units}?metric=participation_rate`, { expect: 200 });
  for (const query of ['limit=0', 'limit=101', 'offset=-1']) {
    assert.equal(errorCode(await check('GET', `${units}?${query}`, { expect: 400 })), 'invalid_limit');
  }
  assert.equal(errorCode(await check('GET', `${units}?region=999999`, { expect: 400 })), 'invalid_region');
  assert.equal(errorCode(await check('GET', `${units}?metric=x`, { expect: 400 })), 'invalid_metric');

  const standing = await check('GET', `${units}/U0008?around=1`, { expect: 200 });
  assert.equal(standing.json.unit.id, 'U0008');
  await check('GET', `${units}/U0008?day=2021-06-16&metric=rate&around=0`, { expect: 200 });
  assert.equal(errorCode(await check('GET', `${units}/U9999`, { expect: 404 })), 'not_found');
  assert.equal(errorCode(await check('GET', `${units}/U0008?around=51`, { expect: 400 })), 'invalid_limit');
  assert.equal(errorCode(await check('GET', `${units}/U0008?day=2021-07-01`, { expect: 400 })), 'invalid_day');
});

test('the participant\'s own layer: history, review, practice, ranks, prizes, claims', async () => {
  assert.ok(env.participantToken, 'the participant test ran first');
  const token = env.participantToken;

  // History and the review of the closed challenge; the 错题本.
  const history = await check('GET', '/api/v1/me/attempts', { token, expect: 200 });
  assert.equal(history.json.items[0].status, 'finished');
  await check('GET', '/api/v1/me/attempts?kind=practice', { token, expect: 200 });
  assert.equal(errorCode(await check('GET', '/api/v1/me/attempts?kind=all', { token, expect: 400 })), 'invalid_request');
  await check('GET', '/api/v1/me/attempts', { expect: 401 });
  const reviewed = await check('GET', `/api/v1/attempts/${history.json.items[0].id}`, { token, expect: 200 });
  assert.equal(reviewed.json.review.length, reviewed.json.questions_total);
  await check('GET', '/api/v1/me/mistakes', { token, expect: 200 });
  await check('GET', '/api/v1/me/mistakes', { expect: 401 });

  // Consent on the profile form, a unit of the city (市直) under a county, then the 练功房.
  const learner = await signIn(newPhone());
  assert.equal(errorCode(await check('PUT', '/api/v1/me', { token: learner, body: { name: '孙八', region: '640104', consent: 'yes' }, expect: 400 })), 'invalid_request');
  const consented = await check('PUT', '/api/v1/me', { token: learner, body: { name: '孙八', region: '640104', consent: true }, expect: 200 });
  assert.ok(consented.json.consent_at);
  await check('GET', '/api/v1/units?region=640104&parents=true', { expect: 200 });
  await check('POST', '/api/v1/practice', { expect: 401 });
  assert.equal(errorCode(await check('POST', '/api/v1/practice', { token: learner, raw: '{', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('POST', '/api/v1/practice', { token: learner, body: { mistakes: 'yes' }, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('POST', '/api/v1/practice', { token: learner, body: { category: '烹饪' }, expect: 400 })), 'invalid_category');
  assert.equal(errorCode(await check('POST', '/api/v1/practice', { token: learner, body: { mistakes: true }, expect: 409 })), 'no_mistakes');
  let practice = (await check('POST', '/api/v1/practice', { token: learner, body: { category: '安全管理' }, expect: 201 })).json;
  assert.equal(practice.kind, 'practice');
  while (practice.current) practice = (await answerRight(learner, practice)).json.attempt;
  assert.equal(practice.result.points, 0);
  for (let i = 1; i < 6; i += 1) await check('POST', '/api/v1/practice', { token: learner, expect: 201 });
  assert.equal(errorCode(await check('POST', '/api/v1/practice', { token: learner, expect: 409 })), 'practice_limit_reached');

  // Personal rankings and the participant's own ranks.
  const people = '/api/v1/leaderboards/participants';
  const board = await check('GET', people, { expect: 200 });
  assert.ok(board.json.items.every((item) => /^.\*$/.test(item.name)));
  await check('GET', `${people}?region=640104&limit=5&offset=0`, { expect: 200 });
  await check('GET', `${people}?day=2021-06-16`, { expect: 200 });
  assert.equal(errorCode(await check('GET', `${people}?region=999999`, { expect: 400 })), 'invalid_region');
  assert.equal(errorCode(await check('GET', `${people}?limit=0`, { expect: 400 })), 'invalid_limit');
  assert.equal(errorCode(await check('GET', `${people}?day=2020-01-01`, { expect: 400 })), 'invalid_day');
  const me = await check('GET', '/api/v1/me', { token, expect: 200 });
  assert.deepEqual(me.json.ranks.map((r) => r.region_code), ['640000', '640100', '640104']);

  // Prizes, 中奖公示 and the seeds' commitments.
  await check('GET', '/api/v1/prizes', { expect: 200 });
  const winners = await check('GET', '/api/v1/winners?day=2021-06-16', { expect: 200 });
  assert.ok(winners.json.items.length > 0);
  await check('GET', '/api/v1/winners', { expect: 200 });
  assert.equal(errorCode(await check('GET', '/api/v1/winners?day=2020-01-01', { expect: 400 })), 'invalid_day');
  const commitments = await check('GET', '/api/v1/draws/commitments', { expect: 200 });
  assert.ok(commitments.json.items.some((item) => item.day === '2021-06-16' && item.seed === null));

  // A claim on a won draw, and the office marking it sent.
  const draws = await check('GET', '/api/v1/draws', { token, expect: 200 });
  const won = draws.json.items.find((item) => item.prize);
  const claim = `/api/v1/draws/${won.draw_id}/claim`;
  const details = { recipient: '张三', phone: '13912345678', address: '宁夏银川市兴庆区解放西街 1 号' };
  await check('PUT', claim, { body: details, expect: 401 });
  assert.equal(errorCode(await check('PUT', claim, { token, raw: '{', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('PUT', claim, { token, body: { ...details, recipient: '' }, expect: 400 })), 'invalid_name');
  assert.equal(errorCode(await check('PUT', claim, { token, body: { ...details, phone: '123' }, expect: 400 })), 'invalid_phone');
  assert.equal(errorCode(await check('PUT', claim, { token, body: { ...details, address: '' }, expect: 400 })), 'invalid_address');
  await check('PUT', claim, { token: learner, body: details, expect: 404 });
  await check('PUT', '/api/v1/draws/x/claim', { token, body: details, expect: 404 });
  await check('PUT', claim, { token, body: details, expect: 200 });
  const office = await officeToken(ADMIN_USER, ADMIN_PASSWORD);
  const sent = `/api/v1/admin/draws/${won.draw_id}/sent`;
  await check('POST', sent, { expect: 401 });
  assert.equal(errorCode(await check('POST', sent, { token, expect: 403 })), 'forbidden');
  await check('POST', '/api/v1/admin/draws/999999/sent', { token: office, expect: 404 });
  await check('POST', sent, { token: office, expect: 200 });
  await check('POST', sent, { token: office, expect: 200 });
  assert.equal(errorCode(await check('PUT', claim, { token, body: details, expect: 409 })), 'prize_already_sent');
  const exported = await check('GET', '/api/v1/admin/winners', { token: office, expect: 200 });
  assert.equal(exported.json.items.find((item) => item.draw_id === won.draw_id).delivery.address, details.address);
});

test('the office: sign-in, the bulletin in every format, daily, winners, question stats', async () => {
  assert.ok(env.participantToken, 'the participant test ran first');
  const participant = env.participantToken;
  const login = '/api/v1/admin/login';
  assert.equal(errorCode(await check('POST', login, { raw: 'user', expect: 400 })), 'invalid_request');
  await check('POST', login, { body: { username: ADMIN_USER }, expect: 400 });
  assert.equal(errorCode(await check('POST', login, { body: { username: ADMIN_USER, password: 'wrong-password-1' }, expect: 401 })), 'invalid_credentials');
  await check('POST', login, { body: { username: 'nobody', password: 'wrong-password-1' }, expect: 401 });
  let refusal;
  for (let i = 0; i < 6 && refusal?.status !== 429; i += 1) {
    refusal = await check('POST', login, { body: { username: 'locktest', password: 'wrong-password-1' } });
  }
  assert.equal(refusal.status, 429);
  await check('POST', login, { body: { username: 'locktest', password: LOCKED_PASSWORD }, expect: 429 });
  const office = await officeToken(ADMIN_USER, ADMIN_PASSWORD);
  const city = await officeToken('yinchuan', CITY_PASSWORD);

  // Every office route: its success, and the refusals they all share.
  for (const route of ['me', 'bulletin', 'daily', 'winners', 'questions/stats', 'categories/stats']) {
    const path = `/api/v1/admin/${route}`;
    await check('GET', path, { token: office, expect: 200 });
    await check('GET', `${path}?region=640104&from=2021-06-16&to=2021-06-16`, { token: office, expect: 200 });
    await check('GET', path, { token: city, expect: 200 });
    await check('GET', path, { expect: 401 });
    await check('GET', path, { token: 'not-a-token', expect: 401 });
    assert.equal(errorCode(await check('GET', path, { token: participant, expect: 403 })), 'forbidden');
    assert.equal(errorCode(await check('GET', `${path}?region=640000`, { token: city, expect: 403 })), 'forbidden');
    assert.equal(errorCode(await check('GET', `${path}?region=999999`, { token: office, expect: 400 })), 'invalid_region');
    assert.equal(errorCode(await check('GET', `${path}?from=2021-06-20&to=2021-06-10`, { token: office, expect: 400 })), 'invalid_period');
    assert.equal(errorCode(await check('GET', `${path}?from=16.06.2021`, { token: office, expect: 400 })), 'invalid_period');
  }

  // The bulletin at every level in every format, with the content each format promises.
  for (const level of ['city', 'county', 'unit']) {
    for (const format of ['json', 'csv', 'xlsx', 'html', 'pdf']) {
      const reply = await check('GET', `/api/v1/admin/bulletin?level=${level}&format=${format}`, { token: office, expect: 200 });
      const disposition = reply.headers['content-disposition'];
      if (format === 'json') {
        assert.equal(reply.json.level, level);
        assert.ok(reply.json.rows.length > 0);
      } else if (format === 'csv') {
        assert.equal(reply.headers['content-type'], 'text/csv; charset=utf-8');
        assert.equal(disposition, `attachment; filename="bulletin-640000-2021-06-01-2021-06-30-${level}.csv"`);
        assert.ok(reply.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'CSV starts with a BOM');
      } else if (format === 'xlsx') {
        assert.equal(reply.headers['content-type'], XLSX);
        assert.equal(disposition, `attachment; filename="bulletin-640000-2021-06-01-2021-06-30-${level}.xlsx"`);
        assert.ok(reply.body.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')), 'XLSX is a zip file');
      } else if (format === 'pdf') {
        assert.equal(reply.headers['content-type'], 'application/pdf');
        assert.equal(disposition, `attachment; filename="bulletin-640000-2021-06-01-2021-06-30-${level}.pdf"`);
        assert.equal(reply.body.subarray(0, 5).toString('latin1'), '%PDF-');
      } else {
        assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
        assert.equal(disposition, undefined, 'HTML is shown inline');
      }
    }
  }
  const bulletin = '/api/v1/admin/bulletin';
  assert.equal(errorCode(await check('GET', `${bulletin}?level=province`, { token: office, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('GET', `${bulletin}?format=docx`, { token: office, expect: 400 })), 'invalid_request');
  await check('GET', `${bulletin}?region=640900&format=csv`, { token: city, expect: 403 });

  // Winners as JSON and CSV; any other format is JSON.
  const winners = await check('GET', '/api/v1/admin/winners', { token: office, expect: 200 });
  assert.ok(winners.json.items.length > 0, 'the harness prize always wins');
  const csv = await check('GET', '/api/v1/admin/winners?format=csv', { token: office, expect: 200 });
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(csv.headers['content-disposition'], 'attachment; filename="winners-640000.csv"');
  assert.equal(csv.body.toString('utf8').trim().split('\r\n').length, winners.json.items.length + 1);
  await check('GET', '/api/v1/admin/winners?format=xml', { token: office, expect: 200 });

  const daily = await check('GET', '/api/v1/admin/daily', { token: office, expect: 200 });
  assert.equal(daily.json.items[0].day, '2021-06-16');
  const stats = await check('GET', '/api/v1/admin/questions/stats', { token: office, expect: 200 });
  assert.ok(stats.json.items.length >= 15);

  // The audit log: the province's account reads who signed in and who took the winners list.
  const audit = await check('GET', '/api/v1/admin/audit?limit=50', { token: office, expect: 200 });
  assert.ok(audit.json.items.some((entry) => entry.action === 'winners_export'));
  assert.ok(audit.json.items.some((entry) => entry.action === 'sign_in_failed'));
  const older = await check('GET', `/api/v1/admin/audit?limit=1&before=${audit.json.items[0].id}`, { token: office, expect: 200 });
  assert.equal(older.json.items.length, 1);
  assert.equal(errorCode(await check('GET', '/api/v1/admin/audit', { token: city, expect: 403 })), 'forbidden');
  assert.equal(errorCode(await check('GET', '/api/v1/admin/audit?limit=0', { token: office, expect: 400 })), 'invalid_limit');
  await check('GET', '/api/v1/admin/audit', { expect: 401 });

  // Frozen snapshots: taken, listed, downloaded in every format; refused as documented.
  const snapshots = '/api/v1/admin/bulletins';
  const taken = await check('POST', snapshots, { token: office, body: { level: 'county', rank_by: 'rate' }, expect: 201 });
  assert.equal(taken.headers.location, `${snapshots}/${taken.json.id}`);
  const cityTaken = await check('POST', snapshots, { token: city, body: { level: 'unit', title: '第一期' }, expect: 201 });
  assert.equal(cityTaken.json.region.code, '640100');
  assert.equal(errorCode(await check('POST', snapshots, { token: office, body: { level: 'street' }, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('POST', snapshots, { token: office, raw: '[', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('POST', snapshots, { token: city, body: { region: '640000' }, expect: 403 })), 'forbidden');
  await check('POST', snapshots, { body: {}, expect: 401 });
  const listed = await check('GET', snapshots, { token: office, expect: 200 });
  assert.deepEqual(listed.json.items.map((item) => item.id), [cityTaken.json.id, taken.json.id]);
  assert.deepEqual((await check('GET', snapshots, { token: city, expect: 200 })).json.items.map((item) => item.id), [cityTaken.json.id]);
  assert.equal(errorCode(await check('GET', `${snapshots}?limit=0`, { token: office, expect: 400 })), 'invalid_limit');
  await check('GET', snapshots, { expect: 401 });
  assert.equal(errorCode(await check('GET', snapshots, { token: participant, expect: 403 })), 'forbidden');
  for (const format of ['json', 'csv', 'xlsx', 'html', 'pdf']) {
    await check('GET', `${snapshots}/${taken.json.id}?format=${format}`, { token: office, expect: 200 });
  }
  assert.equal(errorCode(await check('GET', `${snapshots}/${taken.json.id}?format=docx`, { token: office, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('GET', `${snapshots}/${taken.json.id}`, { token: city, expect: 404 })), 'not_found');
  await check('GET', `${snapshots}/${taken.json.id}`, { expect: 401 });
  assert.equal(errorCode(await check('GET', `${snapshots}/${taken.json.id}`, { token: participant, expect: 403 })), 'forbidden');
});

test('the office: the campaign\'s reporting forms', async () => {
  const office = await officeToken(ADMIN_USER, ADMIN_PASSWORD);
  const city = await officeToken('yinchuan', CITY_PASSWORD);
  const participant = await signIn(newPhone());
  const forms = '/api/v1/admin/reporting/forms';
  const progress = {
    filer_name: '银川市安委办', contact_name: '张三', contact_phone: '0951-6012345', filed_on: '2021-06-16',
    study_sessions: 3, study_participants: 120, documentary_viewers: 800, talk_events: 5, talk_participants: 300,
    media_reports: 4, media_articles: 9, practices_promoted: 2, practice_articles: 3, enterprise_events: 12,
    enterprise_participants: 1500,
  };
  for (const [method, path, body] of [['GET', `${forms}/progress`], ['PUT', `${forms}/progress`, { fields: {} }],
    ['POST', `${forms}/progress/submit`, { fields: progress }]]) {
    await check(method, path, { body, expect: 401 });
    assert.equal(errorCode(await check(method, path, { token: participant, body, expect: 403 })), 'forbidden');
    assert.equal(errorCode(await check(method, path.replace('progress', 'minutes'), { token: city, body, expect: 404 })), 'not_found');
  }
  await check('GET', `${forms}/progress`, { token: city, expect: 200 });
  await check('PUT', `${forms}/progress`, { token: city, body: { fields: { study_sessions: 2, filer_name: null } }, expect: 200 });
  assert.equal(errorCode(await check('PUT', `${forms}/progress`, { token: city, body: { fields: { study_sessions: -1 } }, expect: 400 })), 'invalid_field');
  assert.equal(errorCode(await check('PUT', `${forms}/contacts`, { token: city, raw: '{', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('PUT', `${forms}/contacts`, { token: city, body: {}, expect: 400 })), 'invalid_request');
  const refused = await check('POST', `${forms}/progress/submit`, { token: city, body: { fields: { study_sessions: 1 } }, expect: 400 });
  assert.equal(refused.json.field, 'filer_name');
  const made = await check('POST', `${forms}/progress/submit`, { token: city, body: { fields: progress }, expect: 201 });
  assert.equal(made.json.version, 1);
  const filing = await check('GET', `${forms}/progress`, { token: city, expect: 200 });
  assert.equal(filing.json.versions.length, 1);
  assert.equal(filing.json.draft.fields.study_sessions, '2');

  const status = '/api/v1/admin/reporting/status';
  const shown = await check('GET', `${status}?form=progress`, { token: office, expect: 200 });
  assert.equal(shown.json.summary.totals.enterprise_participants, 1500);
  await check('GET', `${status}?form=contacts&region=640100`, { token: city, expect: 200 });
  await check('GET', `${status}?form=progress`, { expect: 401 });
  assert.equal(errorCode(await check('GET', `${status}?form=progress&region=640000`, { token: city, expect: 403 })), 'forbidden');
  assert.equal(errorCode(await check('GET', `${status}?form=minutes`, { token: office, expect: 400 })), 'invalid_request');
  assert.equal(errorCode(await check('GET', `${status}?form=progress&region=999999`, { token: office, expect: 400 })), 'invalid_region');

  const exported = '/api/v1/admin/reporting/export';
  const xlsx = await check('GET', `${exported}?form=progress&format=xlsx`, { token: office, expect: 200 });
  assert.equal(xlsx.headers['content-type'], XLSX);
  assert.equal(xlsx.headers['content-disposition'], 'attachment; filename="reporting-progress-640000.xlsx"');
  const csv = await check('GET', `${exported}?form=contacts&format=csv&region=640100`, { token: city, expect: 200 });
  assert.ok(csv.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'CSV starts with a BOM');
  await check('GET', `${exported}?form=progress`, { expect: 401 });
  assert.equal(errorCode(await check('GET', `${exported}?form=progress&region=640000`, { token: city, expect: 403 })), 'forbidden');
  assert.equal(errorCode(await check('GET', `${exported}?form=progress&format=pdf`, { token: office, expect: 400 })), 'invalid_request');
});

test('the office: participant lookup and correction', async () => {
  const office = await officeToken(ADMIN_USER, ADMIN_PASSWORD);
  const city = await officeToken('yinchuan', CITY_PASSWORD);
  const phone = newPhone();
  const token = await signIn(phone);
  const units = (await check('GET', '/api/v1/units?region=640104&limit=2', { expect: 200 })).json.items;
  await check('PUT', '/api/v1/me', { token, body: { name: '孙八', region: '640104', unit_id: units[0].id }, expect: 200 });
  const lookup = `/api/v1/admin/participants?phone=${phone}`;
  const found = await check('GET', lookup, { token: city, expect: 200 });
  assert.equal(found.json.participant.unit.id, units[0].id);
  await check('GET', lookup, { expect: 401 });
  assert.equal(errorCode(await check('GET', lookup, { token, expect: 403 })), 'forbidden');
  assert.equal(errorCode(await check('GET', '/api/v1/admin/participants?phone=123', { token: city, expect: 400 })), 'invalid_phone');
  assert.equal(errorCode(await check('GET', `/api/v1/admin/participants?phone=${newPhone()}`, { token: city, expect: 404 })), 'not_found');

  const correction = `/api/v1/admin/participants/${found.json.participant.id}/correction`;
  const body = { unit: units[1].id, reason: '热线来电：单位选错' };
  await check('POST', correction, { body, expect: 401 });
  assert.equal(errorCode(await check('POST', correction, { token, body, expect: 403 })), 'forbidden');
  assert.equal(errorCode(await check('POST', correction, { token: city, raw: '{', expect: 400 })), 'invalid_json');
  assert.equal(errorCode(await check('POST', correction, { token: city, body: { unit: units[1].id }, expect: 400 })), 'invalid_correction');
  assert.equal(errorCode(await check('POST', correction, { token: city, body: { region: '640100', reason: 'x' }, expect: 400 })), 'invalid_region');
  assert.equal(errorCode(await check('POST', correction, { token: city, body: { unit: 'NO-SUCH', reason: 'x' }, expect: 400 })), 'invalid_unit');
  assert.equal(errorCode(await check('POST', correction, { token: city, body: { region: '640202', reason: 'x' }, expect: 403 })), 'forbidden');
  await check('POST', '/api/v1/admin/participants/999999/correction', { token: city, body, expect: 404 });
  const corrected = await check('POST', correction, { token: office, body, expect: 200 });
  assert.equal(corrected.json.participant.unit.id, units[1].id);
  assert.equal(corrected.json.corrections[0].reason, body.reason);
});

test('outside the window: the competition is closed to starts and draws', async () => {
  // This server also keeps /metrics to another network, so the walk sees its refusal.
  // It also has the 练功房 and the personal rankings turned off.
  const stack = await startStack({ clockStart: '2021-07-01T09:00:00+08:00',
    serverLines: 'metrics_allow = ["10.0.0.0/8"]', screenPublic: false,
    extraToml: '[practice]\nenabled = false\n[leaderboards]\nparticipants = false' });
  try {
    const competition = await check('GET', '/api/v1/competition', { stack, expect: 200 });
    assert.equal(competition.json.open, false);
    const token = await signIn(newPhone(), stack);
    await check('PUT', '/api/v1/me', { stack, token, body: { name: '钱七', region: '640121' }, expect: 200 });
    assert.equal(errorCode(await check('POST', '/api/v1/attempts', { stack, token, expect: 403 })), 'competition_closed');
    assert.equal(errorCode(await check('POST', '/api/v1/draws', { stack, token, expect: 403 })), 'competition_closed');
    assert.equal(errorCode(await check('POST', '/api/v1/practice', { stack, token, expect: 403 })), 'practice_disabled');
    assert.equal(errorCode(await check('GET', '/api/v1/leaderboards/participants', { stack, expect: 404 })), 'not_found');
    assert.deepEqual((await check('GET', '/api/v1/me', { stack, token, expect: 200 })).json.ranks, []);
    await check('GET', '/api/v1/leaderboards/regions', { stack, expect: 200 });
    assert.equal(errorCode(await check('GET', '/metrics', { stack, expect: 403 })), 'forbidden');
    // Its big screen is private: an office sign-in opens it.
    assert.equal(errorCode(await check('GET', '/api/v1/screen', { stack, expect: 401 })), 'screen_unauthorized');
    assert.equal(errorCode(await check('GET', '/api/v1/screen/stream?token=wrong', { stack, expect: 401 })), 'screen_unauthorized');
    const login = await check('POST', '/api/v1/admin/login', { stack, body: { username: ADMIN_USER, password: ADMIN_PASSWORD }, expect: 200 });
    await check('GET', `/api/v1/screen?token=${login.json.token}`, { stack, expect: 200 });
  } finally {
    await stack.stop();
  }
});

test('the big screen: a snapshot and its event stream', async () => {
  const snapshot = await check('GET', '/api/v1/screen', { expect: 200 });
  assert.ok(snapshot.json.regions.some((region) => region.name === '银川市'));
  const stream = await checkStream('/api/v1/screen/stream', { expect: 200 });
  assert.match(stream.body.toString('utf8'), /^retry: 2000\n/);
});

test('what the transport answers before any route', async () => {
  const stack = env.stack;
  const unknown = await call(stack, 'GET', '/api/v1/nothing-here');
  assert.equal(unknown.status, 404);
  assert.deepEqual(api.componentProblems('NoSuchRoute', unknown), []);
  // Every documented path answers another method with 405 and its documented methods in Allow.
  for (const path of Object.keys(api.doc.paths)) {
    const concrete = path.replace('{id}', path.includes('attempts') ? '1' : 'U0008');
    const reply = await call(stack, 'DELETE', concrete);
    assert.equal(reply.status, 405, `DELETE ${concrete}`);
    assert.deepEqual(api.componentProblems('MethodNotAllowed', reply), [], `DELETE ${concrete}`);
    assert.deepEqual(reply.headers.allow.split(', ').sort(), api.methodsOf(path).sort(), `Allow of ${path}`);
  }
  const host = new URL(stack.baseUrl).host;
  const tooLarge = await rawExchange(stack, `POST /api/v1/auth/code HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000000\r\n\r\n`);
  assert.equal(tooLarge.status, 413);
  assert.deepEqual(api.componentProblems('BodyTooLarge', tooLarge), []);
  const bigHeader = await rawExchange(stack, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Padding: ${'x'.repeat(9000)}\r\n\r\n`);
  assert.equal(bigHeader.status, 431);
  assert.deepEqual(api.componentProblems('HeaderTooLarge', bigHeader), []);
  const absolute = await rawExchange(stack, `GET http://${host}/healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  assert.equal(absolute.status, 400);
  assert.deepEqual(api.componentProblems('BadRequest', absolute), []);
  const garbage = await rawExchange(stack, 'HELLO\r\n\r\n');
  assert.equal(garbage.status, 400);
  assert.deepEqual(api.componentProblems('BadRequest', garbage), []);
});

test('every operation was seen succeeding and failing with each documented 4xx status', () => {
  const missing = [];
  for (const { method, path, operation } of api.operations()) {
    const statuses = seen.get(`${method} ${path}`) ?? new Set();
    const documented = Object.keys(operation.responses).map(Number);
    if (![...statuses].some((s) => s >= 200 && s < 300)) missing.push(`${method} ${path}: no success`);
    for (const status of documented.filter((s) => s >= 400 && s < 500)) {
      if (!statuses.has(status)) missing.push(`${method} ${path}: never answered ${status}`);
    }
  }
  assert.deepEqual(missing, []);
});

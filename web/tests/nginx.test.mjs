// The shipped reverse-proxy site, deploy/nginx/anquanli.conf, run by Debian's nginx as an ordinary
// process (its own prefix, temp directories and loopback ports) with a certificate openssl makes
// for the test, in front of the real server. Clients connect from other loopback addresses
// (127.0.0.2, 127.0.0.3…; nginx reaches the server from 127.0.0.1, its trusted proxy), take a whole
// challenge over HTTPS, and the server must log, and rate-limit, the client's address, never
// nginx's. Only the lines of the file that name ports, certificates and the upstream are changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startStack, freePort, waitUntil, spawnTracked, stopChild, repoDir, newPhone,
} from './harness.mjs';

const env = {};  // stack, nginx, ports, certificate

function nginxBinary() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  throw new Error('nginx is not installed (Debian package nginx-light; scripts/install-deps.sh test)');
}

// The shipped site with its ports, certificate and upstream replaced; each line must be there.
function siteConfig({ httpsPort, httpPort, certificate, key, upstream }) {
  let text = readFileSync(join(repoDir, 'deploy/nginx/anquanli.conf'), 'utf8');
  const swap = (from, to) => {
    assert.equal(text.split(from).length - 1, 1, `deploy/nginx/anquanli.conf has "${from}" once`);
    text = text.replace(from, to);
  };
  swap('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
  swap('listen [::]:443 ssl http2;', '');
  swap('listen 80;', `listen 127.0.0.1:${httpPort};`);
  swap('listen [::]:80;', '');
  swap('ssl_certificate /etc/ssl/anquanli/fullchain.pem;', `ssl_certificate ${certificate};`);
  swap('ssl_certificate_key /etc/ssl/anquanli/privkey.pem;', `ssl_certificate_key ${key};`);
  swap('server 127.0.0.1:8080;', `server ${upstream};`);
  return text;
}

// What Debian's /etc/nginx/nginx.conf provides around a site, for a process of our own.
function mainConfig(prefix) {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `  ${name}_temp_path ${join(prefix, name)};`).join('\n');
  return `worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
${process.getuid() === 0 ? 'user root;' : ''}
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${join(prefix, 'access.log')};
${temp}
  include ${join(prefix, 'anquanli.conf')};
}
`;
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

before(async () => {
  // Three codes per client address and hour, so that the limit is reached in a few requests.
  env.stack = await startStack({ trustedProxies: ['127.0.0.1/32'], codesPerAddressPerHour: 3 });
  const prefix = mkdtempSync(join(tmpdir(), 'anquanli-nginx-'));
  env.prefix = prefix;
  env.certificate = join(prefix, 'certificate.pem');
  const key = join(prefix, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', env.certificate], { stdio: 'ignore' });
  env.ca = readFileSync(env.certificate);
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, name));
  env.httpsPort = await freePort();
  env.httpPort = await freePort();
  writeFileSync(join(prefix, 'anquanli.conf'), siteConfig({
    httpsPort: env.httpsPort, httpPort: env.httpPort, certificate: env.certificate, key,
    upstream: new URL(env.stack.baseUrl).host,
  }));
  writeFileSync(join(prefix, 'nginx.conf'), mainConfig(prefix));
  const args = ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')];
  execFileSync(nginxBinary(), ['-t', ...args], { stdio: 'pipe' });
  env.nginx = spawnTracked(nginxBinary(), [...args, '-g', 'daemon off;']);
  await waitUntil('nginx', () => {
    if (env.nginx.exitCode !== null) throw new Error(`nginx exited:\n${env.nginx.logTail()}`);
    return portOpen(env.httpsPort);
  });
});

after(async () => {
  await stopChild(env.nginx);
  await env.stack?.stop();
  if (env.prefix) rmSync(env.prefix, { recursive: true, force: true });
});

// One HTTPS/1.1 request through nginx from the loopback address `from`.
function request(from, path, { method = 'GET', body, token, headers = {} } = {}) {
  const all = { Connection: 'close', ...headers };
  if (token) all.Authorization = `Bearer ${token}`;
  const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
  if (payload) { all['Content-Type'] = 'application/json'; all['Content-Length'] = payload.length; }
  return new Promise((resolve, reject) => {
    const outgoing = https.request({
      host: '127.0.0.1', port: env.httpsPort, path, method, headers: all, ca: env.ca,
      localAddress: from, agent: false,
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data = text;
        try { data = JSON.parse(text); } catch { /* not JSON: nginx's own pages */ }
        resolve({ status: response.statusCode, headers: response.headers, data });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(payload ?? undefined);
  });
}

async function signIn(from, phone) {
  const sent = await request(from, '/api/v1/auth/code', { method: 'POST', body: { phone } });
  assert.equal(sent.status, 202, JSON.stringify(sent.data));
  const code = await env.stack.codeFor(phone);
  const login = await request(from, '/api/v1/auth/login', { method: 'POST', body: { phone, code } });
  assert.equal(login.status, 200, JSON.stringify(login.data));
  return login.data.token;
}

// The server's request-log lines: "[time] [info] ADDRESS METHOD ROUTE STATUS TIMEus".
function loggedAddresses() {
  return [...env.stack.serverLog().matchAll(/\[info\] (\S+) (GET|POST|PUT|DELETE) (\S+) (\d{3}) /g)]
    .map((match) => ({ address: match[1], route: match[3], status: Number(match[4]) }));
}

test('a whole challenge over HTTPS through nginx: the server sees the client, not nginx', async () => {
  const from = '127.0.0.2';
  const phone = newPhone();
  // A client cannot make itself someone else: nginx appends the address it saw.
  const token = await signIn(from, phone);
  const profile = await request(from, '/api/v1/me', {
    method: 'PUT', token, body: { name: '代理测试', region: '640104', unit_id: null },
    headers: { 'X-Forwarded-For': '10.9.9.9' },
  });
  assert.equal(profile.status, 200, JSON.stringify(profile.data));
  const started = await request(from, '/api/v1/attempts', { method: 'POST', token });
  assert.equal(started.status, 201, JSON.stringify(started.data));
  let attempt = started.data;
  let answered = 0;
  while (attempt.current) {
    const { index, question } = attempt.current;
    const reply = await request(from, `/api/v1/attempts/${attempt.id}/answers`, {
      method: 'POST', token, body: { index, choice: [question.options[0].key] },
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.data));
    attempt = reply.data.attempt;
    answered += 1;
  }
  assert.equal(answered, 15);
  assert.equal(attempt.status, 'finished');
  const me = await request(from, '/api/v1/me', { token });
  assert.equal(me.status, 200);

  const lines = loggedAddresses();
  const answers = lines.filter((line) => line.route.endsWith('/answers'));
  assert.ok(answers.length >= 15, `15 answers in the log, got ${answers.length}`);
  assert.deepEqual([...new Set(lines.map((line) => line.address))], [from],
    'every request the server logged came from the client\'s address');
});

test('the server\'s per-address code limit counts the client behind nginx, not nginx', async () => {
  // 127.0.0.2 has had one code above (if run alone, it gets three here); the fourth is refused.
  let refused = null;
  for (let i = 0; i < 4 && !refused; i += 1) {
    const sent = await request('127.0.0.2', '/api/v1/auth/code', { method: 'POST', body: { phone: newPhone() } });
    if (sent.status === 429) refused = sent;
    else assert.equal(sent.status, 202, JSON.stringify(sent.data));
  }
  assert.ok(refused, 'the client at 127.0.0.2 reached its limit');
  // The server's refusal (JSON from its error catalogue), not nginx's.
  assert.equal(refused.data.error.code, 'too_many_requests');
  const other = await request('127.0.0.3', '/api/v1/auth/code', { method: 'POST', body: { phone: newPhone() } });
  assert.equal(other.status, 202, 'another client behind the same nginx still gets codes');
});

test('nginx limits a flood of sign-in requests itself, before the server', async () => {
  const from = '127.0.0.4';
  const statuses = [];
  for (let i = 0; i < 60; i += 1) {
    const reply = await request(from, '/api/v1/auth/login', { method: 'POST', body: { phone: '13800000000', code: '000000' } });
    statuses.push({ status: reply.status, json: typeof reply.data === 'object' });
  }
  const byNginx = statuses.filter((s) => s.status === 429 && !s.json);
  assert.ok(byNginx.length > 0, `nginx refused some of 60 sign-ins: ${JSON.stringify(statuses.slice(-3))}`);
  const reached = loggedAddresses().filter((line) => line.address === from).length;
  assert.ok(reached < 60, `the server saw ${reached} of the 60`);
});

test('HTTP/2, gzip, cache lifetimes, a closed /metrics and the redirect to HTTPS', async () => {
  const session = http2.connect(`https://127.0.0.1:${env.httpsPort}`, { ca: env.ca, localAddress: '127.0.0.5' });
  const get = (path) => new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, 'accept-encoding': 'gzip' });
    const chunks = [];
    let headers;
    stream.on('response', (h) => { headers = h; });
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => resolve({ headers, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    stream.end();
  });
  try {
    const vendor = await get('/vendor/echarts.min.js');
    assert.equal(vendor.headers[':status'], 200);
    assert.equal(vendor.headers['content-encoding'], 'gzip');
    assert.equal(vendor.headers['cache-control'], 'public, max-age=604800');
    assert.ok(zlib.gunzipSync(vendor.body)
      .equals(readFileSync(join(repoDir, 'web/vendor/node_modules/echarts/dist/echarts.min.js'))));
    const script = await get('/js/admin.js');
    assert.equal(script.headers[':status'], 200);
    assert.equal(script.headers['cache-control'], 'no-cache', 'pages and scripts are revalidated');
    assert.ok(script.headers.etag);
    assert.match(script.headers['strict-transport-security'], /max-age=/);
    const page = await get('/admin');
    assert.equal(page.headers[':status'], 200);
    assert.match(page.headers['content-security-policy'], /default-src 'self'/);
    assert.equal((await get('/metrics')).headers[':status'], 404);
  } finally {
    session.close();
  }
  const redirect = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: env.httpPort, path: '/admin', agent: false }, (response) => {
      response.resume();
      resolve(response);
    }).on('error', reject);
  });
  assert.equal(redirect.statusCode, 301);
  assert.match(redirect.headers.location, /^https:\/\/127\.0\.0\.1(:\d+)?\/admin$/);
});

// Holds N big-screen streams (GET /api/v1/screen/stream) open for a while, as N displays would,
// and counts what each receives. Used by bench/screens.sh; plain node:http, no dependencies.
//
//   node bench/screen_viewers.mjs --target 127.0.0.1:PORT --viewers 1000 --seconds 20 \
//        [--ready FILE]   (FILE gets "ready" once every viewer has its first frame)
//
// It stops at the end of --seconds or on SIGTERM, and then prints its counts.
// Prints one JSON line: viewers asked for, connected, refused (status ≠ 200), failed (errors),
// the screen events and heartbeats received in all, and the fewest events any viewer got.
import http from 'node:http';
import { writeFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, index, all) => {
  if (value.startsWith('--')) pairs.push([value.slice(2), all[index + 1]]);
  return pairs;
}, []));
const [host, port] = args.target.split(':');
const viewers = Number(args.viewers ?? 1);
const seconds = Number(args.seconds ?? 10);

const counts = { viewers, connected: 0, refused: 0, failed: 0, events: 0, heartbeats: 0, fewest_events: 0 };
const perViewer = [];
const requests = [];
let firstFrames = 0;

function open(index) {
  perViewer[index] = 0;
  const request = http.get({ host, port: Number(port), path: '/api/v1/screen/stream', agent: false }, (response) => {
    if (response.statusCode !== 200) {
      counts.refused += 1;
      response.resume();
      return;
    }
    counts.connected += 1;
    let first = true;
    response.setEncoding('utf8');
    response.on('data', (text) => {
      if (first) {
        first = false;
        firstFrames += 1;
        if (firstFrames === viewers && args.ready) writeFileSync(args.ready, 'ready\n');
      }
      const events = text.split('event: screen\n').length - 1;
      perViewer[index] += events;
      counts.events += events;
      counts.heartbeats += text.split(': heartbeat\n').length - 1;
    });
  });
  request.on('error', () => { counts.failed += 1; });
  requests.push(request);
}

// Opened in batches, so the server's listen queue is not flooded at once.
for (let index = 0; index < viewers; index += 1) {
  open(index);
  if (index % 100 === 99) await new Promise((resolve) => { setTimeout(resolve, 20); });
}

function finish() {
  for (const request of requests) request.destroy();
  counts.fewest_events = perViewer.length ? Math.min(...perViewer) : 0;
  console.log(JSON.stringify(counts));
  process.exit(0);
}

// At the end of --seconds, or earlier when the script that started it says so.
setTimeout(finish, seconds * 1000);
process.on('SIGTERM', finish);

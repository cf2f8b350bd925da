// The server's clock. The server may run on a shifted clock (the demo starts it in June 2021),
// and the API sends no Date header, so the offset (server time − device time) is derived from
// instants in API answers: an attempt's started_at when it is created, and each new question's
// deadline (served at the answer, so deadline − question limit ≈ now). The estimate is kept in
// localStorage so a reload mid-challenge still counts down correctly.

const KEY = 'anquanli.serverClockOffset';
let offset = null;
let quality = Infinity; // half the round trip of the best estimate so far, in ms

try {
  const saved = JSON.parse(localStorage.getItem(KEY) || 'null');
  if (saved && Number.isFinite(saved.offset)) {
    offset = saved.offset;
    quality = 5000; // from an earlier page: good, but any fresh reading replaces it
  }
} catch { /* storage unavailable */ }

// The server said "now is serverMs" while the request ran from timing.sent to timing.received.
export function noteServerNow(serverMs, timing, { upperBound = false } = {}) {
  if (!Number.isFinite(serverMs) || !timing?.sent || !timing?.received) return;
  const halfTrip = (timing.received - timing.sent) / 2;
  const estimate = serverMs - (timing.sent + halfTrip);
  // A lower-quality reading (e.g. a cached as_of) is only used when nothing better is known.
  const q = upperBound ? 10000 : halfTrip;
  if (offset !== null && q > quality) return;
  offset = estimate;
  quality = q;
  try { localStorage.setItem(KEY, JSON.stringify({ offset })); } catch { /* ignore */ }
}

export function hasServerClock() {
  return offset !== null;
}

export function serverNow() {
  return Date.now() + (offset ?? 0);
}

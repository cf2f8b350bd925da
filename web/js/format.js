// Dates, times and numbers for display. Days are YYYY-MM-DD strings in the competition's offset;
// instants are RFC 3339 strings. Nothing here reads the device's clock.

const pad = (n) => String(n).padStart(2, '0');

// '2021-06-16' + 1 → '2021-06-17'
export function addDays(day, count) {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + count));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

// '2021-06-16' → '2021年6月16日'
export function longDay(day) {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

// '2021-06-16' → '6月16日'
export function shortDay(day) {
  const [, m, d] = day.split('-').map(Number);
  return `${m}月${d}日`;
}

export function parseInstant(text) {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

// Minutes east of UTC of '+08:00'.
export function offsetMinutes(offset = '+08:00') {
  const match = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!match) return 480;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

// An instant, shown in the competition's offset: '2021-06-16 09:00:19'.
export function dateTime(text, offset = '+08:00', { seconds = false } = {}) {
  const ms = typeof text === 'number' ? text : parseInstant(text);
  if (ms === null) return String(text ?? '');
  const date = new Date(ms + offsetMinutes(offset) * 60000);
  const base = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return seconds ? `${base}:${pad(date.getUTCSeconds())}` : base;
}

// Only the time of day: '09:00:19'.
export function timeOfDay(text, offset = '+08:00') {
  return dateTime(text, offset, { seconds: true }).slice(11);
}

// 75 → '01:15'
export function mmss(totalSeconds) {
  const s = Math.max(0, Math.ceil(totalSeconds));
  return `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}

export function percent(rate, digits = 1) {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

export function number(value) {
  if (value === null || value === undefined) return '—';
  return Number(value).toLocaleString('zh-CN');
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export function chineseOrdinal(n) {
  return n <= 10 ? CN_DIGITS[n] : String(n);
}

// The prize wheel (大转盘): an SVG disc of alternating segments, turned with a CSS transform
// (transition in app.css) so it comes to rest with the pointer on a segment of the server's
// result. The server decides the result; the wheel only shows it.
import { svg, el } from './dom.js';

const SEGMENTS = [
  { kind: 'prize', label: '安全好礼' },
  { kind: 'none', label: '谢谢参与' },
  { kind: 'prize', label: '惊喜奖品' },
  { kind: 'none', label: '再接再厉' },
  { kind: 'prize', label: '安全好礼' },
  { kind: 'none', label: '谢谢参与' },
  { kind: 'prize', label: '惊喜奖品' },
  { kind: 'none', label: '再接再厉' },
];

const SIZE = 300;
const R = 140;
const C = SIZE / 2;

function point(angleDeg, radius) {
  const a = ((angleDeg - 90) * Math.PI) / 180; // 0° is straight up, clockwise
  return [C + radius * Math.cos(a), C + radius * Math.sin(a)];
}

export function createWheel() {
  const step = 360 / SEGMENTS.length;
  const disc = svg('g', { class: 'wheel__disc' });
  SEGMENTS.forEach((segment, i) => {
    const [x1, y1] = point(i * step, R);
    const [x2, y2] = point((i + 1) * step, R);
    disc.append(svg('path', {
      d: `M${C},${C} L${x1.toFixed(2)},${y1.toFixed(2)} A${R},${R} 0 0 1 ${x2.toFixed(2)},${y2.toFixed(2)} Z`,
      class: `wheel__segment wheel__segment--${segment.kind} wheel__segment--${i % 4}`,
    }));
    const mid = i * step + step / 2;
    const [tx, ty] = point(mid, R * 0.64);
    disc.append(svg('text', {
      x: tx.toFixed(2), y: ty.toFixed(2), class: 'wheel__label',
      transform: `rotate(${mid} ${tx.toFixed(2)} ${ty.toFixed(2)})`,
      'text-anchor': 'middle', 'dominant-baseline': 'middle',
    }, segment.label));
  });
  // studs around the rim
  const rim = svg('g', { class: 'wheel__rim' }, svg('circle', { cx: C, cy: C, r: R + 6, class: 'wheel__rim-ring' }));
  for (let i = 0; i < 24; i += 1) {
    const [x, y] = point(i * 15, R + 6);
    rim.append(svg('circle', { cx: x.toFixed(2), cy: y.toFixed(2), r: 3, class: i % 2 ? 'wheel__stud' : 'wheel__stud wheel__stud--lit' }));
  }
  const graphic = svg('svg', {
    viewBox: `0 0 ${SIZE} ${SIZE}`, class: 'wheel__svg', role: 'img', 'aria-label': '幸运大转盘',
  }, rim, disc,
  svg('circle', { cx: C, cy: C, r: 32, class: 'wheel__hub' }),
  svg('text', { x: C, y: C + 1, class: 'wheel__hub-text', 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, '好运'));
  const pointer = el('div', { className: 'wheel__pointer', attrs: { 'aria-hidden': 'true' } });
  const root = el('div', { className: 'wheel' }, graphic, pointer);

  let rotation = 0;

  // Turns the wheel until a segment of the wanted kind is under the pointer.
  function spin(won) {
    const wanted = SEGMENTS.map((s, i) => ({ ...s, i })).filter((s) => s.kind === (won ? 'prize' : 'none'));
    const target = wanted[Math.floor(Math.random() * wanted.length)];
    const jitter = (Math.random() - 0.5) * step * 0.6;
    const centre = target.i * step + step / 2 + jitter;
    // The disc turns clockwise; segment angle `centre` reaches the top at rotation ≡ −centre.
    const current = ((rotation % 360) + 360) % 360;
    let delta = (360 - centre - current + 720) % 360;
    delta += 360 * 6;
    rotation += delta;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    root.classList.add('wheel--spinning');
    disc.style.transform = `rotate(${rotation}deg)`;
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        disc.removeEventListener('transitionend', finish);
        root.classList.remove('wheel--spinning');
        resolve(target);
      };
      disc.addEventListener('transitionend', finish);
      setTimeout(finish, reduced ? 400 : 5200); // in case transitionend never comes
    });
  }

  return { root, spin };
}

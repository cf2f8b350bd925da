// 大字模式 (large text, high contrast), remembered per device in localStorage, on every page that
// loads this module: a toggle button in the site header sets the `large-text` class on <html>.
// Following the 2021 guideline on 互联网应用适老化及无障碍改造 (app.css has the styles).
const KEY = 'anquanli.largeText';

function stored() {
  try { return localStorage.getItem(KEY) === '1'; } catch { return false; }
}

function store(on) {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch { /* private mode: this page only */ }
}

export function applyLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  const button = document.getElementById('large-text-toggle');
  if (button) {
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? '标准字号' : '大字模式';
  }
}

function setup() {
  applyLargeText(stored());
  const nav = document.querySelector('.site-header__inner');
  if (!nav || document.getElementById('large-text-toggle')) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'large-text-toggle';
  button.className = 'text-toggle';
  button.title = '放大文字、提高对比度';
  nav.append(button);
  button.addEventListener('click', () => {
    const on = !document.documentElement.classList.contains('large-text');
    store(on);
    applyLargeText(on);
  });
  applyLargeText(stored());
}

setup();

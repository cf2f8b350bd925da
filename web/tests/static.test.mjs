// Static checks of the page sources (no browser): what the Content-Security-Policy would block
// (inline scripts, inline styles) and the ways to put server data into the DOM as HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { webDir } from './harness.mjs';

const pages = readdirSync(webDir).filter((name) => name.endsWith('.html'));
const scripts = readdirSync(join(webDir, 'js')).filter((name) => name.endsWith('.js'));

test('the pages have no inline script or style (the CSP forbids both)', () => {
  assert.deepEqual(pages.sort(), ['admin.html', 'help.html', 'index.html', 'leaderboard.html', 'me.html', 'practice.html', 'reporting.html', 'screen.html']);
  for (const name of pages) {
    const html = readFileSync(join(webDir, name), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
      assert.match(tag, /\bsrc="\/[^"]+"/, `${name}: every <script> has a same-origin src: ${tag}`);
    }
    assert.doesNotMatch(html, /<style\b/i, `${name}: no <style> block`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${name}: no style="" attribute`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${name}: no inline event handler`);
    assert.match(html, /<html lang="zh-CN">/, `${name}: declares Simplified Chinese`);
  }
});

test('the scripts never turn data into HTML', () => {
  for (const name of scripts) {
    const code = readFileSync(join(webDir, 'js', name), 'utf8');
    assert.doesNotMatch(code, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
      `${name} must build DOM with textContent/createElement only`);
    assert.doesNotMatch(code, /setAttribute\(\s*['"]style['"]/, `${name}: styles only through classes or element.style`);
  }
});

// The office manual (docs/office-manual.zh.md) shows the pages as they are: every image it shows
// is a screenshot that a browser test in this folder takes, copied into docs/office-manual/ by
// scripts/manual-screenshots.sh after a run. A renamed or dropped screenshot fails here, so the
// manual cannot keep pictures of a page that no test photographs any more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoDir, webDir } from './harness.mjs';

const manualDir = join(repoDir, 'docs');
const manual = readFileSync(join(manualDir, 'office-manual.zh.md'), 'utf8');
const testSources = readdirSync(join(webDir, 'tests'))
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => readFileSync(join(webDir, 'tests', file), 'utf8'))
  .join('\n');

// The names a test passes to screenshot(): literal names, and the layout test's `${name}-${size}`.
function photographed(name) {
  if (testSources.includes(`'${name}'`)) return true;
  const sized = /^(.*)-(phone|desktop)$/.exec(name);
  return Boolean(sized) && testSources.includes(`'${sized[1]}'`) && testSources.includes('`${name}-${size}`');
}

test('every image of the office manual is a committed screenshot that a browser test takes', () => {
  const images = [...manual.matchAll(/!\[([^\]]*)\]\((office-manual\/[^)]+\.png)\)/g)];
  assert.ok(images.length >= 5, 'the manual shows the pages');
  for (const [, alt, path] of images) {
    assert.ok(alt.length > 0, `${path} has a caption`);
    assert.ok(existsSync(join(manualDir, path)), `${path} is committed`);
    const name = path.replace(/^office-manual\//, '').replace(/\.png$/, '');
    assert.ok(photographed(name), `a browser test takes the screenshot ${name}`);
  }
});

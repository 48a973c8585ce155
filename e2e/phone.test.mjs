// The pages at phone and tablet width (issue 22), in Debian's chromium: at 390×844 and
// 768×1024 the home page, a form, its history, the forms list, the dashboard and the admin's
// users page never scroll sideways, no cell with text is narrower than one character, and a
// unit head confirms a form with a thumb (the workflow buttons are within the first screens and
// at least 44 px tall), and axe-core finds no moderate, serious or critical violation. Screenshots
// go to target/e2e/p-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchBrowser, login, newSession, shot, startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page: no serious, critical or moderate violation. */
async function axe(page, name) {
  // Evaluated through the DevTools protocol, which the page's CSP does not restrict.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations
    .filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact))
    .map((v) => `[${v.impact}] ${v.id} — ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe on ${name}`);
}

let server;
let browser;

before(async () => {
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 30_000 });

/** A signed-in page of `user` at `width`×`height`. */
async function person(user, width, height) {
  const s = await newSession(browser, { viewport: { width, height }, isMobile: width < 700, hasTouch: width < 700 });
  await login(s.page, server.base, user, server.accounts[user].password);
  return s;
}

/** What is wrong with the page's width: sideways scrolling, cells narrower than a character. */
async function widthProblems(page) {
  return page.evaluate(() => {
    const found = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      found.push(`the page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
    }
    for (const cell of document.querySelectorAll('td, th')) {
      const text = cell.innerText.trim();
      if (!text || cell.offsetParent === null) continue;
      const size = parseFloat(getComputedStyle(cell).fontSize);
      const w = cell.getBoundingClientRect().width;
      if (w < size) found.push(`a cell ${Math.round(w)} px wide: “${text.slice(0, 20)}”`);
    }
    return found.slice(0, 10);
  });
}

/** The id of 淮北's 日常运转经费 (a draft of the demo). */
async function dailyId(page) {
  await page.goto(`${server.base}/forms?q=${encodeURIComponent('日常运转经费')}`);
  const href = await page.locator('#forms a', { hasText: '日常运转经费' }).first().getAttribute('href');
  return Number(href.split('/').pop());
}

for (const [width, height, tag] of [[390, 844, 'phone'], [768, 1024, 'tablet']]) {
  describe(`at ${width}×${height} (${tag})`, { timeout: 120_000 }, () => {
    test('the filer’s pages read without sideways scrolling', async () => {
      const { page, problems, context } = await person('tianbao2', width, height);
      try {
        const id = await dailyId(page);
        for (const [name, path] of [
          ['home', '/'], ['forms', '/forms'], ['form', `/forms/${id}`], ['history', `/forms/${id}/history`],
        ]) {
          await page.goto(`${server.base}${path}`);
          assert.deepEqual(await widthProblems(page), [], `${name} at ${width}`);
          await shot(page, `p-${tag}-${name}`, { fullPage: true });
          await axe(page, `${name} at ${width}`);
        }
        // The 待办 and the forms list read as cards on a phone, every value labelled.
        if (width < 700) {
          for (const [path, table] of [['/', '#todo'], ['/forms', '#forms']]) {
            await page.goto(`${server.base}${path}`);
            assert.equal(await page.locator(`${table} thead`).isVisible(), false, `${table} has a header row`);
            const label = await page.locator(`${table} tbody td[data-label]`).nth(1)
              .evaluate((td) => getComputedStyle(td, '::before').content);
            assert.match(label, /：/, `${table} values are labelled`);
          }
        }
        // The form reads as cards: every field carries its label.
        await page.goto(`${server.base}/forms/${id}`);
        if (width < 700) {
          const labelled = await page.locator('td.field[data-label]').count();
          assert.ok(labelled > 20, `${labelled} labelled fields`);
          const label = await page.locator('td.field[data-label]').first()
            .evaluate((td) => getComputedStyle(td, '::before').content);
          assert.notEqual(label, 'none', 'field labels shown on the card');
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test('a unit head confirms with a thumb', async () => {
      // The filer sends the form on (its errors explained), the head confirms on the device.
      const filer = await person('tianbao2', width, height);
      const head = await person('fuzeren2', width, height);
      try {
        const id = await dailyId(filer.page);
        await filer.page.goto(`${server.base}/forms/${id}`);
        if ((await filer.page.locator('#workflow button[value=request_confirmation]').count()) === 1) {
          await filer.page.fill('#workflow textarea#reason', '原表如此，已核对');
          await Promise.all([
            filer.page.waitForURL(/msg=acted/),
            filer.page.click('#workflow button[value=request_confirmation]'),
          ]);
        }
        await head.page.goto(`${server.base}/forms/${id}`);
        const confirm = head.page.locator('#workflow button[value=confirm]');
        assert.equal(await confirm.count(), 1, 'the head has a confirm button');
        const box = await confirm.boundingBox();
        assert.ok(box.height >= 44, `the button is ${box.height} px tall`);
        assert.ok(box.y < height * 3, `the button is ${Math.round(box.y)} px down the page`);
        assert.deepEqual(await widthProblems(head.page), [], 'the form at the head');
        await shot(head.page, `p-${tag}-confirm`);
        await Promise.all([head.page.waitForURL(/msg=acted/), width < 700 ? confirm.tap() : confirm.click()]);
        assert.match(await head.page.locator('p.notice').innerText(), /已确认/);
        // Withdrawn again for the next width's run.
        await filer.page.goto(`${server.base}/forms/${id}`);
        await Promise.all([
          filer.page.waitForURL(/msg=acted/),
          filer.page.click('#workflow button[value=withdraw]'),
        ]);
      } finally {
        await filer.context.close();
        await head.context.close();
      }
    });

    test('the bureau’s dashboard and the admin’s users page', async () => {
      for (const [user, path, name] of [['caizheng', '/dashboard', 'dashboard'], ['admin', '/admin/users', 'users']]) {
        const { page, context, problems } = await person(user, width, height);
        try {
          await page.goto(`${server.base}${path}`);
          assert.deepEqual(await widthProblems(page), [], `${name} at ${width}`);
          await shot(page, `p-${tag}-${name}`, { fullPage: true });
          await axe(page, `${name} at ${width}`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      }
    });
  });
}

// Every page kind at a desk, a tablet and a phone (issue 22), in Debian's chromium: at 1366×768,
// 768×1024 and 390×844 the home page, a form of each kind the demo holds (declarations,
// monitoring, self-evaluations, the 转移支付 form, the report), a history, the admin's pages,
// the dashboard, the results page, a region audit run and a refused return (no reason given)
// never scroll sideways, no cell with text is narrower than one character, nothing shows a
// field path or JSON, and axe-core finds no moderate, serious or critical violation.
// Screenshots go to target/e2e/w-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launchBrowser, login, newSession, root, shot, startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The form kinds a unit files, as the forms list filters them. */
const KINDS = [
  'project_target', 'department_target', 'monitoring', 'project_self_evaluation',
  'department_self_evaluation', 'transfer_payment_self_evaluation', 'report',
];

/** axe-core on the page: no serious, critical or moderate violation. */
async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations
    .filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact))
    .map((v) => `[${v.impact}] ${v.id} — ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe on ${name}`);
}

/** What is wrong with the page: sideways scrolling, cells narrower than a character, codes. */
async function problemsOf(page) {
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
    // What a user reads (not the inputs' values, which are what they typed).
    const text = document.querySelector('main')?.innerText ?? '';
    for (const re of [/\b[a-z_]+\[\d+\]\.[a-z_]+/, /\{"[a-z_]+":/, /\b(funds_total|stated_total|request_confirmation)\b/]) {
      const m = text.match(re);
      if (m) found.push(`a code on the page: ${m[0]}`);
    }
    return found.slice(0, 10);
  });
}

let server;
let browser;
/** Form ids by kind, found once. */
const formOf = {};
let runId;

before(async () => {
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
  // One form of each kind, from the filers who can see them.
  for (const user of ['tianbao1', 'tianbao2', 'tianbao3']) {
    const { page, context } = await person(user, 1366, 768);
    try {
      for (const kind of KINDS) {
        if (formOf[kind]) continue;
        await page.goto(`${server.base}/forms?kind=${kind}`);
        const link = page.locator('#forms a.form-link, #forms tbody a[href^="/forms/"]').first();
        if (await link.count()) {
          formOf[kind] = { user, id: Number((await link.getAttribute('href')).split('/').pop()) };
        }
      }
    } finally {
      await context.close();
    }
  }
  // A region audit run of two fixtures, kept by the bureau.
  const { page, context } = await person('caizheng', 1366, 768);
  try {
    await page.goto(`${server.base}/audit`);
    await page.setInputFiles('input[type=file][name=file]', [
      join(root, 'testdata/fixtures/seed001.docx'),
      join(root, 'testdata/fixtures/seed003.xlsx'),
    ]);
    await Promise.all([page.waitForURL(/\/region\/runs\/\d+/), page.locator('form[action="/audit"] button[type=submit]').click()]);
    runId = Number(page.url().split('/').pop().split('?')[0]);
  } finally {
    await context.close();
  }
}, { timeout: 180_000 });

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

/** Visits `path` as `user` and checks it; a screenshot `w-{tag}-{name}`. */
async function check(user, path, name, width, height, tag) {
  const { page, context, problems } = await person(user, width, height);
  try {
    const r = await page.goto(`${server.base}${path}`);
    assert.equal(r.status(), 200, `${name}: ${path}`);
    assert.deepEqual(await problemsOf(page), [], `${name} at ${width}`);
    await shot(page, `w-${tag}-${name}`, { fullPage: true });
    await axe(page, `${name} at ${width}`);
    assert.deepEqual(problems, [], `${name}: console errors`);
  } finally {
    await context.close();
  }
}

test('the demo holds a form of every kind', () => {
  assert.deepEqual(KINDS.filter((k) => !formOf[k]), [], JSON.stringify(formOf));
  assert.ok(runId > 0, 'a region audit run');
});

for (const [width, height, tag] of [[1366, 768, 'desk'], [768, 1024, 'tablet'], [390, 844, 'phone']]) {
  describe(`at ${width}×${height} (${tag})`, { timeout: 300_000 }, () => {
    test('the home page, a form of each kind and a history', async () => {
      await check('tianbao1', '/', 'home', width, height, tag);
      for (const kind of KINDS) {
        const { user, id } = formOf[kind];
        await check(user, `/forms/${id}`, kind, width, height, tag);
      }
      const { user, id } = formOf.project_self_evaluation;
      await check(user, `/forms/${id}/history`, 'history', width, height, tag);
    });

    test('the bureau’s pages and the admin’s', async () => {
      for (const [user, path, name] of [
        ['caizheng', '/dashboard', 'dashboard'],
        ['caizheng', '/results?year=2021', 'results'],
        ['caizheng', '/audit', 'audit'],
        ['caizheng', `/region/runs/${runId}`, 'run'],
        ['caizheng', '/years', 'years'],
        ['admin', '/admin/orgs', 'orgs'],
        ['admin', '/admin/users', 'users'],
      ]) {
        await check(user, path, name, width, height, tag);
      }
    });

    test('a return without a reason is refused on the form, in its layout', async () => {
      const { page, context, problems } = await person('renshe', width, height);
      try {
        await page.goto(`${server.base}/`);
        const link = page.locator('#todo a[href^="/forms/"]').first();
        assert.equal(await link.count(), 1, 'the supervisor has a form to review');
        await page.goto(`${server.base}${await link.getAttribute('href')}`);
        const back = page.locator('#workflow button[value=supervisor_return]');
        assert.equal(await back.count(), 1, 'a return button');
        await page.fill('#workflow textarea#reason', '');
        await back.click();
        await page.waitForLoadState('load');
        const error = page.locator('#workflow .error, #action-error-top');
        assert.ok(await error.count() > 0, 'the refusal is on the form');
        assert.match(await error.first().innerText(), /原因/);
        assert.ok(await page.locator('nav').count() > 0, 'the menu stays');
        assert.deepEqual(await problemsOf(page), [], `refused return at ${width}`);
        await shot(page, `w-${tag}-return-refused`, { fullPage: true });
        await axe(page, `refused return at ${width}`);
        // The refusal itself is a 422 page, which the browser reports as a failed load.
        assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), []);
      } finally {
        await context.close();
      }
    });
  });
}

// A scan uploaded through the browser (issue 23): the upload page hands it to a background job
// whose page shows the progress and then the forms read; the form page lists the values the
// character recognition was unsure of, marks them beside their fields, refuses to send the form
// on until the unit confirms them, and the confirmation is in the history. Screenshots go to
// target/e2e/s-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, login, newSession, shot, startServer } from './server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scan = join(root, 'testdata', 'scans', '013-hubei-xiangyang-hospital-campus.pdf');

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

const text = async (page, selector) => (await page.locator(selector).innerText()).trim();

describe('a scanned form', () => {
  test('read in the background, its uncertain readings confirmed before it goes on', { timeout: 180_000 }, async () => {
    const { page, problems } = await newSession(browser);
    await login(page, server.base, 'tianbao1', server.accounts.tianbao1.password);
    // The scan is of 2021: the year is given so that no question is asked.
    await page.fill('#upload-year', '2021');
    await page.setInputFiles('#upload-file', scan);
    await Promise.all([
      page.waitForURL(/\/jobs\/\d+$/),
      page.click('#upload-form button[type=submit]'),
    ]);
    const jobUrl = page.url();
    assert.match(await text(page, '#job-state'), /排队中|处理中|已完成/);
    await shot(page, 's-01-job-waiting');
    // The page refreshes itself until the job ends.
    await page.waitForSelector('#job-state[data-state=done], #job-state[data-state=failed]', { timeout: 120_000 });
    assert.equal(page.url(), jobUrl);
    assert.equal(await page.locator('#job-state').getAttribute('data-state'), 'done', await page.locator('main').innerText());
    assert.match(await text(page, '#job-state'), /已完成/);
    const links = page.locator('#imported a.form-link');
    assert.deepEqual((await links.allInnerTexts()).map((t) => t.trim()), ['东津院区建设补助']);
    assert.match(await page.locator('main').innerText(), /扫描件，已经文字识别（OCR）读取.*需确认/);
    await shot(page, 's-02-job-done', { fullPage: true });

    await Promise.all([page.waitForURL(/\/forms\/\d+$/), links.first().click()]);
    const count = Number((await text(page, '#readings-title')).match(/（(\d+)处）/)[1]);
    assert.ok(count > 0, 'uncertain readings listed');
    assert.equal(await page.locator('#readings-list tbody tr').count(), count);
    assert.ok(await page.locator('.field-finding', { hasText: '扫描识别待核对：原件读作' }).count() > 0);
    await shot(page, 's-03-form-with-readings', { fullPage: true });

    // Sending it on is refused in place while the readings wait.
    if (await page.locator('#reason').count()) await page.fill('#reason', '已与原件核对');
    await page.click('#workflow button[value=request_confirmation]');
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), new RegExp(`有${count}处扫描识别结果待核对`));
    await shot(page, 's-04-refused-until-confirmed');

    await Promise.all([page.waitForURL(/\?msg=readings$/), page.click('#confirm-readings')]);
    assert.match(await page.locator('main').innerText(), /已确认扫描识别结果与原件一致/);
    assert.equal(await page.locator('#readings').count(), 0);
    await page.goto(`${page.url().replace(/\?.*$/, '')}/history`);
    assert.match(await page.locator('#changes').innerText(), new RegExp(`确认扫描识别结果与原件一致（${count}处`));
    // The refused step answers 409, which the browser logs; nothing else may go wrong.
    assert.deepEqual(problems.filter((p) => !/\/act: .* 409 \(Conflict\)/.test(p)), []);
  });
});

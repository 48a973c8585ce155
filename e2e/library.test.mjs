// End-to-end test of the indicator library (指标库) in `jixiao serve --demo`, in Debian's chromium
// at 1366×768: a unit's filer proposes an indicator (入库申请); another unit does not see it while
// it waits; the finance bureau approves it and requires it (固化) for its field; a declaration of
// that field then misses it (T03), finds it among the suggestions beside the form and adds it with
// one click; a target below the common floor (T07) must be answered before the form is sent on,
// and the unit's head reads the answer beside the finding; the bureau retires the indicator; then
// axe-core on the library page and the declaration. Screenshots go to target/e2e/l-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoPeople, launchBrowser, seriousViolations, shot, startServer, text } from './server.mjs';

const NAME = '工伤认定办结人次';
const VALUE = '≥2000人次';
const FIELD = '社会保障和就业';
const ANSWER = '本年参保单位满意度调查口径调整，目标按新口径的上年实际设定';

let server;
let browser;
const person = demoPeople(() => ({ server, browser }));
/** The declaration the filer works on. */
let formId;


/** The library page's entry rows as { name: [cells] }. */
async function entries(page) {
  const rows = await page.locator('#library-entries tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
  return Object.fromEntries(rows.map((r) => [r[0].split('审核意见')[0].trim(), r]));
}

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

describe('the indicator library', { timeout: 120_000 }, () => {
  test('a unit proposes an indicator; it waits for the bureau', async () => {
    const { page, problems } = await person('tianbao1');
    await Promise.all([page.waitForURL(`${server.base}/library`), page.click('nav a:text-is("指标库")')]);
    await page.selectOption('#pp-level2', '数量指标');
    await page.fill('#pp-name', NAME);
    await page.fill('#pp-typical', VALUE);
    await page.selectOption('#pp-field', FIELD);
    await page.fill('#pp-reason', '本中心每年办理工伤认定，库中没有对应指标');
    await shot(page, 'l-01-proposal');
    await Promise.all([page.waitForURL(/msg=proposed/), page.click('#propose button[type=submit]')]);
    assert.match(await text(page, 'p.notice'), /已提交入库申请/);
    // Units cannot curate: no proposals list, no buttons.
    assert.equal(await page.locator('#proposals').count(), 0);
    // Another unit does not find it while it waits.
    const other = (await person('tianbao2')).page;
    await other.goto(`${server.base}/library?q=${encodeURIComponent(NAME)}`);
    assert.ok(!(NAME in (await entries(other))), 'a pending proposal is listed to another unit');
    assert.deepEqual(problems, []);
  });

  test('the bureau approves it and requires it for its field', async () => {
    const { page, problems } = await person('caizheng');
    await page.goto(`${server.base}/library`);
    const row = page.locator('#proposals tbody tr', { hasText: NAME });
    assert.equal(await row.count(), 1, await text(page, '#proposals'));
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[2].trim(), VALUE);
    assert.equal(cells[4].trim(), '衡阳市工伤保险服务中心');
    await row.locator('input[name=note]').fill('同意入库');
    await shot(page, 'l-02-proposals');
    await Promise.all([page.waitForURL(/msg=approve/), row.locator('button[value=approve]').click()]);
    assert.equal(await page.locator('#proposals tbody tr', { hasText: NAME }).count(), 0);
    await page.goto(`${server.base}/library?q=${encodeURIComponent(NAME)}`);
    const entry = page.locator('#library-entries tbody tr', { hasText: NAME }).first();
    await entry.locator('select[name=field]').selectOption(FIELD);
    await Promise.all([page.waitForURL(/msg=fix/), entry.locator('button[value=fix]').click()]);
    await page.goto(`${server.base}/library?q=${encodeURIComponent(NAME)}`);
    const found = (await entries(page))[NAME];
    assert.ok(found, 'the approved indicator is listed');
    assert.deepEqual([found[3], found[4], found[6]], ['行业指标', '在用', FIELD]);
    await shot(page, 'l-03-curated');
    // On a phone the library reads as cards, without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.base}/library`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 391, `the library scrolls sideways on a phone: ${wide}`);
    await shot(page, 'l-03-phone', { fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });
    assert.deepEqual(problems, []);
  });

  test('a declaration of the field misses it, and adds it from the suggestions in one click', async () => {
    const { page, problems } = await person('tianbao1');
    await page.goto(`${server.base}/forms`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const r = await page.request.post(`${server.base}/api/v1/forms`, {
      data: { kind: 'project_target', year: 2024, project: '老工伤工作经费' },
      headers: { 'x-csrf-token': csrf, origin: server.base },
    });
    assert.equal(r.status(), 201, await r.text());
    formId = (await r.json()).id;
    await page.goto(`${server.base}/forms/${formId}`);
    // Last year's declaration beside each target; the 固化 indicator reported missing.
    assert.match(await text(page, '.field-note'), /^2023年：目标/);
    assert.match(await text(page, '#findings li[data-code=T03]'), new RegExp(NAME));
    // The demo's own 固化 indicator (工伤待遇核定人次, crates/app/src/demo.rs) is missing too.
    assert.match(await text(page, '#findings li[data-code=T03]'), /工伤待遇核定人次/);
    await page.fill('#suggest-q', '工伤认定办结');
    await page.click('#suggestions button:text-is("查找")');
    const suggestion = page.locator(`#suggestion-list li.suggestion`, { hasText: NAME });
    await suggestion.waitFor();
    assert.match(await suggestion.innerText(), /固化指标/);
    assert.match(await suggestion.innerText(), new RegExp(`常用指标值：${VALUE}`));
    await shot(page, 'l-04-suggestions');
    const before = await page.locator('input[name$=".name"]').count();
    await Promise.all([page.waitForURL(/msg=added/), suggestion.locator('button').click()]);
    const names = await page.locator('input[name$=".name"]').evaluateAll((es) => es.map((e) => e.value));
    const targets = await page.locator('input[name$=".target"]').evaluateAll((es) => es.map((e) => e.value));
    assert.equal(names.length, before + 1);
    const k = names.indexOf(NAME);
    assert.ok(k >= 0, `added: ${names}`);
    assert.equal(targets[k], VALUE);
    // T03 no longer names it (the demo's own 固化 indicator may still be missing).
    for (const t of await page.locator('#findings li[data-code=T03]').allInnerTexts()) {
      assert.ok(!t.includes(NAME), t);
    }
    assert.deepEqual(problems, []);
  });

  test('a finding of the review is answered before the form goes on', async () => {
    const { page, problems } = await person('tianbao1');
    await page.goto(`${server.base}/forms/${formId}`);
    // 满意度 set below the common floor of 85%.
    const targets = page.locator('input[name$=".target"]');
    const values = await targets.evaluateAll((es) => es.map((e) => e.value));
    const k = values.findIndex((v) => v.includes('98%'));
    assert.ok(k >= 0, `a satisfaction target: ${values}`);
    await targets.nth(k).fill('≥80%');
    await Promise.all([page.waitForURL(/msg=saved/), page.click('button[name=save][value="1"]')]);
    assert.equal(await page.locator('#findings li[data-code=T07]').count(), 1);
    const answers = page.locator('#answer-review textarea');
    assert.ok((await answers.count()) >= 1);
    // Sent on without the answers: refused, said beside the buttons.
    await page.locator('#explain-errors textarea').evaluateAll((ts) => ts.forEach((t) => { t.value = '原表如此'; }));
    await page.click('#workflow button[value=request_confirmation]');
    assert.match(await text(page, '#action-error'), /目标审核意见有\d+条未答复/);
    // The refusal is a 422 the browser logs; nothing else may be.
    const refused = problems.splice(0).filter((p) => !/\/act: .*status of 422/.test(p));
    assert.deepEqual(refused, []);
    await shot(page, 'l-05-answers');
    for (let i = 0; i < await answers.count(); i++) await answers.nth(i).fill(ANSWER);
    await page.locator('#explain-errors textarea').evaluateAll((ts) => ts.forEach((t) => { t.value = '原表如此'; }));
    await Promise.all([page.waitForURL(/msg=acted/), page.click('#workflow button[value=request_confirmation]')]);
    assert.equal(await text(page, '#stage'), '待确认');
    // The unit's head sees the finding with its answer.
    const head = (await person('fuzeren1')).page;
    await head.goto(`${server.base}/forms/${formId}`);
    assert.match(await text(head, '#findings li[data-code=T07]'), new RegExp(`单位答复：${ANSWER}`));
    assert.deepEqual(problems, []);
  });

  test('the bureau retires it: no longer suggested', async () => {
    const { page, problems } = await person('caizheng');
    await page.goto(`${server.base}/library?q=${encodeURIComponent(NAME)}`);
    const entry = page.locator('#library-entries tbody tr', { hasText: NAME }).first();
    await Promise.all([page.waitForURL(/msg=retire/), entry.locator('button[value=retire]').click()]);
    await page.goto(`${server.base}/library?q=${encodeURIComponent(NAME)}`);
    assert.equal((await entries(page))[NAME][4], '已停用');
    const other = (await person('tianbao2')).page;
    await other.goto(`${server.base}/library?q=${encodeURIComponent(NAME)}`);
    assert.ok(!(NAME in (await entries(other))), 'a retired indicator is listed to a unit');
    assert.deepEqual(problems, []);
  });
});

describe('accessibility (axe-core) of the library pages', { timeout: 60_000 }, () => {
  const pages = [
    ['library (bureau)', 'caizheng', () => '/library'],
    ['library (unit)', 'tianbao2', () => '/library'],
    ['declaration with suggestions', 'tianbao1', () => `/forms/${formId}`],
  ];
  for (const [name, user, path] of pages) {
    test(name, async () => {
      const { page } = await person(user);
      await page.goto(server.base + path());
      assert.deepEqual(await seriousViolations(page), [], `serious or critical axe violations on ${name}`);
    });
  }
});

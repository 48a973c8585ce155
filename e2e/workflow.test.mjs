// End-to-end test of `jixiao serve` in Debian's chromium: a filer uploads seed001.docx, fixes an
// audit finding while the score updates live, the unit head confirms, the filer submits, the
// supervisor returns it with a reason, the filer fixes and resubmits, the supervisor approves,
// the finance bureau approves and publishes; then axe-core checks the main pages.
// Screenshots of each step go to target/e2e/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launchBrowser, login, newSession, root, shot, startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const seed = join(root, 'testdata', 'fixtures', 'seed001.docx');

const RETURN_REASON = '执行率得分应为8.43分（10 × 84.30%），请更正后重新提交。';

let server;
let browser;
/** One browser context (its own session cookie) per person. */
const people = {};
/** The 日常运转经费 form created by the upload. */
let formId;
/** Other forms the upload created (still drafts), for the accessibility pass. */
let draftIds = [];

async function person(user) {
  if (!people[user]) {
    const account = server.accounts[user];
    assert.ok(account, `the demo prints no account ${user}:\n${server.output()}`);
    const s = await newSession(browser);
    await login(s.page, server.base, user, account.password);
    assert.deepEqual(s.problems, [], `console errors while ${user} logs in`);
    people[user] = s;
  }
  return people[user];
}

const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();

/** Stops a later step early when the upload step did not create the form. */
function needForm() {
  assert.ok(formId, 'the upload step did not create the form');
}

/** The form page of `formId`. */
async function openForm(page, id = formId) {
  await page.goto(`${server.base}/forms/${id}`);
  return page;
}

/** The filer's explanation of the audit errors left when sending the form on. */
const EXPLANATION = '总分与分值设置按原表填报，已与原件核对';

/**
 * Clicks a workflow button and waits for the form page it redirects to; `reason` is written in
 * the 意见、说明或原因 box first.
 */
async function act(page, code, reason) {
  if (reason !== undefined) await page.fill('#workflow textarea#reason', reason);
  const button = page.locator(`#workflow button[name=action][value=${code}]`);
  assert.equal(await button.count(), 1, `no workflow button ${code} on ${page.url()}`);
  await Promise.all([
    page.waitForURL(new RegExp(`/forms/${formId}\\?msg=acted&action=${code}$`)),
    button.click(),
  ]);
  // The notice says what happened (已送单位负责人确认。, 已审定。 …), never just “done”.
  const notice = await text(page, 'p.notice');
  assert.match(notice, /^已/);
  assert.notEqual(notice, '已完成操作。');
}

/** Goes to 待办 and follows the entry of the form, checking what it asks the user to do. */
async function fromTodo(page, label) {
  await page.goto(`${server.base}/`);
  const link = page.locator(`#todo a.todo-link[href="/forms/${formId}"]`);
  assert.equal(await link.count(), 1, `the form is not in 待办 of ${page.url()}`);
  assert.equal((await link.innerText()).trim(), label);
  return link;
}

/**
 * Replaces the text of an input by typing, and waits until the server's live preview has been
 * swapped into the page (the status line says it was recomputed and `until` holds).
 */
async function typeLive(page, selector, value, until) {
  const input = page.locator(selector);
  const preview = page.waitForResponse(
    (r) => r.url().endsWith(`/forms/${formId}/preview`) && r.request().method() === 'POST'
      && new URLSearchParams(r.request().postData() ?? '').get(
        selector.match(/name="([^"]+)"/)[1],
      ) === value,
  );
  await input.click();
  await input.press('Control+A');
  await input.pressSequentially(value, { delay: 30 });
  const response = await preview;
  assert.equal(response.status(), 200);
  await page.waitForFunction(until, undefined, { timeout: 5000 });
  assert.equal(await text(page, '#live-status'), '已按当前填写重新计算（尚未保存）');
}

const findingCodes = async (page) =>
  page.locator('#findings li.finding').evaluateAll((lis) => lis.map((li) => li.dataset.code));

// Nothing may hang a CI run: the server start and each step have a time limit.
before(async () => {
  // Settle both, so a server that fails to start does not leave chromium running (or the
  // other way round): `after` closes whatever started.
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 30_000 });

describe('workflow of a self-evaluation from upload to publication', { timeout: 180_000 }, () => {
  test('the filer uploads seed001.docx, fixes an audit finding, sees the score update live and saves', async () => {
    const { page, problems } = await person('tianbao2');
    assert.equal(server.accounts.tianbao2.role, '填报人');
    await shot(page, '01-filer-home');

    await page.setInputFiles('#upload-file', seed);
    await Promise.all([
      page.waitForURL(`${server.base}/forms/upload`),
      page.click('#upload-form button[type=submit]'),
    ]);
    // The demo already holds both forms of this file (drafts), and the file is of 2022 while the
    // page offered this year: nothing is filed; one question names the forms already filed and
    // the difference, and asks.
    assert.match(await text(page, '#question'), /已经归档/);
    assert.match(await page.locator('#differences').innerText(), /年度：文件中为“2022”/);
    const existing = await page.locator('#existing a.form-link').allInnerTexts();
    assert.equal(existing.length, 2, `existing: ${existing}`);
    assert.ok(existing.some((t) => /日常运转经费.*草稿/.test(t)), `existing: ${existing}`);
    assert.ok(existing.some((t) => /工伤稽核专项经费.*草稿/.test(t)), `existing: ${existing}`);
    // Drafts may be replaced (a new version of each) or the file filed again on purpose; this
    // filer files it separately, to take the new form through the year.
    assert.equal(await page.locator('input[name=on_duplicate][value=replace]').count(), 1);
    await shot(page, '02a-duplicate-question');
    await page.check('input[name=on_duplicate][value=separate]');
    await page.check('input[name=confirm]');
    await page.setInputFiles('#again-file', seed);
    await Promise.all([
      page.waitForURL(`${server.base}/forms/upload`),
      page.click('#answer button[type=submit]'),
    ]);
    const created = await page.locator('#imported a.form-link').allInnerTexts();
    assert.deepEqual(created.map((t) => t.trim()).sort(), ['工伤稽核专项经费', '日常运转经费'].sort());
    await shot(page, '02-upload-result');
    const hrefs = await page.locator('#imported a.form-link').evaluateAll((as) =>
      as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
    draftIds = hrefs.filter(([name]) => name !== '日常运转经费').map(([, h]) => Number(h.split('/').pop()));

    await Promise.all([
      page.waitForURL(/\/forms\/\d+$/),
      page.click('#imported a.form-link:text-is("日常运转经费")'),
    ]);
    formId = Number(new URL(page.url()).pathname.split('/').pop());
    problems.length = 0;
    assert.equal(await text(page, '#stage'), '草稿');
    assert.equal(await text(page, '#version'), '1');
    assert.match(await text(page, '#form-title'), /项目支出绩效自评表\s*日常运转经费/);
    // The two known findings: the stated execution score and the weights adding up to 110.
    const before = await findingCodes(page);
    assert.ok(before.includes('A02'), `A02 missing: ${before}`);
    assert.ok(before.includes('S02'), `S02 missing: ${before}`);
    assert.match(await text(page, '#findings li.finding[data-code=S02]'), /110/);
    assert.equal(await text(page, '#calc-total'), '89.48');
    assert.equal(await text(page, '#calc-exec-score'), '8.43');
    // The form's one total is the unit's stated 85.00 until review; the computed score is beside it.
    assert.equal(await text(page, '#summary-total'), '85.00');
    assert.match(await text(page, '#summary-basis'), /单位自评总分/);
    assert.match(await text(page, '#computed-total'), /^89\.48/);
    // Every 定位 link of a finding leads to a field of the form.
    const dangling = await page.locator('#findings a[href^="#f-"]').evaluateAll((as) =>
      as.map((a) => decodeURIComponent(a.getAttribute('href').slice(1)))
        .filter((id) => !document.getElementById(id)));
    assert.deepEqual(dangling, [], 'finding links without a field');
    await page.locator('#findings').scrollIntoViewIfNeeded();
    await shot(page, '03-form-findings');

    // The 经费支出时效性 row carries weight 20 where 10 is meant.
    const row = page.locator('table.paper tr', {
      has: page.locator('textarea[name$=".name"]', { hasText: '经费支出时效性' }),
    });
    const weight = row.locator('input[name$=".weight"]');
    assert.equal(await weight.getAttribute('name'), 'indicators[3].weight');
    assert.equal(await weight.inputValue(), '20');
    await typeLive(page, '[name="indicators[3].weight"]', '10', () =>
      document.querySelector('#calc-total').textContent.trim() !== '89.48');
    assert.equal(await text(page, '#calc-total'), '91.43');
    assert.equal(await text(page, '#calc-grade'), '优');
    const live = await findingCodes(page);
    assert.ok(!live.includes('S02'), `S02 still shown after the fix: ${live}`);
    // At its real weight the row's own score is recomputed (未达成: 3 of 10).
    assert.equal(await text(page, '#calc-3'), '3');
    assert.ok(live.includes('A02'), `A02 should remain: ${live}`);
    // Not saved yet: the stored version and the form's total are unchanged; the header's
    // computed score follows the typing.
    assert.equal(await text(page, '#version'), '1');
    assert.equal(await text(page, '#summary-total'), '85.00');
    assert.match(await text(page, '#computed-total'), /^91\.43（优）/);
    await page.locator('#calc-total').scrollIntoViewIfNeeded();
    await shot(page, '04-live-score-updated');

    await Promise.all([
      page.waitForURL(new RegExp(`/forms/${formId}\\?msg=saved$`)),
      page.click('#form-edit button[name=save][value="1"]'),
    ]);
    assert.equal(await text(page, 'p.notice'), '已保存。');
    assert.equal(await text(page, '#version'), '2');
    assert.equal(await text(page, '#summary-total'), '85.00');
    assert.equal(await text(page, '#summary-grade'), '良');
    assert.match(await text(page, '#computed-total'), /^91\.43（优）/);
    assert.equal(await page.inputValue('[name="indicators[3].weight"]'), '10');
    assert.ok(!(await findingCodes(page)).includes('S02'));
    await shot(page, '05-saved');
    // The form page, its htmx requests and the save raised no console error or CSP violation.
    assert.deepEqual(problems, []);
  });

  test('the filer asks for confirmation, the unit head confirms and the filer submits', async () => {
    needForm();
    const filer = (await person('tianbao2')).page;
    await openForm(filer);
    // The form still has audit errors: sending it on without a word is refused, saying why.
    assert.equal(await filer.locator('#explain-errors textarea').count() > 0, true);
    await Promise.all([
      filer.waitForURL(`${server.base}/forms/${formId}/act`),
      filer.click('#workflow button[name=action][value=request_confirmation]'),
    ]);
    assert.match(await filer.locator('main').innerText(), /未作说明/);
    await shot(filer, '05a-errors-need-explanation');
    await openForm(filer);
    await act(filer, 'request_confirmation', EXPLANATION);
    assert.equal(await text(filer, '#stage'), '待确认');
    // Waiting for the head, the form is no longer editable.
    assert.equal(await filer.locator('#form-edit button[name=save]').count(), 0);
    await shot(filer, '06-sent-for-confirmation');

    const head = (await person('fuzeren2')).page;
    assert.equal(server.accounts.fuzeren2.role, '单位负责人');
    const link = await fromTodo(head, '确认');
    await shot(head, '07-head-todo');
    await Promise.all([head.waitForURL(`${server.base}/forms/${formId}`), link.click()]);
    assert.equal(await text(head, '#stage'), '待确认');
    await act(head, 'confirm');
    assert.equal(await text(head, '#stage'), '已确认');
    await shot(head, '08-head-confirmed');

    const link2 = await fromTodo(filer, '提交');
    await Promise.all([filer.waitForURL(`${server.base}/forms/${formId}`), link2.click()]);
    await act(filer, 'submit');
    assert.equal(await text(filer, '#stage'), '已提交');
    await shot(filer, '09-submitted');
  });

  test('the supervisor returns it with a reason; the filer fixes it and resubmits; the supervisor approves', async () => {
    needForm();
    const sup = (await person('renshe')).page;
    assert.equal(server.accounts.renshe.role, '主管部门审核');
    const link = await fromTodo(sup, '审核');
    await Promise.all([sup.waitForURL(`${server.base}/forms/${formId}`), link.click()]);
    assert.equal(await text(sup, '#stage'), '已提交');
    assert.equal(await sup.locator('#workflow textarea#reason').count(), 1);

    // A return without a reason is refused with a message, and nothing changes.
    const [refused] = await Promise.all([
      sup.waitForResponse((r) => r.url() === `${server.base}/forms/${formId}/act`),
      sup.click('#workflow button[name=action][value=supervisor_return]'),
    ]);
    assert.ok(refused.status() >= 400 && refused.status() < 500, `status ${refused.status()}`);
    await sup.waitForLoadState();
    assert.match(await sup.locator('main').innerText(), /退回.*必须写明原因/);
    await shot(sup, '10-return-without-reason-refused');
    await openForm(sup);
    assert.equal(await text(sup, '#stage'), '已提交');

    await sup.fill('#reason', RETURN_REASON);
    await act(sup, 'supervisor_return');
    assert.equal(await text(sup, '#stage'), '主管部门退回');
    await shot(sup, '11-supervisor-returned');

    // The filer finds it in 待办 with the reason.
    const { page: filer, problems } = await person('tianbao2');
    const back = await fromTodo(filer, '修改（主管部门退回）');
    const todoRow = filer.locator('#todo tbody tr', {
      has: filer.locator(`a.todo-link[href="/forms/${formId}"]`),
    });
    assert.equal((await todoRow.locator('.reason').innerText()).trim(), RETURN_REASON);
    await shot(filer, '12-filer-todo-returned');
    await Promise.all([filer.waitForURL(`${server.base}/forms/${formId}`), back.click()]);
    problems.length = 0;
    assert.equal(await text(filer, '#stage'), '主管部门退回');
    assert.equal(await text(filer, 'p.returned'), `退回原因：${RETURN_REASON}`);

    // The fix: the stated execution score as computed (A02 disappears, the total stays).
    assert.ok((await findingCodes(filer)).includes('A02'));
    await typeLive(filer, '[name="funds.stated_score"]', '8.43', () =>
      !document.querySelector('#findings li.finding[data-code=A02]'));
    assert.equal(await text(filer, '#calc-total'), '91.43');
    await shot(filer, '13-filer-fixed-a02');
    await Promise.all([
      filer.waitForURL(new RegExp(`/forms/${formId}\\?msg=saved$`)),
      filer.click('#form-edit button[name=save][value="1"]'),
    ]);
    assert.equal(await text(filer, '#version'), '3');
    assert.equal(await filer.inputValue('[name="funds.stated_score"]'), '8.43');
    assert.ok(!(await findingCodes(filer)).includes('A02'));
    assert.deepEqual(problems, []);
    await act(filer, 'request_confirmation', EXPLANATION);
    assert.equal(await text(filer, '#stage'), '待确认');

    const head = (await person('fuzeren2')).page;
    const c = await fromTodo(head, '确认');
    await Promise.all([head.waitForURL(`${server.base}/forms/${formId}`), c.click()]);
    await act(head, 'confirm');
    assert.equal(await text(head, '#stage'), '已确认');

    await openForm(filer);
    await act(filer, 'submit');
    assert.equal(await text(filer, '#stage'), '已提交');
    await shot(filer, '14-resubmitted');

    const again = await fromTodo(sup, '审核');
    await Promise.all([sup.waitForURL(`${server.base}/forms/${formId}`), again.click()]);
    await act(sup, 'supervisor_approve');
    assert.equal(await text(sup, '#stage'), '主管部门已审核');
    await shot(sup, '15-supervisor-approved');
  });

  test('the finance bureau approves and publishes; the history shows every step', async () => {
    needForm();
    const fin = (await person('caizheng')).page;
    assert.equal(server.accounts.caizheng.role, '财政审核');
    const link = await fromTodo(fin, '审定');
    await shot(fin, '16-finance-todo');
    await Promise.all([fin.waitForURL(`${server.base}/forms/${formId}`), link.click()]);
    // The unit's explanation stands beside the finding it explains.
    assert.match(await fin.locator('#findings').innerText(), new RegExp(`单位说明：${EXPLANATION}`));
    // The bureau adopts the computed score (the weights add up to 110), with its reason.
    await fin.check('#adopt-computed');
    await act(fin, 'finance_approve', '表中分值合计110分，按系统折算得分审定');
    assert.equal(await text(fin, '#stage'), '已审定');
    assert.equal(await text(fin, '#summary-total'), '91.43');
    assert.match(await text(fin, '#summary-basis'), /财政审定采用的系统计算得分/);
    await shot(fin, '17-finance-approved');

    const pub = await fromTodo(fin, '公开');
    await Promise.all([fin.waitForURL(`${server.base}/forms/${formId}`), pub.click()]);
    await act(fin, 'publish');
    assert.equal(await text(fin, '#stage'), '已公开');
    assert.equal(await text(fin, '#summary-total'), '91.43');
    await shot(fin, '18-published');

    await fin.goto(`${server.base}/forms/${formId}/history`);
    const events = await fin.locator('#events tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
    // Columns: 时间, 操作人, 操作, 从, 到, 原因.
    const steps = events.map((e) => e[4]);
    assert.deepEqual(steps, [
      '待确认', '已确认', '已提交', '主管部门退回',
      '待确认', '已确认', '已提交', '主管部门已审核', '已审定', '已公开',
    ], `history: ${JSON.stringify(events)}`);
    const returned = events.find((e) => e[4] === '主管部门退回');
    assert.equal(returned[5], RETURN_REASON);
    assert.match(returned[1], /renshe|人社|主管/);
    // The change log holds the two saves as sentences with old and new values.
    const changes = await fin.locator('#changes tbody').innerText();
    assert.match(changes, /将「第4项指标的分值」由“20”改为“10”/);
    assert.match(changes, /将「执行率得分（表中）」由“8\.5”改为“8\.43”/);
    await shot(fin, '19-history', { fullPage: true });

    // Published: nobody may change it any more, and the filer sees it read-only.
    const filer = (await person('tianbao2')).page;
    await openForm(filer);
    assert.equal(await text(filer, '#stage'), '已公开');
    assert.equal(await filer.locator('#form-edit button[name=save]').count(), 0);
    assert.equal(await filer.locator('#workflow').count(), 0);
  });
});

describe('an upload that names another unit', { timeout: 120_000 }, () => {
  test('衡阳的填报人上传株洲的自评表：看到差异，确认前不归档', async () => {
    const { page, problems } = await person('tianbao1');
    await page.goto(`${server.base}/forms`);
    const before = await page.locator('#forms tbody tr').count();
    await page.goto(`${server.base}/`);
    await page.setInputFiles('#upload-file', join(root, 'testdata', 'fixtures', 'seed003.docx'));
    await page.fill('#upload-year', '2021');
    await Promise.all([
      page.waitForURL(`${server.base}/forms/upload`),
      page.click('#upload-form button[type=submit]'),
    ]);
    // The file names 株洲; the filer works for 衡阳: the difference, and the choice to confirm.
    const differences = await page.locator('#differences').innerText();
    assert.match(differences, /单位：文件中为“株洲市工伤保险服务中心”，将归入“衡阳市工伤保险服务中心”/);
    assert.equal(await page.locator('#existing').count(), 0, 'nothing of 衡阳 is this file');
    await shot(page, '23-upload-names-another-unit');
    await page.goto(`${server.base}/forms`);
    assert.equal(await page.locator('#forms tbody tr').count(), before, 'filed before confirming');

    // Confirmed (the file chosen again): filed under 衡阳, the confirmed difference shown.
    await page.goto(`${server.base}/`);
    await page.setInputFiles('#upload-file', join(root, 'testdata', 'fixtures', 'seed003.docx'));
    await page.fill('#upload-year', '2021');
    await Promise.all([
      page.waitForURL(`${server.base}/forms/upload`),
      page.click('#upload-form button[type=submit]'),
    ]);
    await page.check('input[name=confirm]');
    await page.setInputFiles('#again-file', join(root, 'testdata', 'fixtures', 'seed003.docx'));
    await Promise.all([
      page.waitForURL(`${server.base}/forms/upload`),
      page.click('#answer button[type=submit]'),
    ]);
    assert.match(await text(page, '#confirmed'), /株洲市工伤保险服务中心/);
    assert.ok((await page.locator('#imported a.form-link').count()) >= 2);
    await shot(page, '24-upload-confirmed');
    // The question pages answer 409 (nothing was filed), which chromium logs; nothing else may.
    assert.deepEqual(problems.filter((p) => !/status of 409 \(Conflict\)/.test(p)), [],
      'console errors on the upload pages');
  });
});

describe('accessibility (axe-core) of the main pages', { timeout: 120_000 }, () => {
  /** Runs axe on the page; returns the violations, failing on serious or critical ones. */
  async function axe(page, name) {
    // Evaluated through the DevTools protocol, which the page's CSP does not restrict.
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      axe.run(document, { resultTypes: ['violations'] }));
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
    for (const v of violations) {
      console.log(`axe ${name}: [${v.impact}] ${v.id} — ${v.help} (${v.nodes}×: ${v.targets.join(', ')})`);
    }
    if (violations.length === 0) console.log(`axe ${name}: no violations`);
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `serious or critical axe violations on ${name}`);
    return violations;
  }

  test('login page', async () => {
    const { context, page, problems } = await newSession(browser);
    try {
      await page.goto(`${server.base}/login`);
      await axe(page, 'login');
      // A first visit (it also asks for the icon) raises no console error.
      assert.deepEqual(problems, []);
      await shot(page, '20-login');
    } finally {
      await context.close();
    }
  });

  const pages = [
    ['home (待办)', () => '/'],
    ['form list', () => '/forms'],
    ['editable form', () => `/forms/${draftIds[0]}`],
    ['published form', () => `/forms/${formId}`],
    ['history', () => `/forms/${formId}/history`],
    ['years', () => '/years'],
  ];
  for (const [name, path] of pages) {
    test(name, async () => {
      assert.ok(formId && draftIds.length, 'the workflow test creates the forms');
      const { page, problems } = await person('tianbao2');
      problems.length = 0;
      const response = await page.goto(`${server.base}${path()}`);
      assert.equal(response.status(), 200);
      await axe(page, name);
      assert.deepEqual(problems, [], `console errors on ${name}`);
    });
  }

  test('form list and years pages (screenshots)', async () => {
    const { page } = await person('tianbao2');
    await page.goto(`${server.base}/forms`);
    await shot(page, '21-forms-list');
    await page.goto(`${server.base}/years`);
    await shot(page, '22-years');
  });
});

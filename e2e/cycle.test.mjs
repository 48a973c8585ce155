// End-to-end test of the parts of the cycle around the forms (issue 25) in `jixiao serve --demo`,
// in Debian's chromium at 1366×768: the administrator requires 事前绩效评估 for a year; a unit's
// filer creates an ex-ante assessment, scores it while the page computes the total and the
// conclusion it calls for (a conclusion that does not match is X03); the project's declaration
// shows the assessment and cannot go on until the assessment is handed over; then it does;
// then 抽评: the bureau draws a sample with a seed (the same seed draws it again), scores a drawn
// form itself (a changed score needs its reason) and sees the gap; then 绩效目标调整: the bureau
// refuses the demo's pending request (a reason is required), the unit asks again from the
// declaration's fields, the bureau approves and the declaration's next version holds the new
// target, its history naming the request; then 支付数据: the bureau uploads a payment export
// (a header without its unit is refused until one is chosen), sees the project it fed and the
// rows that matched none, and the monitoring form shows the months with their source; then
// 第三方评审: the bureau registers an expert (a one-time password shown once) and assigns them a
// form; the expert changes the password, declares no conflict of interest before the form
// opens, sees that form and not another, and scores it (a changed score needs its reason); the
// bureau sees the review on the form. axe-core on the pages.
// Screenshots go to target/e2e/c-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoPeople, launchBrowser, newSession, seriousViolations, shot, startServer, text } from './server.mjs';

const YEAR = '2022';
const PROJECT = '工伤康复试点项目';

let server;
let browser;
const person = demoPeople(() => ({ server, browser }));
let assessmentId;
let declarationId;


/** Creates a form from the home page's 新建 form; returns its id. */
async function create(page, kind, project) {
  await page.goto(`${server.base}/`);
  await page.selectOption('#new-kind', kind);
  await page.fill('#new-year', YEAR);
  await page.fill('#new-project', project);
  await Promise.all([page.waitForURL(/\/forms\/\d+/), page.click('#new-form button[type=submit]')]);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** Takes a workflow step from the form's page. */
async function act(page, id, action) {
  await page.goto(`${server.base}/forms/${id}`);
  await Promise.all([page.waitForURL(/msg=acted/), page.click(`#workflow button[value=${action}]`)]);
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

describe('事前绩效评估', { timeout: 120_000 }, () => {
  test('the administrator requires it for the year', async () => {
    const { page, problems } = await person('admin');
    await page.goto(`${server.base}/years`);
    await page.selectOption(`#s-${YEAR}-require_ex_ante`, 'yes');
    await Promise.all([page.waitForURL(/\/years/), page.click(`#settings-${YEAR} button[type=submit]`)]);
    assert.equal(await page.locator(`#s-${YEAR}-require_ex_ante`).inputValue(), 'yes');
    assert.deepEqual(problems, []);
  });

  test('an assessment computes its total and the conclusion it calls for', async () => {
    const { page, problems } = await person('tianbao1');
    assessmentId = await create(page, 'ex_ante_assessment', PROJECT);
    assert.match(await text(page, 'h1'), /事前绩效评估表/);
    const scores = ['16', '14', '15', '13', '14'];
    for (const [k, s] of scores.entries()) {
      await page.fill(`[name="aspects[${k}].score"]`, s);
      await page.fill(`[name="aspects[${k}].reasoning"]`, `第${k + 1}项扣分理由`);
    }
    await page.fill('[name=stated_total]', '72');
    // The wrong conclusion for 72 of 100.
    await page.selectOption('[name=conclusion]', '予以支持');
    await page.waitForFunction(() => document.querySelector('#calc-ex-ante-total')?.textContent.includes('72'));
    assert.match(await text(page, '#calc-ex-ante-conclusion'), /按得分应为：调整完善后予以支持/);
    await Promise.all([page.waitForURL(/msg=saved/), page.click('button[name=save][value="1"]')]);
    assert.match(await text(page, '#findings li[data-code=X03]'), /评估结论为“予以支持”，按得分应为“调整完善后予以支持”/);
    await shot(page, 'c-01-ex-ante');
    await page.selectOption('[name=conclusion]', '调整完善后予以支持');
    await Promise.all([page.waitForURL(/msg=saved/), page.click('button[name=save][value="1"]')]);
    assert.equal(await page.locator('#findings li[data-code=X03]').count(), 0);
    assert.deepEqual(problems, []);
  });

  test('the declaration shows it, and goes on only once it is handed over', async () => {
    const { page, problems } = await person('tianbao1');
    declarationId = await create(page, 'project_target', PROJECT);
    assert.match(await text(page, '#ex-ante'), /总分72，按得分结论：调整完善后予以支持（草稿）/);
    assert.match(await text(page, '#ex-ante'), /不能送确认/);
    await page.fill('[name="indicators[0].name"]', '康复试点人数');
    await page.fill('[name="indicators[0].target"]', '≥200人');
    await Promise.all([page.waitForURL(/msg=saved/), page.click('button[name=save][value="1"]')]);
    const answer = async () => {
      for (const t of await page.locator('#answer-review textarea, #explain-errors textarea').all()) {
        await t.fill('已核对，按本年任务设定');
      }
    };
    await answer();
    await page.click('#workflow button[value=request_confirmation]');
    assert.match(await text(page, '#action-error'), /事前绩效评估表尚未提交/);
    problems.splice(0).filter((p) => !/status of 422/.test(p)).forEach((p) => assert.fail(p));
    await shot(page, 'c-02-declaration-waits');
    // The assessment handed over: 送确认, 确认 by the head, 提交.
    await act(page, assessmentId, 'request_confirmation');
    await act((await person('fuzeren1')).page, assessmentId, 'confirm');
    await act(page, assessmentId, 'submit');
    await page.goto(`${server.base}/forms/${declarationId}`);
    assert.match(await text(page, '#ex-ante'), /（已提交）/);
    await answer();
    await Promise.all([page.waitForURL(/msg=acted/), page.click('#workflow button[value=request_confirmation]')]);
    assert.equal(await text(page, '#stage'), '待确认');
    assert.deepEqual(problems, []);
  });
});

describe('抽评', { timeout: 120_000 }, () => {
  let checkId;
  let drawn;
  test('the bureau draws a sample with a seed, and the same seed draws it again', async () => {
    const { page, problems } = await person('caizheng');
    await Promise.all([page.waitForURL(`${server.base}/spot-checks`), page.click('nav a:text-is("抽评")')]);
    const drawWith = async (seed) => {
      await page.goto(`${server.base}/spot-checks`);
      await page.selectOption('#sc-year', '2021');
      await page.fill('#sc-percent', '50');
      await page.fill('#sc-seed', seed);
      await Promise.all([page.waitForURL(/\/spot-checks\/\d+$/), page.click('#draw button[type=submit]')]);
      const forms = await page.locator('#spot-items tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.form));
      return [Number(new URL(page.url()).pathname.split('/').pop()), forms];
    };
    [checkId, drawn] = await drawWith('77');
    assert.ok(drawn.length >= 1, 'something was drawn');
    assert.match(await text(page, '#spot-how'), /随机抽取50%，随机种子77/);
    await shot(page, 'c-03-spot-check');
    const [, again] = await drawWith('77');
    assert.deepEqual(again, drawn);
    assert.deepEqual(problems, []);
  });

  test('the bureau scores a drawn form itself and sees the gap', async () => {
    const { page, problems } = await person('caizheng');
    await page.goto(`${server.base}/spot-checks/${checkId}`);
    await Promise.all([page.waitForURL(/\/spot-checks\/items\/\d+$/), page.click('#spot-items a >> nth=-1')]);
    // The first indicator with a score of at least 3: three points off, with the reason.
    const rows = await page.locator('#rescore-lines tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ key: tr.dataset.key, computed: Number(tr.cells[3].textContent) })));
    const row = rows.find((r) => r.key !== 'execution' && r.computed >= 3);
    assert.ok(row, JSON.stringify(rows));
    await page.fill(`#s-${row.key}`, String(row.computed - 3));
    await page.click('#rescore button[type=submit]');
    assert.match(await text(page, 'main, body'), /请写明理由/);
    problems.splice(0).filter((p) => !/status of 422/.test(p)).forEach((p) => assert.fail(p));
    await page.goBack();
    await page.fill(`#s-${row.key}`, String(row.computed - 3));
    await page.fill(`#r-${row.key}`, '佐证材料不足');
    await Promise.all([page.waitForURL(/\/spot-checks\/items\/\d+$/), page.click('#rescore button[type=submit]')]);
    const unit = Number((await text(page, '#spot-totals')).match(/单位自评总分\s*([\d.]+)/)[1]);
    const reviewed = Number(await text(page, '#reviewed-total'));
    const gap = Number(await text(page, '#gap'));
    assert.equal(Math.round((unit - reviewed) * 100), Math.round(gap * 100));
    assert.ok(gap >= 3, `three points off at least: ${gap}`);
    assert.equal(await page.locator('#spot-fix').count(), 1, 'a rectification is proposed');
    await shot(page, 'c-04-spot-review');
    await page.goto(`${server.base}/spot-checks?year=2021`);
    assert.ok((await page.locator('#unit-gaps tbody tr').count()) >= 1);
    assert.deepEqual(problems, []);
  });
});

let adjusted;
const adjustedId = () => adjusted;

describe('绩效目标调整', { timeout: 120_000 }, () => {
  let id;
  const panel = (page) => text(page, '#adjustments');

  test('the bureau refuses a pending request, with a reason', async () => {
    const { page, problems } = await person('caizheng');
    const listed = await (await page.request.get(`${server.base}/api/v1/forms?year=2021&kind=project_target`)).json();
    id = listed.forms.find((f) => f.name === '老工伤工作经费').id;
    adjusted = id;
    await page.goto(`${server.base}/forms/${id}#adjustments`);
    assert.match(await panel(page), /已批准[\s\S]*1350万元[\s\S]*待审核/);
    assert.equal(await page.locator('.decide-adjustment').count(), 1, 'the pending request can be decided');
    await page.click('.decide-adjustment button[value=refuse]');
    assert.match(await text(page, 'main, body'), /不予批准须写明理由/);
    problems.splice(0).filter((p) => !/status of 422/.test(p)).forEach((p) => assert.fail(p));
    await page.goto(`${server.base}/forms/${id}#adjustments`);
    await page.fill('.decide-adjustment textarea', '人数以年末核定数为准，暂不调整');
    await Promise.all([page.waitForURL(/msg=adjustment_refused/), page.click('.decide-adjustment button[value=refuse]')]);
    assert.match(await panel(page), /未批准[\s\S]*暂不调整/);
    assert.equal(await page.locator('.decide-adjustment').count(), 0);
    assert.deepEqual(problems, []);
  });

  test('the unit asks from the declaration\'s fields; approved, it is the next version', async () => {
    const { page, problems } = await person('tianbao1');
    await page.goto(`${server.base}/forms/${id}`);
    const before = Number(await text(page, '#version'));
    await Promise.all([page.waitForURL(/\/adjust$/), page.click('#request-adjustment')]);
    const row = page.locator('#adjust-form tr', { has: page.locator('input[value=老工伤服务工作成本]') });
    await row.locator('input[name$=".target"]').fill('老工伤工作专项经费11.5万元。');
    await page.click('#submit-adjustment');
    assert.match(await text(page, '#save-errors'), /理由/, 'a reason is required');
    problems.splice(0).filter((p) => !/status of 422/.test(p)).forEach((p) => assert.fail(p));
    await page.fill('#adjust-reason', '专项经费压减1.3万元');
    await shot(page, 'c-05-adjust', { fullPage: true });
    await Promise.all([page.waitForURL(/msg=adjustment_requested/), page.click('#submit-adjustment')]);
    assert.match(await panel(page), /待审核[\s\S]*专项经费压减[\s\S]*11\.5万元/);
    assert.equal(await page.locator('#request-adjustment').count(), 0, 'one request at a time');

    const bureau = (await person('caizheng')).page;
    await bureau.goto(`${server.base}/forms/${id}#adjustments`);
    await bureau.fill('.decide-adjustment textarea', '同意');
    await Promise.all([bureau.waitForURL(/msg=adjustment_approved/), bureau.click('.decide-adjustment button[value=approve]')]);
    assert.equal(Number(await text(bureau, '#version')), before + 1);
    assert.match(await text(bureau, '#form-edit'), /11\.5万元/);
    await shot(bureau, 'c-06-adjusted');
    await bureau.goto(`${server.base}/forms/${id}/history`);
    assert.match(await text(bureau, 'main'), /按批准的绩效目标调整申请\d+保存第\d+版/);
    assert.deepEqual(problems, []);
  });
});

describe('支付数据', { timeout: 120_000 }, () => {
  let upload;
  const csv = [
    '项目名称,预算单位,月份,金额',
    '老工伤工作经费,衡阳市工伤保险服务中心,2021-07,0.5',
    '老工伤工作经费,衡阳市工伤保险服务中心,2021-08,1.2',
    '不存在的项目,衡阳市工伤保险服务中心,2021-08,0.3',
  ].join('\n');

  async function send(page, unit) {
    await page.goto(`${server.base}/payments?year=2021`);
    await page.selectOption('#pay-unit', unit);
    await page.setInputFiles('#pay-file', { name: '8月支付明细.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#upload button[type=submit]');
  }

  test('the bureau uploads an export; matched and unmatched rows are listed', async () => {
    const { page, problems } = await person('caizheng');
    await send(page, 'header');
    assert.match(await text(page, 'main, body'), /未注明单位/);
    problems.splice(0).filter((p) => !/status of 422/.test(p)).forEach((p) => assert.fail(p));
    await send(page, 'wan');
    await page.waitForURL(/\/payments\/\d+$/);
    upload = Number(new URL(page.url()).pathname.split('/').pop());
    assert.match(await text(page, '#payment-matched'), /老工伤工作经费[\s\S]*7月、8月[\s\S]*1\.70/);
    const unmatched = await text(page, '#payment-unmatched');
    assert.match(unmatched, /不存在的项目/);
    assert.match(unmatched, /没有名为“不存在的项目”/);
    await shot(page, 'c-07-payments');
    await page.goto(`${server.base}/payments`);
    assert.ok((await page.locator('#payment-uploads tbody tr').count()) >= 2, 'the demo upload and this one');
    assert.deepEqual(problems, []);
  });

  test('the monitoring form shows each month with its source', async () => {
    const { page, problems } = await person('tianbao1');
    const listed = await (await page.request.get(`${server.base}/api/v1/forms?year=2021&kind=monitoring`)).json();
    const id = listed.forms.find((f) => f.name === '老工伤工作经费').id;
    await page.goto(`${server.base}/forms/${id}#payments`);
    const rows = await page.locator('#payment-months tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    assert.equal(rows.length, 8, JSON.stringify(rows));
    // July replaced by the later upload (0.50), January–June from the demo's (2.05 − 0.24 = 1.81).
    assert.deepEqual(rows[6].slice(0, 3), ['7月', '0.50', '2.31']);
    assert.match(rows[6][4], new RegExp(`上传${upload} 第2行`));
    assert.deepEqual(rows[7].slice(0, 4), ['8月', '1.20', '3.51', '27.42%']);
    assert.match(await text(page, '#payments'), /8月支付明细\.csv/);
    await page.locator('#payments').scrollIntoViewIfNeeded();
    await shot(page, 'c-08-monitoring-payments');
    assert.deepEqual(problems, []);
  });
});

let assignmentId;
const assignment = () => assignmentId;

describe('第三方评审', { timeout: 120_000 }, () => {
  let oneTime;
  let formId;
  let otherId;
  const NEW_PASSWORD = '评审专家的新密码2026';

  test('the bureau registers an expert and assigns a form', async () => {
    const { page, problems } = await person('caizheng');
    await page.goto(`${server.base}/experts`);
    await page.click('#new-expert summary');
    await page.fill('#exp-name', '孙评审');
    await page.fill('#exp-username', 'zhuanjia7');
    await page.fill('#exp-field', '财务管理');
    await page.fill('#exp-title', '注册会计师');
    await page.selectOption('#exp-rating', '良好');
    await page.selectOption('#exp-inst', { label: '湘衡联合会计师事务所' });
    await page.click('#new-expert button[type=submit]');
    const notice = await text(page, '#expert-created');
    oneTime = notice.match(/初始密码 (\S+)（/)[1];
    assert.match(await text(page, '#experts'), /孙评审[\s\S]*财务管理[\s\S]*湘衡联合会计师事务所/);
    await shot(page, 'c-09-experts');
    const listed = await (await page.request.get(`${server.base}/api/v1/forms?year=2022&kind=project_self_evaluation`)).json();
    formId = listed.forms.find((f) => f.name === '日常运转经费').id;
    otherId = listed.forms.find((f) => f.name !== '日常运转经费').id;
    await page.goto(`${server.base}/forms/${formId}#assignments`);
    await page.selectOption('#assign-expert', { label: '孙评审（财务管理，注册会计师）' });
    await Promise.all([page.waitForURL(/#assignments$/), page.click('#assign-form button[type=submit]')]);
    assert.match(await text(page, '#assignments'), /孙评审[\s\S]*待声明利益冲突/);
    assert.deepEqual(problems, []);
  });

  test('the expert declares, sees only that form and scores it', async () => {
    const { page, problems } = await newSession(browser);
    await page.goto(`${server.base}/login`);
    await page.fill('#username', 'zhuanjia7');
    await page.fill('#password', oneTime);
    await Promise.all([page.waitForURL(`${server.base}/password`), page.click('button[type=submit]')]);
    await page.fill('#old_password', oneTime);
    await page.fill('#new_password', NEW_PASSWORD);
    await page.fill('#confirm_password', NEW_PASSWORD);
    await Promise.all([page.waitForURL(/\/password\?msg=password$/), page.click('#change-password button[type=submit]')]);
    await page.goto(`${server.base}/`);
    assert.equal(new URL(page.url()).pathname, '/assignments');
    assert.match(await text(page, '#my-assignments'), /日常运转经费[\s\S]*待声明利益冲突/);
    // The form opens only after the declaration.
    await page.goto(`${server.base}/forms/${formId}`);
    assert.match(new URL(page.url()).pathname, /^\/assignments\/\d+$/);
    assignmentId = Number(new URL(page.url()).pathname.split('/').pop());
    await shot(page, 'c-10-declaration');
    await Promise.all([page.waitForURL(/\/assignments\/\d+$/), page.click('#declare-no-conflict')]);
    assert.match(await text(page, '#assignment-status'), /已声明无利益冲突/);
    await page.click('#open-form');
    await page.waitForURL(new RegExp(`/forms/${formId}$`));
    assert.equal(await page.locator('button[name=save]').count(), 0, 'nothing to save');
    // Another form is not found, in the list or by its id.
    await page.goto(`${server.base}/forms`);
    assert.equal(await page.locator(`a[href="/forms/${otherId}"]`).count(), 0);
    const other = await page.goto(`${server.base}/forms/${otherId}`);
    assert.equal(other.status(), 404);
    problems.splice(0).filter((p) => !/status of 404/.test(p)).forEach((p) => assert.fail(p));
    // Scores: a changed score needs its reason.
    await page.goto(`${server.base}/assignments/${assignmentId}`);
    const rows = await page.locator('#rescore-lines tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ key: tr.dataset.key, computed: Number(tr.cells[3].textContent) })));
    const row = rows.find((r) => r.key !== 'execution' && r.computed >= 2);
    await page.fill(`#s-${row.key}`, String(row.computed - 2));
    await page.fill('#expert-opinion', '个别指标佐证材料不足');
    await page.click('#expert-score button[type=submit]');
    assert.match(await text(page, 'main, body'), /请写明理由/);
    problems.splice(0).filter((p) => !/status of 422/.test(p)).forEach((p) => assert.fail(p));
    await page.goBack();
    await page.fill(`#s-${row.key}`, String(row.computed - 2));
    await page.fill(`#r-${row.key}`, '会议纪要未附');
    await page.fill('#expert-opinion', '个别指标佐证材料不足');
    await Promise.all([page.waitForURL(/\/assignments\/\d+$/), page.click('#expert-score button[type=submit]')]);
    assert.match(await text(page, '#assignment-status'), /已评审/);
    assert.ok(Number(await text(page, '#expert-total')) > 0);
    await shot(page, 'c-11-expert-scored', { fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
    assert.deepEqual(problems, []);
  });

  test('the bureau sees the review on the form', async () => {
    const { page, problems } = await person('caizheng');
    // Not the same URL as the page it is on: a hash alone would not load it again.
    await page.goto(`${server.base}/forms/${formId}`);
    assert.match(await text(page, '#assignments'), /孙评审[\s\S]*已评审[\s\S]*专家评分[\s\S]*个别指标佐证材料不足/);
    await page.goto(`${server.base}/forms/${formId}/history`);
    assert.match(await text(page, 'main'), /孙评审|zhuanjia7/);
    assert.deepEqual(problems, []);
  });
});

describe('accessibility (axe-core) of the new pages', { timeout: 60_000 }, () => {
  const pages = [
    ['spot checks', 'caizheng', () => '/spot-checks?year=2021'],
    ['ex-ante assessment', 'tianbao1', () => `/forms/${assessmentId}`],
    ['declaration with its assessment', 'tianbao1', () => `/forms/${declarationId}`],
    ['target adjustment request', 'tianbao1', () => `/forms/${adjustedId()}/adjust`],
    ['declaration with its adjustments', 'caizheng', () => `/forms/${adjustedId()}`],
    ['payment uploads', 'caizheng', () => '/payments?year=2021'],
    ['a payment upload', 'caizheng', () => '/payments/1'],
    ['the registers of experts', 'caizheng', () => '/experts'],
  ];
  for (const [name, user, path] of pages) {
    test(name, async () => {
      const { page } = await person(user);
      await page.goto(server.base + path());
      assert.deepEqual(await seriousViolations(page), [], `serious or critical axe violations on ${name}`);
    });
  }
});

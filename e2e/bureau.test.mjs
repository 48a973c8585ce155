// End-to-end test of the finance bureau's year in `jixiao serve --demo`, in Debian's chromium at
// 1366×768: a department evaluation from an uploaded 评价指标表 (seed004.docx, fields bound to its
// own 基础数据表), a judgement with and without its reason; a monitoring form that turns red while
// the filer types, and the bureau seeing it; the dashboard, its Excel export and the results page
// published to the public; then axe-core on the bureau's pages. The expected figures come from the
// engine itself (`jixiao evaluate`, `jixiao import` + `jixiao score`), not from the pages.
// Screenshots go to target/e2e/b-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launchBrowser, login, newSession, root, shot, startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, process.env.JIXIAO_BIN || join(root, 'target', 'debug', 'jixiao'));
const fixture = (name) => join(root, 'testdata', 'fixtures', name);
const seed004 = fixture('seed004.docx');

/**
 * The self-evaluations the demo region has handed over (crates/app/src/demo.rs): only these
 * count in the dashboard's figures; 淮北's two are drafts and 株洲's project self-evaluation
 * was returned by the bureau. 株洲's department self-evaluation is published (已公开).
 */
const HANDED_OVER = ['株洲市工伤保险服务中心'];
const PUBLISHED = ['株洲市工伤保险服务中心'];

/** The grade of a total under the default bands (rules.md: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60). */
const gradeOf = (t) => (t >= 90 ? '优' : t >= 80 ? '良' : t >= 60 ? '中' : '差');

/** The units of the demo region and the documents they filed (crates/app/src/demo.rs). */
const DEMO_UNITS = {
  'seed001.docx': '淮北市工伤保险管理服务中心',
  'seed003.docx': '株洲市工伤保险服务中心',
};

const JUDGED = '政府采购执行率';
const JUDGED_SCORE = 5;
const JUDGED_REASON = '基础数据表未填政府采购金额；按采购台账核实，全年采购执行约九成，酌情给5分。';
const MANUAL = '经济效益、社会效益';
const MANUAL_SCORE = 8;
const MANUAL_REASON = '履职效益有说明但缺少量化佐证，扣2分。';

let server;
let browser;
/** What the engine computes on its own, from the same documents. */
let engine;
/** One browser context (its own session cookie) per person. */
const people = {};
/** The evaluation created from the upload, and the monitoring form. */
let evaluationId;
let monitoringId;
/** The 运行监控预警 panel while the preview showed red, and once saved red. */
let livePanel;
let savedPanel;
/** The indicators the evaluation page listed as missing before any judgement. */
let judgedMissing;

const run = promisify(execFile);
async function jixiao(...args) {
  const { stdout } = await run(bin, args, { maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return JSON.parse(stdout);
}

/** The engine's own figures: seed 004 on the hand-written Hunan rules, and every self-evaluation. */
async function engineFigures() {
  const evaluation = await jixiao('evaluate', '--rules', 'hunan-department', '--data', seed004, '--json');
  const imported = await jixiao('import', '--json', ...Object.keys(DEMO_UNITS).map(fixture));
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bureau-'));
  try {
    const selfEvaluations = [];
    for (const file of imported) {
      const unit = DEMO_UNITS[basename(file.file)];
      for (const { form } of file.forms) {
        if (!/_self_evaluation$/.test(form.form)) continue;
        const path = join(dir, `${selfEvaluations.length}.json`);
        writeFileSync(path, JSON.stringify(form));
        const s = await jixiao('score', path, '--json');
        selfEvaluations.push({
          unit, year: form.year, kind: form.form, name: s.name, total: s.total, grade: s.grade,
          rate: s.execution?.rate, stated: form.stated_total,
        });
      }
    }
    return { evaluation: evaluation.evaluation, selfEvaluations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
/** The cells of every body row of a table, as trimmed text. */
const cells = (page, selector) => page.locator(`${selector} tbody tr`).evaluateAll((trs) =>
  trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
/** A decimal as the pages print it (no trailing zeros), or '' for none. */
const dec = (v) => (v === null || v === undefined ? '' : String(Number(v)));
/** Two decimals, as totals are stated. */
const cents = (x) => (Math.round(x * 100) / 100).toFixed(2);

/** The row of an evaluated indicator; `cols` maps the header words to the row's cells. */
async function indicatorRow(page, name) {
  const row = page.locator(`#results tr[data-indicator="${name}"]`);
  assert.equal(await row.count(), 1, `no indicator row ${name}`);
  const head = await page.locator('#results thead th').allInnerTexts();
  const values = await row.locator('td').allInnerTexts();
  return { row, cols: Object.fromEntries(head.map((h, k) => [h.trim(), (values[k] ?? '').trim()])) };
}

/** The numbers of the monitoring lights on the dashboard (`#lights`), as { 红灯: n, … }. */
async function lights(page) {
  const t = await text(page, '#lights');
  return Object.fromEntries([...t.matchAll(/(红灯|黄灯|绿灯)\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

/** The [label, count] pairs of a bar chart drawn on the server. */
const bars = (page, selector) => page.locator(`${selector} svg text`).evaluateAll((ts) => {
  const out = [];
  for (let k = 0; k + 1 < ts.length; k += 2) out.push([ts[k].textContent, Number(ts[k + 1].textContent)]);
  return out;
});

// Nothing may hang a CI run: the server start and each step have a time limit.
before(async () => {
  // All three at once; whatever started is kept for `after` even when another part failed.
  const [s, b, e] = await Promise.allSettled([startServer(), launchBrowser(), engineFigures()]);
  server = s.value;
  browser = b.value;
  engine = e.value;
  for (const r of [s, b, e]) if (r.status === 'rejected') throw r.reason;
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await server?.stop();
}, { timeout: 30_000 });

describe("the finance bureau's year", { timeout: 120_000 }, () => {
  test('department evaluation from an uploaded 评价指标表 with its 基础数据表 bound by itself', async () => {
    const { page, problems } = await person('caizheng');
    assert.equal(server.accounts.caizheng.role, '财政审核');
    await Promise.all([
      page.waitForURL(`${server.base}/evaluations`),
      page.click('nav a:text-is("部门评价")'),
    ]);
    await page.selectOption('#ev-unit', { label: '株洲市工伤保险服务中心' });
    await page.fill('#ev-year', '2021');
    await page.selectOption('#ev-rules', 'upload');
    await page.setInputFiles('#ev-table', seed004);
    await shot(page, 'b-01-evaluation-form');
    await Promise.all([
      page.waitForURL(/\/evaluations\/\d+$/),
      page.click('#evaluation-form button[type=submit]'),
    ]);
    evaluationId = Number(new URL(page.url()).pathname.split('/').pop());
    assert.match(await text(page, 'h1'), /2021年度部门整体支出绩效评价\s*株洲市工伤保险服务中心/);

    // The binding, for confirmation: field → row / column / value / reason.
    const binding = Object.fromEntries((await page.locator('#binding tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.cells[0].textContent.trim(), {
        row: tr.cells[1].textContent.trim(),
        column: tr.cells[2].textContent.trim(),
        value: tr.cells[3].textContent.trim(),
        reason: tr.cells[4].textContent.trim(),
        unbound: tr.classList.contains('unbound'),
      }]))));
    // The engine's hand-written rules state their inputs: 公用经费控制率 = 20.5 ÷ 29.24 × 100.
    const ev = engine.evaluation;
    const byName = Object.fromEntries(ev.indicators.map((i) => [i.name, i]));
    const operands = (name) => {
      const m = byName[name].explanation.match(/=\s*([\d.]+)\s*÷\s*([\d.]+)/);
      assert.ok(m, `the engine explains no division for ${name}: ${byName[name].explanation}`);
      return [dec(m[1]), dec(m[2])];
    };
    const [spent, budget] = operands('公用经费控制率');
    assert.deepEqual(binding['预算安排公用经费总额'],
      { ...binding['预算安排公用经费总额'], row: '公用经费', column: '2021年预算数', value: budget, unbound: false });
    assert.deepEqual(binding['实际支出公用经费总额'],
      { ...binding['实际支出公用经费总额'], row: '公用经费', column: '2021年决算数', value: spent, unbound: false });
    const [sgSpent, sgBudget] = operands('“三公经费”控制率');
    assert.equal(binding['“三公经费”实际支出数'].value, sgSpent);
    assert.equal(binding['“三公经费”预算安排数'].value, sgBudget);
    // The year words: 本年度 ↔ 2021, 实际支出数 ↔ 决算数.
    assert.match(binding['实际支出公用经费总额'].reason, /本年度＝2021年.*实际支出数＝决算数/);
    // 上年度 is 2020, and the table has no 2020 column: said so, not guessed.
    const lastYear = binding['上年度“三公经费”预算数'];
    assert.ok(lastYear?.unbound, `上年度“三公经费”预算数 should be unbound: ${JSON.stringify(lastYear)}`);
    assert.equal(lastYear.value, '');
    assert.match(lastYear.reason, /2020年预算数/);
    for (const [field, b] of Object.entries(binding)) {
      assert.equal(b.unbound, b.value === '', `${field}: bound iff it has a value (${JSON.stringify(b)})`);
    }
    await page.locator('#binding').scrollIntoViewIfNeeded();
    await shot(page, 'b-02-evaluation-binding');

    // Every indicator as the hand-written rule set computes it (measure, score, stated score).
    const names = await page.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.indicator));
    assert.deepEqual(names, ev.indicators.map((i) => i.name));
    for (const i of ev.indicators) {
      const { cols } = await indicatorRow(page, i.name);
      assert.equal(cols['计算值'], dec(i.measure), `${i.name} 计算值`);
      assert.equal(cols['得分'], dec(i.score), `${i.name} 得分`);
      assert.equal(cols['表中得分'], dec(i.stated), `${i.name} 表中得分`);
    }
    assert.equal(dec(byName['公用经费控制率'].measure), '70.11');
    assert.equal(dec(byName['“三公经费”控制率'].measure), '91.43');
    assert.equal((await indicatorRow(page, '公用经费控制率')).cols['计算值'], '70.11');
    assert.equal((await indicatorRow(page, '“三公经费”控制率')).cols['计算值'], '91.43');

    // Not every figure is there: the total is provisional, with what is missing, and no grade.
    assert.equal(ev.complete, false);
    const unjudged = ev.indicators.filter((i) => i.measure === null && i.score === null).length;
    assert.equal(await text(page, '#ev-total'), `${dec(ev.total)}（暂定：${unjudged}项未评）`);
    assert.match(await text(page, '#ev-grade'), /暂定/);
    assert.doesNotMatch(await text(page, '#ev-grade'), /^(优|良|中|差)$/);
    const missing = (await page.locator('#ev-missing li').allInnerTexts()).map((t) => t.split('：')[0].trim());
    assert.deepEqual(missing, ev.indicators.filter((i) => i.measure === null && i.score === null).map((i) => i.name));
    assert.ok(missing.includes(JUDGED));
    await page.locator('#results').scrollIntoViewIfNeeded();
    await shot(page, 'b-03-evaluation-results');
    assert.deepEqual(problems, [], 'console errors on the evaluation pages');

    // A judgement without its reason is refused, with a message, and nothing changes.
    const { row } = await indicatorRow(page, JUDGED);
    await row.locator(`input[name="score:${JUDGED}"]`).fill(String(JUDGED_SCORE));
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${server.base}/evaluations/${evaluationId}/judge`),
      page.click('#results ~ p button[type=submit]'),
    ]);
    assert.ok(refused.status() >= 400 && refused.status() < 500, `status ${refused.status()}`);
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), new RegExp(`“${JUDGED}”的给分须写明理由`));
    await shot(page, 'b-04-judgement-without-reason-refused');
    problems.length = 0;
    await page.goto(`${server.base}/evaluations/${evaluationId}`);
    assert.equal(await text(page, '#ev-total'), `${dec(ev.total)}（暂定：${unjudged}项未评）`);

    // With their reasons, judgements count: one on the not-computable indicator, one on an
    // indicator the rules leave to the evaluator (由评价人评定, the table's score taken until then).
    const manual = byName[MANUAL];
    assert.equal(dec(manual.score), dec(manual.stated), `${MANUAL} takes the table's score before a judgement`);
    const judged = (await indicatorRow(page, JUDGED)).row;
    await judged.locator(`input[name="score:${JUDGED}"]`).fill(String(JUDGED_SCORE));
    await judged.locator(`textarea[name="reason:${JUDGED}"]`).fill(JUDGED_REASON);
    const manualRow = (await indicatorRow(page, MANUAL)).row;
    await manualRow.locator(`input[name="score:${MANUAL}"]`).fill(String(MANUAL_SCORE));
    await manualRow.locator(`textarea[name="reason:${MANUAL}"]`).fill(MANUAL_REASON);
    await Promise.all([
      page.waitForURL(`${server.base}/evaluations/${evaluationId}`),
      page.click('#results ~ p button[type=submit]'),
    ]);
    const m = await indicatorRow(page, MANUAL);
    assert.equal(m.cols['得分'], String(MANUAL_SCORE));
    assert.ok(m.cols['说明'].includes(`评价人评定${MANUAL_SCORE}分（理由：${MANUAL_REASON}）`), m.cols['说明']);
    assert.equal(await m.row.locator(`textarea[name="reason:${MANUAL}"]`).inputValue(), MANUAL_REASON);
    const j = await indicatorRow(page, JUDGED);
    assert.equal(await j.row.locator(`input[name="score:${JUDGED}"]`).inputValue(), String(JUDGED_SCORE));
    assert.equal(await j.row.locator(`textarea[name="reason:${JUDGED}"]`).inputValue(), JUDGED_REASON);
    // The total changed, is the sum of the scores shown, and stays provisional.
    const total = await text(page, '#ev-total');
    assert.ok(!total.startsWith(`${dec(ev.total)}（`), `the judgements did not change the total: ${total}`);
    const scores = await page.locator('#results tbody td.ev-score').allInnerTexts();
    const sum = scores.reduce((a, t) => a + Math.round(Number(t.trim() || 0) * 100), 0) / 100;
    assert.match(total, new RegExp(`^${dec(sum).replace('.', '\\.')}（暂定：\\d+项未评）$`));
    await j.row.scrollIntoViewIfNeeded();
    await shot(page, 'b-05-judgements-with-reasons');
    judgedMissing = missing;

    // The list of evaluations shows it with its provisional total.
    await page.goto(`${server.base}/evaluations`);
    const listed = (await cells(page, '#evaluations')).find((r) => r[0] === String(evaluationId));
    assert.ok(listed, 'the evaluation is not listed');
    assert.equal(listed[1], '株洲市工伤保险服务中心');
    assert.equal(listed[2], '2021');
    assert.deepEqual(problems, [], 'console errors on the evaluation pages');
  });

  test(`the judgement on the not-computable ${JUDGED} counts in the total`, async () => {
    assert.ok(evaluationId && judgedMissing, 'the evaluation test gave the judgements');
    const { page } = await person('caizheng');
    await page.goto(`${server.base}/evaluations/${evaluationId}`);
    const ev = engine.evaluation;
    const manual = ev.indicators.find((i) => i.name === MANUAL);
    const j = await indicatorRow(page, JUDGED);
    assert.equal(j.cols['得分'], String(JUDGED_SCORE), `${JUDGED}: ${j.cols['说明']}`);
    const missing = (await page.locator('#ev-missing li').allInnerTexts()).map((t) => t.split('：')[0].trim());
    assert.equal(await text(page, '#ev-total'),
      `${dec(Number(ev.total) - Number(manual.score) + MANUAL_SCORE + JUDGED_SCORE)}（暂定：${missing.length}项未评）`);
    assert.deepEqual(missing, judgedMissing.filter((n) => n !== JUDGED));
  });

  test('a monitoring form turns red while the filer types, and the bureau sees it', async () => {
    // The bands of 2021, as the administrator set them (执行进度比 below red_below → red, …).
    const admin = (await person('admin')).page;
    await admin.goto(`${server.base}/years`);
    const redBelow = Number(await admin.inputValue('#s-2021-red_below'));
    const yellowBelow = Number(await admin.inputValue('#s-2021-yellow_below'));
    const expectedLight = (executed, budget, month) => {
      const ratio = Math.round(((executed / budget) / (month / 12)) * 100 * 100) / 100;
      return { ratio, light: ratio < redBelow ? '红灯' : ratio < yellowBelow ? '黄灯' : '绿灯' };
    };

    const { page, problems } = await person('tianbao1');
    assert.equal(server.accounts.tianbao1.role, '填报人');
    await page.goto(`${server.base}/forms?kind=monitoring`);
    const link = page.locator('#forms tbody tr', { has: page.locator('td:text-is("2021")') })
      .locator('a:text-is("老工伤工作经费")');
    assert.equal(await link.count(), 1, 'the monitoring form of 老工伤工作经费 (2021) is not listed');
    await shot(page, 'b-06-monitoring-list');
    await Promise.all([page.waitForURL(/\/forms\/\d+$/), link.click()]);
    monitoringId = Number(new URL(page.url()).pathname.split('/').pop());
    problems.length = 0;
    assert.match(await text(page, '#form-title'), /项目支出绩效目标执行监控表\s*老工伤工作经费/);
    assert.equal(await text(page, '#stage'), '草稿');
    const budget = Number(await page.inputValue('[name="funds[0].initial_budget"]'));
    const month = Number(await page.inputValue('[name="period_end_month"]'));
    const version = Number(await text(page, '#version'));

    // 9 of the budget spent by the period's end: on schedule, green once saved.
    const green = expectedLight(9, budget, month);
    assert.equal(green.light, '绿灯', `9 of ${budget} by month ${month}: ${JSON.stringify(green)}`);
    await page.fill('[name="funds[0].executed"]', '9');
    await Promise.all([
      page.waitForURL(new RegExp(`/forms/${monitoringId}\\?msg=saved$`)),
      page.click('#form-edit button[name=save][value="1"]'),
    ]);
    assert.equal(await text(page, '#version'), String(version + 1));
    assert.equal(await text(page, '#calc-exec-light'), '绿灯');
    assert.equal(await text(page, '#calc-ratio'), String(green.ratio));
    await shot(page, 'b-07-monitoring-green');

    // The bureau counts a form by its overall light (总体预警: execution and every indicator) —
    // once the unit has handed it over: a draft's light is in no figure yet.
    const overall = await text(page, '#calc-light');
    assert.notEqual(overall, '红灯', 'no indicator of the demo form is red');
    const fin = (await person('caizheng')).page;
    await fin.goto(`${server.base}/dashboard?year=2021`);
    const greenLights = await lights(fin);
    assert.equal(greenLights['红灯'], 0, `#lights: ${JSON.stringify(greenLights)}`);
    assert.equal(greenLights[overall], 0, `a draft is counted: ${JSON.stringify(greenLights)}`);

    // Typing 2 instead: the live preview turns it red without saving.
    const red = expectedLight(2, budget, month);
    assert.equal(red.light, '红灯', `2 of ${budget} by month ${month}: ${JSON.stringify(red)}`);
    const input = page.locator('[name="funds[0].executed"]');
    const preview = page.waitForResponse((r) => r.url().endsWith(`/forms/${monitoringId}/preview`)
      && new URLSearchParams(r.request().postData() ?? '').get('funds[0].executed') === '2');
    await input.click();
    await input.press('Control+A');
    await input.pressSequentially('2', { delay: 30 });
    assert.equal((await preview).status(), 200);
    await page.waitForFunction(() => document.querySelector('#calc-exec-light')?.textContent.trim() === '红灯',
      undefined, { timeout: 5000 });
    assert.equal(await text(page, '#live-status'), '已按当前填写重新计算（尚未保存）');
    assert.equal(await text(page, '#calc-ratio'), String(red.ratio));
    assert.equal(await text(page, '#version'), String(version + 1), 'the preview saved the form');
    await page.locator('#calc-exec-light').scrollIntoViewIfNeeded();
    await shot(page, 'b-08-monitoring-red-live');
    livePanel = await page.locator('#monitor').innerText().catch(() => '');

    await Promise.all([
      page.waitForURL(new RegExp(`/forms/${monitoringId}\\?msg=saved$`)),
      page.click('#form-edit button[name=save][value="1"]'),
    ]);
    assert.equal(await text(page, '#version'), String(version + 2));
    assert.equal(await page.inputValue('[name="funds[0].executed"]'), '2');
    assert.equal(await text(page, '#calc-exec-light'), '红灯');
    assert.equal(await text(page, '#calc-light'), '红灯');
    // Saved, the 运行监控预警 panel explains the red light from the figures and says what is owed.
    const panel = await page.locator('#monitor').innerText();
    assert.match(panel, /红灯\s*预算执行进度/);
    assert.ok(panel.includes(`${red.ratio}，红灯`), `the panel does not explain ${red.ratio}: ${panel}`);
    assert.match(panel, /须填写存在问题及原因和拟采取的措施/);
    savedPanel = panel;
    await shot(page, 'b-09-monitoring-red-saved');
    assert.deepEqual(problems, [], 'console errors on the monitoring form');

    // The unit hands it over: sent on (its audit errors, if any, explained), confirmed by the
    // unit head, submitted.
    const step = async (who, code, reason) => {
      await who.goto(`${server.base}/forms/${monitoringId}`);
      if (reason && (await who.locator('#workflow textarea#reason').count()) > 0) {
        await who.fill('#workflow textarea#reason', reason);
      }
      await Promise.all([
        who.waitForURL(new RegExp(`/forms/${monitoringId}\\?msg=acted&action=${code}$`)),
        who.click(`#workflow button[name=action][value=${code}]`),
      ]);
    };
    await step(page, 'request_confirmation', '执行进度偏慢的原因与措施已在表中写明');
    await step((await person('fuzeren1')).page, 'confirm');
    await step(page, 'submit');
    assert.equal(await text(page, '#stage'), '已提交');

    // The bureau: 红灯 1 on the dashboard, with the unit; the red filter lists the form.
    await fin.goto(`${server.base}/dashboard?year=2021`);
    const redLights = await lights(fin);
    assert.equal(redLights['红灯'], 1, `#lights: ${JSON.stringify(redLights)}`);
    assert.equal(redLights[overall], 0, `#lights: ${JSON.stringify(redLights)}`);
    const unit = (await cells(fin, '#units')).find((r) => r[0] === '衡阳市工伤保险服务中心');
    assert.equal(unit?.at(-1), '1', `红灯 of 衡阳 in #units: ${JSON.stringify(unit)}`);
    await Promise.all([
      fin.waitForURL(/\/forms\?.*light=red/),
      fin.click('#lights a.light-red'),
    ]);
    const listed = await fin.locator('#forms tbody a').evaluateAll((as) =>
      as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
    assert.deepEqual(listed, [['老工伤工作经费', `/forms/${monitoringId}`]]);
    await fin.goto(`${server.base}/forms?light=red`);
    assert.ok((await fin.locator(`#forms a[href="/forms/${monitoringId}"]`).count()) === 1,
      '/forms?light=red does not list the form');
    await shot(fin, 'b-10-forms-red');
  });

  test('the 运行监控预警 panel follows the live preview', {
  }, () => {
    assert.ok(savedPanel, 'the monitoring test saved the red form');
    assert.match(livePanel, /红灯\s*预算执行进度/, `#monitor during the preview:\n${livePanel}`);
  });

  test('dashboard, its Excel export, results with their consequences, published to the public', async () => {
    const { page, problems } = await person('caizheng');
    problems.length = 0;
    await page.goto(`${server.base}/`);
    await Promise.all([page.waitForURL(`${server.base}/dashboard`), page.click('nav a:text-is("汇总分析")')]);
    for (const t of ['#units', '#checks', '#ranking', '#stages', '#error-units', '#trend']) {
      assert.equal(await page.locator(t).count(), 1, `no ${t} on the dashboard`);
    }
    for (const c of ['#grade-chart svg', '#band-chart svg', '#scatter svg']) {
      assert.equal(await page.locator(c).count(), 1, `no chart ${c}`);
    }
    const shown = Number(await page.inputValue('#d-year'));
    await shot(page, 'b-11-dashboard', { fullPage: true });

    // Each year as the engine scores the seed documents: grades, ranking, points of the scatter.
    for (const year of [2022, 2021]) {
      if (year !== shown) {
        await page.selectOption('#d-year', String(year));
        await Promise.all([page.waitForURL(`${server.base}/dashboard?year=${year}`),
          page.click('form.filters button[type=submit]')]);
      }
      // Only what the units handed over counts, each with its one total: the stated total (the
      // bureau has adopted no computed score in the demo).
      const mine = engine.selfEvaluations
        .filter((s) => s.year === year && HANDED_OVER.includes(s.name))
        .map((s) => ({ ...s, total: cents(Number(s.stated)), grade: gradeOf(Number(s.stated)) }));
      // 2022's self-evaluations are 淮北's drafts: nothing of 2022 is ranked, graded or charted.
      assert.ok(year === 2022 || mine.length > 0, `the demo hands over no self-evaluation of ${year}`);
      assert.match(await text(page, '#counted'), /只统计单位已提交的表单/);
      assert.equal(await text(page, '#self-eval-count'), String(mine.length));
      const grades = Object.fromEntries(await bars(page, '#grade-chart'));
      for (const g of ['优', '良', '中', '差']) {
        assert.equal(grades[g], mine.filter((s) => s.grade === g).length, `${year} ${g}: ${JSON.stringify(grades)}`);
      }
      // A unit's total: its department self-evaluation's, else the mean of its projects'.
      const expected = {};
      for (const unit of new Set(mine.map((s) => s.unit))) {
        const own = mine.filter((s) => s.unit === unit);
        const dept = own.find((s) => s.kind === 'department_self_evaluation');
        expected[unit] = dept ? dept.total
          : cents(own.reduce((a, s) => a + Number(s.total), 0) / own.length);
      }
      const ranking = await cells(page, '#ranking');
      assert.deepEqual(ranking.map((r) => [r[1], r[2]]),
        Object.entries(expected).sort((a, b) => Number(b[1]) - Number(a[1])), `${year} ranking`);
      for (const [unit, total] of Object.entries(expected)) {
        const row = (await cells(page, '#units')).find((r) => r[0] === unit);
        assert.equal(row?.[6], total, `${year} #units total of ${unit}`);
      }
      const points = await page.locator('#scatter svg a').evaluateAll((as) =>
        as.map((a) => [a.getAttribute('href'), a.querySelector('title').textContent]));
      assert.equal(points.length, mine.filter((s) => s.rate !== undefined).length, `${year} scatter points`);
      for (const s of mine) {
        const label = `执行率${dec(Math.round(Number(s.rate) * 10000) / 100)}%，总分${dec(s.total)}`;
        assert.ok(points.some(([, t]) => t.endsWith(label)), `${year}: no point “${label}” in ${JSON.stringify(points)}`);
      }
      assert.equal((await page.locator('#checks tbody tr').count()) > 0, mine.length > 0,
        `${year}: audit checks of forms handed over only`);
      await shot(page, `b-12-dashboard-${year}`, { fullPage: true });
    }
    // Drill down from a point of the scatter to its form (the last point is drawn on top).
    const point = page.locator('#scatter svg a').last();
    const href = await point.getAttribute('href');
    await Promise.all([page.waitForURL(`${server.base}${href}`), point.locator('circle').click()]);
    assert.match(await text(page, '#form-title'), /自评表/);

    // The Excel export of 2022, through its link.
    await page.goto(`${server.base}/dashboard?year=2022`);
    const xlsxLink = page.locator('a[href="/dashboard.xlsx?year=2022"]');
    assert.equal(await xlsxLink.count(), 1);
    const [download] = await Promise.all([page.waitForEvent('download'), xlsxLink.click()]);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the export is no .xlsx (zip)');
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    assert.deepEqual(problems, [], 'console errors on the dashboard');

    // Results of 2021: each approved self-evaluation with its one total, its grade and the
    // consequence set for the year (a draft or a returned form has none).
    const admin = (await person('admin')).page;
    await admin.goto(`${server.base}/years`);
    const consequence = {
      优: await admin.inputValue('#s-2021-excellent'), 良: await admin.inputValue('#s-2021-good'),
      中: await admin.inputValue('#s-2021-fair'), 差: await admin.inputValue('#s-2021-poor'),
    };
    await page.goto(`${server.base}/results?year=2021`);
    // Columns: 单位, 表单, 名称, 状态, 总分, 等级, 预算安排, 整改事项, ….
    const rows = await cells(page, '#results');
    const mine = engine.selfEvaluations
      .filter((s) => s.year === 2021 && PUBLISHED.includes(s.name))
      .map((s) => ({ ...s, total: cents(Number(s.stated)), grade: gradeOf(Number(s.stated)) }));
    assert.equal(rows.length, mine.length, `results rows: ${JSON.stringify(rows)}`);
    for (const s of mine) {
      const r = rows.find((x) => x[2] === s.name);
      assert.ok(r, `${s.name} is not in the results`);
      assert.deepEqual([r[0], r[4], r[5], r[6]], [s.unit, s.total, s.grade, consequence[s.grade]]);
    }
    await shot(page, 'b-13-results');

    // Not public yet: a visitor without an account gets no page.
    const visitor = await newSession(browser);
    try {
      const before = await visitor.page.goto(`${server.base}/public/results/2021`);
      assert.notEqual(before.status(), 200, 'the results page is public before it is published');
      visitor.problems.length = 0;

      await Promise.all([
        page.waitForURL(/\/results/),
        page.click('form[action="/results/publish"] button[name=public][value="1"]'),
      ]);
      await page.goto(`${server.base}/results?year=2021`);
      assert.match(await page.locator('form[action="/results/publish"]').innerText(), /已公开/);
      assert.equal(await page.locator('a[href="/public/results/2021"]').count(), 1);
      await shot(page, 'b-14-results-published');

      const response = await visitor.page.goto(`${server.base}/public/results/2021`);
      assert.equal(response.status(), 200);
      assert.equal(new URL(visitor.page.url()).pathname, '/public/results/2021');
      assert.equal(await text(visitor.page, 'h1'), '2021年度绩效评价结果公开');
      assert.equal(await visitor.page.locator('#public-results').count(), 1);
      // Only published (已公开) self-evaluations are listed, with the same total as the results.
      const published = rows.filter((r) => r[3] === '已公开');
      assert.equal(published.length, 1);
      const shown = await cells(visitor.page, '#public-results');
      assert.equal(shown.length, published.length);
      // Columns: 单位, 表单, 名称, 总分, 总分来源, 等级, 结果应用.
      assert.deepEqual([shown[0][0], shown[0][3], shown[0][4]], [published[0][0], published[0][4], '单位自评总分']);
      // Nobody is logged in: no menu, no account.
      assert.equal(await visitor.page.locator('nav').count(), 0);
      await shot(visitor.page, 'b-15-public-results');
      assert.deepEqual(visitor.problems, [], 'console errors on the public page');
    } finally {
      await visitor.context.close();
    }
  });
});

describe('accessibility (axe-core) of the bureau pages', { timeout: 60_000 }, () => {
  /**
   * Runs axe on the page; logs every violation, fails on serious or critical ones except the
   * `known` ones ([id, target] pairs, reported and tested on their own below).
   */
  async function axe(page, name, known = []) {
    // Evaluated through the DevTools protocol, which the page's CSP does not restrict.
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
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
    const isKnown = (v) => known.some(([id, target]) => v.id === id && v.targets.every((t) => t === target));
    const bad = violations.filter((v) => (v.impact === 'serious' || v.impact === 'critical') && !isKnown(v));
    assert.deepEqual(bad, [], `serious or critical axe violations on ${name}`);
    return violations;
  }

  // Known defect: the scatter is an <svg role="img"> whose points are links
  // (crates/web/src/charts.rs, fn scatter); role img hides its children from assistive
  // technology while the links stay focusable, so screen readers reach nameless links.
  const SCATTER = ['nested-interactive', 'svg[aria-label="预算执行率与得分"]'];

  const pages = [
    ['dashboard', 'caizheng', () => '/dashboard?year=2021', [SCATTER]],
    ['evaluations', 'caizheng', () => '/evaluations'],
    ['evaluation', 'caizheng', () => `/evaluations/${evaluationId}`],
    ['results', 'caizheng', () => '/results?year=2021'],
    ['years (admin)', 'admin', () => '/years'],
    ['monitoring form', 'tianbao1', () => `/forms/${monitoringId}`],
  ];
  for (const [name, user, path, known] of pages) {
    test(name, async () => {
      assert.ok(evaluationId && monitoringId, 'the bureau tests create the evaluation and open the form');
      const { page, problems } = await person(user);
      problems.length = 0;
      const response = await page.goto(`${server.base}${path()}`);
      assert.equal(response.status(), 200);
      await axe(page, name, known);
      assert.deepEqual(problems, [], `console errors on ${name}`);
    });
  }

  test('the scatter of the dashboard has no links hidden inside an image', async () => {
    const { page } = await person('caizheng');
    await page.goto(`${server.base}/dashboard?year=2021`);
    const violations = await axe(page, 'dashboard scatter');
    assert.ok(!violations.some((v) => v.id === SCATTER[0]), 'nested-interactive in the scatter');
  });

  test('public results (no login)', async () => {
    const { context, page, problems } = await newSession(browser);
    try {
      const response = await page.goto(`${server.base}/public/results/2021`);
      assert.equal(response.status(), 200, 'the results page of 2021 is not public');
      await axe(page, 'public results');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('years (admin, screenshot)', async () => {
    const { page } = await person('admin');
    await page.goto(`${server.base}/years`);
    await shot(page, 'b-16-years-admin', { fullPage: true });
  });
});

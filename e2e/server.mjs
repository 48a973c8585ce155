// Helpers for the browser tests: start `jixiao serve --demo` on a free port with a fresh SQLite
// file, read the demo accounts it prints, launch Debian's chromium through playwright-core, and
// log in. Paths are resolved from this file, so the tests run from any working directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const root = resolve(here, '..');
/** Where screenshots are kept as test artifacts. */
export const artifacts = join(root, 'target', 'e2e');
/** The office screen the pages are made for. */
export const viewport = { width: 1366, height: 768 };

/** A free TCP port on the loopback interface. */
async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts the server with the demo region. Resolves to { base, accounts, output, stop } once it
 * prints its address; `accounts` maps each user name to { password, role }.
 */
export async function startServer({ timeoutMs = 90_000 } = {}) {
  const bin = resolve(here, process.env.JIXIAO_BIN || join(root, 'target', 'debug', 'jixiao'));
  if (!existsSync(bin)) {
    throw new Error(`jixiao binary not found at ${bin}: run \`cargo build -p jixiao\` or set JIXIAO_BIN`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-e2e-'));
  const port = await freePort();
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  const child = spawn(
    bin,
    ['serve', '--demo', '--database', `sqlite:${join(dir, 'e2e.db')}`, '--addr', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  // Should the test process end without its `after` hook, the server goes with it.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const accounts = {};
  let output = '';
  let base = null;
  const stop = async () => {
    process.removeListener('exit', orphan);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      let pending = '';
      const onData = (chunk) => {
        const text = chunk.toString('utf8');
        output += text;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const raw of lines) {
          const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
          const a = line.match(/^账号 (\S+) 密码 (\S+) 角色 (\S+)$/);
          if (a) accounts[a[1]] = { password: a[2], role: a[3] };
          const s = line.match(/^绩效系统已启动：(http:\/\/\S+?)\/?$/);
          if (s) {
            base = s[1];
            clearTimeout(timer);
            ok();
          }
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (e) => {
        clearTimeout(timer);
        fail(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`server exited (${code ?? signal}) before starting:\n${output}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  // Keep draining the pipes so the server never blocks on a full one.
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.on('data', (c) => { output += c.toString('utf8'); });
  child.stderr.on('data', (c) => { output += c.toString('utf8'); });
  child.removeAllListeners('exit');
  return { base, accounts, stop, output: () => output };
}

/** Debian's chromium (CHROMIUM overrides the path). */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    // Root in CI containers has no user namespace for the sandbox; /dev/shm is often tiny.
    // The machine's network is closed: no background connections, no QUIC.
    args: [
      '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--lang=zh-CN',
    ],
  });
}

/**
 * A fresh browser context (its own cookies) at the office screen size, with every console
 * error, page error and CSP violation of its pages collected in `problems`.
 */
export async function newSession(browser, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  return { context, page, problems };
}

/** Logs in through the login page and waits for the home page. */
export async function login(page, base, user, password) {
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL(`${base}/`),
    page.click('button[type=submit]'),
  ]);
}

/** Saves a screenshot of the visible screen as target/e2e/NAME.png; returns its path. */
export async function shot(page, name, { fullPage = false } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** The text of the first element `selector` matches, trimmed. */
export const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();

/**
 * One signed-in session per demo user, made when first asked for: the returned
 * `person(user)` resolves to { context, page, problems }. `started()` gives the { server,
 * browser } of the test file once its `before` has run.
 */
export function demoPeople(started) {
  const people = {};
  return async (user) => {
    if (!people[user]) {
      const { server, browser } = started();
      const account = server.accounts[user];
      if (!account) throw new Error(`the demo prints no account ${user}:\n${server.output()}`);
      const s = await newSession(browser);
      await login(s.page, server.base, user, account.password);
      people[user] = s;
    }
    return people[user];
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page, a line each. */
export async function seriousViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not restrict.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

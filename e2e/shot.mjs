// Ad-hoc screenshots of pages: node shot.mjs BASE USER PASS PATH OUT.png
import { chromium } from 'playwright-core';
const [base, user, pass, path, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
await page.goto(base + '/login');
await page.fill('#username', user);
await page.fill('#password', pass);
await page.click('button[type=submit]');
await page.goto(base + path);
await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
await browser.close();

// Shared pieces of the browser scripts: Debian's Chromium through playwright-core (never a browser
// download), the office hosts of the test server, logging in, screenshots at desktop size.
// Run by tests/web (pytest), which starts the server and passes everything in XINFANG_E2E_*.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through pytest (tests/web)`);
  return value;
};

export const PASSWORD = 'xinfang-demo';
export const DESKTOP = { width: 1440, height: 900 };

/** `origin('xihu')` → http://xihu.localhost:<port> (Chromium resolves *.localhost to loopback). */
export function origin(office) {
  return `http://${env(`XINFANG_E2E_HOST_${office.toUpperCase()}`)}:${env('XINFANG_E2E_PORT')}`;
}

/** One browser per script; `browser()` inside a test. Page errors fail the test that saw them. */
export function useBrowser() {
  let instance;
  before(async () => {
    instance = await chromium.launch({
      executablePath: process.env.XINFANG_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });
  after(async () => instance?.close());
  return () => instance;
}

/** A fresh context (its own cookies) and page at desktop size, in Chinese. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.assertNoErrors = () => assert.deepEqual(errors, [], 'the page logged errors');
  return page;
}

/** Log in at an office's host with the keyboard, as an officer would; lands on `next`. */
export async function login(page, office, username, { next = '/' } = {}) {
  await page.goto(`${origin(office)}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByLabel('密码').press('Enter');
  await page.getByTestId('office-name').waitFor();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${env('XINFANG_E2E_SCREENSHOTS')}/${name}.png`, fullPage: true });
}

/** Every GraphQL request a page sends from now on: `stop()` returns their operation names. */
export function recordOperations(page) {
  const names = [];
  const listener = (request) => {
    if (request.url().endsWith('/graphql/') && request.method() === 'POST') {
      names.push(request.postDataJSON()?.operationName);
    }
  };
  page.on('request', listener);
  return () => {
    page.off('request', listener);
    return names;
  };
}

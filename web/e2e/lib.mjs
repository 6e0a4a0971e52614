// Shared pieces of the browser scripts: Debian's Chromium through playwright-core (never a browser
// download), the office hosts of the test server, logging in, screenshots at desktop size.
// Run by tests/web (pytest), which starts the server and passes everything in XINFANG_E2E_*.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through pytest (tests/web)`);
  return value;
};

export const PASSWORD = 'xinfang-demo';
const script = () => process.argv[1]?.split('/').pop()?.replace('.spec.mjs', '') ?? 'script';
export const DESKTOP = { width: 1440, height: 900 };

/** `origin('xihu')` → http://xihu.localhost:<port> (Chromium resolves *.localhost to loopback). */
export function origin(office) {
  return `http://${env(`XINFANG_E2E_HOST_${office.toUpperCase()}`)}:${env('XINFANG_E2E_PORT')}`;
}

/** One browser per script; `browser()` inside a test. Page errors fail the test that saw them.
 * After each test, every page it opened is photographed into screenshots/last/ (to see why one
 * failed). */
export function useBrowser() {
  let instance;
  let tests = 0;
  afterEach(async () => {
    tests += 1;
    const pages = instance?.contexts().flatMap((c) => c.pages()) ?? [];
    const folder = `${env('XINFANG_E2E_SCREENSHOTS')}/last`;
    await mkdir(folder, { recursive: true });
    for (const [i, page] of pages.entries()) {
      const path = `${folder}/${script()}-${tests}-${i}.png`;
      await page.screenshot({ path }).catch(() => undefined);
      await page.context().close();
    }
  });
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

/** Go to a screen through the main menu. */
export async function menu(page, name) {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true }).click();
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

/** Pick `option` in the Ant Design select labelled `name`; with `search`, typed first (a picker
 * that asks the server as one types). */
export async function choose(page, name, option, { scope = page, search } = {}) {
  const field = scope.getByLabel(name, { exact: true });
  const select = field.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const chosen = select.locator('.ant-select-selection-item', { hasText: option });
  // Under load Ant Design can drop a click made while its dropdown is still opening: wait a while
  // for the choice to show, and choose again (at most three times) when it did not. An option
  // already chosen is not clicked: in a multiple select the click would take it back.
  for (let attempt = 1; ; attempt += 1) {
    await field.click();
    if (search) await field.fill(search); // a picker that asks the server as one types
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    const item = dropdown.locator('.ant-select-item-option', { hasText: option }).first();
    await item.waitFor();
    if (!(await item.evaluate((el) => el.classList.contains('ant-select-item-option-selected')))) {
      await item.click();
    }
    if (!(await field.getAttribute('aria-expanded'))?.includes('false')) {
      await page.keyboard.press('Escape');
    }
    await dropdown.waitFor({ state: 'hidden' });
    const took = await chosen.first().waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (took) return;
    if (attempt === 3) throw new Error(`choose: ${name} did not take ${option} in three attempts`);
  }
}

/** Type a date into the date picker labelled `name` and confirm it with Enter; returns once the
 * picker has taken the date and its calendar has closed (it would cover the buttons below). */
export async function pickDate(page, name, isoDate, { scope = page } = {}) {
  const input = scope.getByLabel(name, { exact: true });
  await input.click();
  await input.fill(isoDate);
  await input.press('Enter');
  await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').last().waitFor({ state: 'hidden' });
  assert.equal(await input.inputValue(), isoDate);
}

/** The open modal dialog (the form of one workflow or handoff step), once its opening animation
 * is over: under load a click on a dialog still zooming in can be dropped. */
export function dialog(page) {
  return page.getByRole('dialog').and(page.locator(':not(.ant-zoom-appear)'));
}

/** Open the step `action` among the petition's available actions and return its dialog. */
export async function openAction(page, action) {
  await page.getByRole('toolbar', { name: '可办理事项' }).getByRole('button', { name: action, exact: true }).click();
  const modal = dialog(page);
  await modal.waitFor();
  return modal;
}

/** The status tag of the petition on its detail page, once it reads `status`. */
export async function expectStatus(page, status) {
  await page.getByTestId('petition-status').filter({ hasText: status }).waitFor();
}

/** Day `days` from today as YYYY-MM-DD. */
export function daysFromNow(days) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toISOString().slice(0, 10);
}

/** The mails the tests' SMTP server received for `address` (tests/support/smtp.py `Mailbox`):
 * waits until one matches `wanted` (at most `timeout` ms: the worker sends after the commit). */
export async function mailTo(address, wanted = () => true, { timeout = 60000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const response = await fetch(`${env('XINFANG_E2E_MAILBOX')}?to=${encodeURIComponent(address)}`);
    const found = (await response.json()).find(wanted);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

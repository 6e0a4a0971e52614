// 登录: redirect to the login page, wrong password, the office's name and level in the header,
// logout, and each office host with its own officers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, menu, newPage, origin, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();

test('an officer who is not logged in is sent to the login page and back after logging in', async () => {
  const page = await newPage(browser());
  await page.goto(`${origin('xihu')}/`);
  await page.waitForURL(/\/login\?next=%2F$/);
  await page.getByRole('heading', { name: '杭州市西湖区信访局' }).waitFor();
  await screenshot(page, '01-login');

  await page.getByLabel('用户名').fill('registrar');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  await screenshot(page, '01-login-wrong-password');

  await page.getByLabel('密码').fill('xinfang-demo');
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL(`${origin('xihu')}/`);
  assert.equal(await page.getByTestId('office-name').textContent(), '杭州市西湖区信访局');
  assert.equal(await page.getByTestId('office-level').textContent(), '县级');
  page.assertNoErrors();
});

test('the city host shows the city office, and logging out ends the session', async () => {
  const page = await newPage(browser());
  await login(page, 'hangzhou', 'leader');
  assert.equal(await page.getByTestId('office-name').textContent(), '杭州市信访局');
  assert.equal(await page.getByTestId('office-level').textContent(), '市级');
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(`${origin('hangzhou')}/`);
  await page.waitForURL(/\/login\?next=/);
  page.assertNoErrors();
});

test('a session of one office is no session at another office', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'registrar');
  await page.goto(`${origin('hangzhou')}/`);
  await page.waitForURL(/\/login\?next=/);
});

test('an expired session sends the officer to log in again, and back where they were', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'registrar');
  await page.context().clearCookies({ name: 'sessionid' });
  await menu(page, '信访件');
  await page.waitForURL(/\/login\?expired=1&next=%2Fpetitions/);
  await page.getByText('登录已过期，请重新登录').waitFor();
  await screenshot(page, '01-login-expired');
  await page.getByLabel('用户名').fill('registrar');
  await page.getByLabel('密码').fill('xinfang-demo');
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL(`${origin('xihu')}/petitions`);
  await page.getByTestId('petition-row').first().waitFor();
});

test('a full load of a screen after the session ended goes to the login, then back to that screen', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'registrar');
  await page.context().clearCookies({ name: 'sessionid' });
  // The list's query is sent before Session answers (app/preload.ts): its NOT_AUTHENTICATED
  // must not be taken for an expiry seen while working.
  await page.goto(`${origin('xihu')}/petitions?order=REGISTERED_ASC`);
  await page.waitForURL(/\/login\?next=%2Fpetitions%3Forder%3DREGISTERED_ASC$/);
  await page.getByLabel('用户名').fill('registrar');
  await page.getByLabel('密码').fill('xinfang-demo');
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL(`${origin('xihu')}/petitions?order=REGISTERED_ASC`);
  await page.getByTestId('petition-row').first().waitFor();
  page.assertNoErrors();
});

// 工作台 and 信访件 as officers use them: the tasks by deadline, filters in the address, keyset
// pages, keyboard use; a screenshot of each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choose, login, menu, newPage, origin, recordOperations, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();

test("the workbench shows the officer's tasks and the office's counts by status", async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader');
  await page.getByRole('heading', { name: '工作台' }).waitFor();
  await page.getByTestId('awaiting').waitFor();
  await page.getByText('本单位信访件（按状态）').waitFor();
  await screenshot(page, '02-workbench');
  await page.getByTestId('awaiting').getByRole('link', { name: '全部' }).click();
  await page.waitForURL(/\/petitions\?/);
  await page.getByTestId('petition-row').first().waitFor();
  page.assertNoErrors();
});

test('the petitions list filters by status, keeps it in the address, and pages by keyset', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader', { next: '/petitions' });
  await page.getByTestId('petition-row').first().waitFor();
  const total = await page.getByTestId('total-count').textContent();
  assert.match(total, /共 \d+ 件/);
  await screenshot(page, '03-petitions-list');

  await page.getByRole('button', { name: '下一页' }).click();
  await page.waitForURL(/after=/);
  await page.getByRole('button', { name: '上一页' }).click();
  await page.waitForURL(/before=/);

  await choose(page, '状态', '办理中');
  await page.waitForURL(/status=IN_HANDLING/);
  await page.keyboard.press('Escape');
  const rows = page.getByTestId('petition-row');
  // The address changes before the filtered page arrives: wait until the rows shown are its rows
  // (every status 办理中), or fail on the timeout.
  await page.waitForFunction(() => {
    const statuses = [...document.querySelectorAll('[data-testid="petition-row"] td:nth-child(5)')];
    return statuses.length > 0 && statuses.every((cell) => cell.textContent === '办理中');
  });
  await screenshot(page, '03-petitions-list-filtered');
  await page.reload();
  await page.waitForURL(/status=IN_HANDLING/);
  await rows.first().waitFor();
  page.assertNoErrors();
});

test("a full load of the list or of a petition sends the screen's query beside Session, each once", async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader');
  let stop = recordOperations(page);
  await page.goto(`${origin('xihu')}/petitions?status=IN_HANDLING`);
  await page.getByTestId('petition-row').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(stop().sort(), ['PetitionList', 'Session']);

  const href = await page.getByTestId('petition-row').first().getByRole('link').first().getAttribute('href');
  stop = recordOperations(page);
  await page.goto(`${origin('xihu')}${href}`);
  await page.getByTestId('petition-reference').waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(stop().sort(), ['PetitionDetail', 'Session']);
  // Back to the list through the menu: asked again (the preloaded answer is read once).
  stop = recordOperations(page);
  await menu(page, '信访件');
  await page.getByTestId('petition-row').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(stop(), ['PetitionList']);
  page.assertNoErrors();
});

test('a registrar moves through the menu with the keyboard alone', async () => {
  const page = await newPage(browser());
  await page.goto(`${origin('xihu')}/login`);
  await page.waitForFunction(() => document.activeElement?.id === 'username');
  await page.keyboard.type('registrar');
  await page.keyboard.press('Tab');
  await page.keyboard.type('xinfang-demo');
  await page.keyboard.press('Enter');
  await page.getByTestId('office-name').waitFor();
  const link = page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '登记', exact: true });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '登记信访件' }).waitFor();
  await page.getByLabel('信访渠道').focus();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'channel');
  await page.getByLabel('身份证号 1').fill('330106198001010017');
  await page.getByText('身份证号码校验位不正确，请核对').waitFor();
  await screenshot(page, '04-register-form');
  page.assertNoErrors();
});

test('search finds petitions by their words, with facets', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader', { next: '/search' });
  await page.getByLabel('检索词').fill('补偿款');
  await page.getByLabel('检索词').press('Enter');
  await page.waitForURL(/q=/);
  await page.getByTestId('search-hit').first().waitFor();
  // Waited for, not read once: the hits of the page before the search may still show while it loads.
  await page.getByTestId('search-total').filter({ hasText: /共 [1-9]\d* 件/ }).waitFor();
  await screenshot(page, '09-search');
  page.assertNoErrors();
});

test('the collective alerts screen lists an open alert with its members; acknowledging it files it under 已处理', async () => {
  // The five petitions of tests/web/conftest.py `collective_action`, detected before the scripts run.
  const place = '杭州市西湖区三墩镇绿城小区';
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader', { next: '/alerts' });
  await page.getByRole('heading', { name: '集体访预警' }).waitFor();
  const alert = page.getByRole('row').filter({ hasText: place });
  await alert.getByRole('cell', { name: '5', exact: true }).first().waitFor();
  await alert.getByRole('button', { name: '展开行' }).click();
  const members = page.locator('.ant-table-expanded-row').getByRole('link', { name: /^330106-/ });
  await members.nth(4).waitFor();
  assert.equal(await members.count(), 5);
  await screenshot(page, '10-collective-alerts');

  await alert.getByRole('button', { name: '标记已处理' }).click();
  await alert.waitFor({ state: 'detached' });
  await page.locator('label.ant-radio-button-wrapper', { hasText: /^已处理$/ }).click();
  await page.waitForURL(/state=ACKNOWLEDGED/);
  await page.getByRole('row').filter({ hasText: place }).getByRole('cell', { name: '已处理', exact: true }).waitFor();
  page.assertNoErrors();
});

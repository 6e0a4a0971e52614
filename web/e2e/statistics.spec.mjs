// 统计 as a leader reads it: the period in the address, totals, charts by channel, status and
// category (ECharts, a chunk of its own), the subtree's offices.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { login, menu, newPage, recordOperations, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();

test("a leader sees the office's figures for this year, in charts and tables, from one query", async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader');
  const stop = recordOperations(page);
  await menu(page, '统计');
  await page.getByTestId('totals').getByText('登记').first().waitFor();
  assert.equal(await page.getByTestId('chart').count(), 3);
  await page.getByRole('img', { name: '本单位信访件按状态的分布' }).locator('canvas').waitFor();
  await page.getByText('本级及下级单位（按月汇总）').waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(stop(), ['Statistics']);
  await screenshot(page, '12-statistics');
  page.assertNoErrors();
});

test('the statistics are not in the menu of a registrar', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'registrar');
  const nav = page.getByRole('navigation', { name: '主菜单' });
  await nav.getByRole('link', { name: '信访件', exact: true }).waitFor();
  assert.equal(await nav.getByRole('link', { name: '统计', exact: true }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: '管理', exact: true }).count(), 0);
});

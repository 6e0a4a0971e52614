// 管理 as an office admin runs it: officers (create, roles, reset a password, disable: the
// officer's session ends), API tokens (the secret shown once, revoke), the office's limits (the
// statute's bounds shown by the field), its own holidays, the guide for petitioners, the wording
// of its notices (告知模板, which leaders edit too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, choose, dialog, login, menu, newPage, origin, pickDate, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();

async function openTab(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.getByRole('tabpanel', { name }).waitFor();
}

function officerRow(page, username) {
  return page.locator(`[data-testid="officer-row"][data-username="${username}"]`);
}

async function submit(page, button) {
  const modal = dialog(page);
  await modal.getByRole('button', { name: button }).click();
  await modal.waitFor({ state: 'detached' });
}

test('an admin creates an officer, changes the roles, resets the password and disables them', async () => {
  const admin = await newPage(browser());
  await login(admin, 'xihu', 'admin');
  await menu(admin, '管理');
  await admin.getByRole('heading', { name: '管理' }).waitFor();
  await officerRow(admin, 'leader').waitFor();

  await admin.getByRole('button', { name: '新增人员' }).click();
  const create = dialog(admin);
  await create.getByLabel('用户名').fill('clerk2026');
  await create.getByLabel('姓名').fill('登记员 小赵');
  await create.getByLabel('初始密码').fill('1234567890');
  await create.getByLabel('登记员').check();
  await create.getByRole('button', { name: '确认新增' }).click();
  await create.locator('.ant-form-item-explain-error').filter({ hasText: '密码强度不足' }).waitFor();
  await create.getByLabel('初始密码').fill(PASSWORD + '-clerk');
  await submit(admin, '确认新增');
  const row = officerRow(admin, 'clerk2026');
  await row.getByText('登记员', { exact: true }).waitFor();
  await screenshot(admin, '11-admin-officers');

  const clerk = await newPage(browser());
  await clerk.goto(`${origin('xihu')}/login`);
  await clerk.getByLabel('用户名').fill('clerk2026');
  await clerk.getByLabel('密码').fill(PASSWORD + '-clerk');
  await clerk.getByLabel('密码').press('Enter');
  await clerk.getByTestId('officer-name').filter({ hasText: '登记员 小赵' }).waitFor();

  await row.getByRole('button', { name: '修改角色' }).click();
  await dialog(admin).getByLabel('承办人').check();
  await submit(admin, '确认修改角色');
  await row.getByText('承办人', { exact: true }).waitFor();

  await row.getByRole('button', { name: '重置密码' }).click();
  await dialog(admin).getByLabel('新密码').fill('reset-by-admin-2026');
  await submit(admin, '确认重置密码');
  // The reset ended the clerk's session: their next request goes to the login page.
  await menu(clerk, '信访件');
  await clerk.waitForURL(/\/login\?expired=1/);

  await row.getByRole('button', { name: '停用' }).click();
  await submit(admin, '确认停用');
  await row.getByText('已停用').waitFor();
  await clerk.getByLabel('用户名').fill('clerk2026');
  await clerk.getByLabel('密码').fill('reset-by-admin-2026');
  await clerk.getByLabel('密码').press('Enter');
  await clerk.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  for (const page of [admin, clerk]) page.assertNoErrors();
});

test('an admin issues an API token, sees its secret once, and revokes it', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'admin', { next: '/manage?tab=tokens' });
  await page.getByRole('button', { name: '签发令牌' }).click();
  const issue = dialog(page);
  await issue.getByLabel('用途').fill('12345 热线推送');
  await choose(page, '代表人员', '登记员 小王', { scope: issue });
  await choose(page, '权限', '登记员', { scope: issue });
  await submit(page, '确认签发');
  const secret = await page.getByTestId('issued-token').textContent();
  assert.match(secret, /^xft_/);
  const row = page.getByTestId('token-row').filter({ hasText: '12345 热线推送' });
  await row.waitFor();
  await screenshot(page, '11-admin-tokens');
  const answer = await page.evaluate(async (token) => {
    const response = await fetch('/graphql/', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    return response.json();
  }, secret);
  assert.equal(answer.data.me.username, 'registrar');
  await row.getByRole('button', { name: '撤销' }).click();
  await submit(page, '确认撤销');
  await row.getByText('已撤销').waitFor();
  page.assertNoErrors();
});

test("an admin changes the office's limits within the statute's bounds", async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'admin', { next: '/manage' });
  await openTab(page, '期限设置');
  const handling = page.getByLabel('办理期限', { exact: true });
  assert.equal(await handling.inputValue(), '60');
  await handling.fill('61');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('可设 1–60 日').waitFor();
  await page.locator('.ant-form-item-explain-error').filter({ hasText: '输入有误' }).waitFor();
  await screenshot(page, '11-admin-settings');
  await handling.fill('45');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('办理期限', { exact: true }).inputValue(), '45');
  await page.getByLabel('办理期限', { exact: true }).fill('60'); // the other scripts' deadlines
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  page.assertNoErrors();
});

test("an admin adds the office's own holiday next to the national calendar, and removes it", async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'admin', { next: '/manage?tab=calendar' });
  await page.locator('[data-testid="calendar-day"]').first().waitFor();
  await page.getByRole('button', { name: '添加本单位日期' }).click();
  const add = dialog(page);
  const year = new Date().getFullYear();
  await pickDate(page, '日期', `${year}-12-24`, { scope: add });
  await choose(page, '类型', '放假', { scope: add });
  await add.getByLabel('名称').fill('地方节日');
  await submit(page, '确认添加');
  const day = page.locator(`[data-testid="calendar-day"][data-day="${year}-12-24"]`);
  await day.getByText('地方节日').waitFor();
  await screenshot(page, '11-admin-calendar');
  await day.getByRole('button', { name: '删除' }).click();
  await day.waitFor({ state: 'detached' });
  page.assertNoErrors();
});

test('an admin edits the guide for petitioners, and the public site shows it', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'admin', { next: '/manage' });
  await openTab(page, '信访指南');
  const address = page.getByLabel('接待地点', { exact: true });
  assert.notEqual(await address.inputValue(), '', 'a field never set shows its default');
  await address.fill('杭州市西湖区文三路 100 号信访接待大厅');
  await page.getByLabel('电子信箱', { exact: true }).fill('not-an-address');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('.ant-form-item-explain-error').filter({ hasText: '电子邮箱格式不正确' }).waitFor();
  await page.getByLabel('电子信箱', { exact: true }).fill('');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  await screenshot(page, '11-admin-guide');

  const site = await newPage(browser());
  await site.goto(`${origin('xihu')}/public/`);
  await site.getByText('杭州市西湖区文三路 100 号信访接待大厅').waitFor();
  await address.fill(''); // an emptied field shows its default again (and the other scripts see it)
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(() => {
    const value = document.getElementById('receptionAddress')?.value;
    return value && !value.includes('文三路');
  });
  page.assertNoErrors(); // the public page has no favicon (a 404 in its console)
});

test('an admin words a notice template, an unknown placeholder is refused by the field, and restores the default', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'admin', { next: '/manage?tab=templates' });
  const kind = page.locator('[data-testid="template-kind"][data-kind="EXTENDED"]');
  const open = async () => {
    await kind.click();
    await page.getByRole('heading', { name: '延期告知' }).waitFor();
  };
  await open();
  const subject = page.getByLabel('标题', { exact: true });
  const body = page.getByLabel('正文', { exact: true });
  await page.getByText('{reference}', { exact: true }).waitFor(); // the placeholders it may use
  assert.equal(await kind.getAttribute('data-default'), 'true');
  await subject.fill('延期告知（{reference}）西湖区信访局');
  await body.fill('{name}：\n{text}\n西湖区信访局 {date}');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  await screenshot(page, '11-admin-templates');

  await page.reload();
  await open();
  assert.equal(await kind.getAttribute('data-default'), 'false');
  assert.equal(await subject.inputValue(), '延期告知（{reference}）西湖区信访局');
  await body.fill('{name}：{text}，查询码 {query_code}'); // a registration notice's only
  await page.getByRole('button', { name: '保存' }).click();
  await page
    .locator('.ant-form-item', { has: body })
    .locator('.ant-form-item-explain-error')
    .filter({ hasText: '告知模板含有无效的占位符' })
    .waitFor();

  await page.getByRole('button', { name: '恢复默认' }).click();
  await page.locator('[data-testid="template-kind"][data-kind="EXTENDED"][data-default="true"]').waitFor();
  assert.notEqual(await subject.inputValue(), '延期告知（{reference}）西湖区信访局');
  page.assertNoErrors();
});

test('a leader finds the notice templates, and only them, under 管理', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader');
  await menu(page, '管理');
  await page.locator('[data-testid="template-kind"][data-kind="REGISTERED"]').waitFor();
  assert.deepEqual(await page.getByRole('tab').allTextContents(), ['告知模板']);
  page.assertNoErrors();
});

test('an admin pages through more officers and API tokens than a page holds, and finds an officer by name', async () => {
  // 余杭区's 127 officers and 110 tokens (tests/web/conftest.py `crowded_office`), 50 a page.
  const page = await newPage(browser());
  await login(page, 'yuhang', 'admin', { next: '/manage' });
  const officers = page.getByRole('navigation', { name: '人员翻页' });
  await officers.getByText('共 127 人').waitFor();
  await officerRow(page, 'clerk048').waitFor();
  assert.equal(await page.getByTestId('officer-row').count(), 50);
  await officers.getByRole('button', { name: '下一页' }).click();
  await officerRow(page, 'clerk098').waitFor();
  await officers.getByRole('button', { name: '下一页' }).click();
  await officerRow(page, 'zhaomin').waitFor();
  assert.equal(await page.getByTestId('officer-row').count(), 27);
  assert.ok(await officers.getByRole('button', { name: '下一页' }).isDisabled());
  await screenshot(page, '11-admin-officers-paged');
  await officers.getByRole('button', { name: '上一页' }).click();
  await officerRow(page, 'clerk049').waitFor();
  await officerRow(page, 'zhaomin').waitFor({ state: 'detached' });

  const search = page.getByLabel('查找人员');
  await search.fill('赵敏');
  await search.press('Enter');
  await officers.getByText('共 1 人').waitFor();
  await officerRow(page, 'zhaomin').waitFor();

  await openTab(page, 'API 令牌');
  const tokens = page.getByRole('navigation', { name: '令牌翻页' });
  await tokens.getByText('共 110 个').waitFor();
  const rows = page.getByTestId('token-row');
  await rows.first().filter({ hasText: '接口109' }).waitFor();
  await tokens.getByRole('button', { name: '下一页' }).click();
  await rows.first().filter({ hasText: '接口059' }).waitFor();
  await tokens.getByRole('button', { name: '下一页' }).click();
  await rows.first().filter({ hasText: '接口009' }).waitFor();
  assert.equal(await rows.count(), 10);

  // The officer a token acts for is found by typing, beyond the first officers the list shows.
  await page.getByRole('button', { name: '签发令牌' }).click();
  const issue = dialog(page);
  await issue.getByLabel('用途').fill('余杭 12345 热线');
  await choose(page, '代表人员', '承办人 赵敏（zhaomin）', { scope: issue, search: '赵敏' });
  await choose(page, '权限', '承办人', { scope: issue });
  await submit(page, '确认签发');
  await tokens.getByText('共 111 个').waitFor();
  page.assertNoErrors();
});

test('an admin reads who changed which limit, when, before and after (修改记录)', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'admin', { next: '/manage' });
  const setWindow = async (days) => {
    await openTab(page, '期限设置');
    await page.getByLabel('集体访预警时段', { exact: true }).fill(String(days));
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
  };
  const newest = async (before, after) => {
    await openTab(page, '修改记录');
    const row = page.getByTestId('settings-change').first();
    for (const text of ['集体访预警时段', before, after, '系统管理员（admin）']) {
      await row.getByRole('cell', { name: text, exact: true }).waitFor();
    }
  };
  await setWindow(10);
  await newest('7 日', '10 日');
  await screenshot(page, '11-admin-changes');
  await setWindow(7); // as the other scripts expect it
  await newest('10 日', '7 日');
  page.assertNoErrors();
});

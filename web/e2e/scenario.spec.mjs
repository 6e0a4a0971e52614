// A matter's path across two office hosts, all through the workbench: 西湖区 registers a visit and
// transfers it (转送) to 杭州市; 杭州市 objects (异议: the county is competent); 西湖区 agrees and the
// petition comes back; 西湖区 routes and accepts it, assigns it down to a handler (分派承办人), who
// issues the written opinion and records the petitioner's evaluation; the leader closes it with its
// outcome (四到位). Then 杭州市 assigns (交办)
// a petition of its own to 西湖区, which signs for it and reports the result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  choose, daysFromNow, dialog, expectStatus, login, menu, newPage, openAction, origin, pickDate,
  recordOperations, screenshot, useBrowser,
} from './lib.mjs';

const browser = useBrowser();

async function register(page, { name, idNumber, content }) {
  await menu(page, '登记');
  await page.getByRole('heading', { name: '登记信访件' }).waitFor();
  await choose(page, '问题分类', '01');
  await page.getByLabel('姓名 1').fill(name);
  await page.getByLabel('身份证号 1').fill(idNumber);
  await page.getByLabel('发生地详址').fill('杭州市西湖区转塘街道龙坞村');
  await page.getByLabel('被反映单位或人员').fill('转塘街道办事处');
  await page.getByLabel('反映内容').fill(content);
  await page.getByRole('button', { name: '查重并登记' }).click();
  // Without candidates it saves at once; with some, they show and saving takes a second click.
  const candidates = page.getByTestId('repeat-preview').locator('.ant-table');
  const receipt = page.getByTestId('receipt');
  await Promise.race([candidates.waitFor(), receipt.waitFor()]);
  if (await candidates.isVisible()) {
    await screenshot(page, '04-register-repeat-candidates');
    await page.getByRole('button', { name: '确认登记' }).click();
  }
  await receipt.waitFor();
  return (await page.getByTestId('receipt-reference').textContent()).trim();
}

async function inboxRow(page, host, text) {
  await page.goto(`${origin(host)}/handoffs?box=inbox`);
  const row = page.getByTestId('handoff-row').filter({ hasText: text });
  await row.waitFor();
  return row;
}

async function handoffStep(page, row, action, fill) {
  await row.getByRole('button', { name: action, exact: true }).click();
  const modal = dialog(page);
  await modal.waitFor();
  await fill?.(modal);
  await modal.getByRole('button', { name: `确认${action}` }).click();
  await modal.waitFor({ state: 'detached' });
}

test('西湖 transfers to 杭州, which objects; the matter comes back and is handled and rated', async () => {
  const registrar = await newPage(browser());
  await login(registrar, 'xihu', 'registrar');
  const reference = await register(registrar, {
    name: '陈建国',
    idNumber: '330106198001010013',
    content: '村里2023年征地拆迁，补偿款至今没有发放到位，街道和村委会互相推诿。',
  });
  await screenshot(registrar, '04-register-receipt');

  await registrar.getByRole('button', { name: '查看信访件' }).click();
  await expectStatus(registrar, '已登记');
  const transfer = await openAction(registrar, '转送');
  await choose(registrar, '转送至', '杭州市信访局', { scope: transfer });
  await transfer.getByLabel('转送理由').fill('涉及市级部门职责');
  await screenshot(registrar, '06-action-transfer');
  await transfer.getByRole('button', { name: '确认转送' }).click();
  await expectStatus(registrar, '已转送');

  const city = await newPage(browser());
  await login(city, 'hangzhou', 'leader');
  const received = await inboxRow(city, 'hangzhou', '转送');
  await screenshot(city, '07-handoffs-inbox');
  await handoffStep(city, received, '异议', (modal) =>
    modal.getByLabel('异议理由（本单位无权处理的依据）').fill('征地补偿属区级职责，应由西湖区办理'),
  );
  await city.getByTestId('handoff-row').filter({ hasText: '异议' }).waitFor();

  const leader = await newPage(browser());
  await login(leader, 'xihu', 'leader');
  const objection = await inboxRow(leader, 'xihu', '异议');
  await handoffStep(leader, objection, '裁决异议', async (modal) => {
    await modal.getByLabel('异议成立（退回转出单位）').check();
    await modal.getByLabel('裁决说明').fill('同意，由本区办理');
  });
  await leader.goto(`${origin('xihu')}/handoffs?box=outbox`);
  await leader.getByTestId('handoff-row').filter({ hasText: '已退回' }).waitFor();
  await screenshot(leader, '08-handoffs-outbox');

  // Back at 西湖区: route, accept, assign to the handler.
  await registrar.reload();
  await expectStatus(registrar, '已登记');
  for (const [action, status] of [['交由本机关办理', '已交本机关办理'], ['受理', '已受理']]) {
    const modal = await openAction(registrar, action);
    await modal.getByRole('button', { name: `确认${action}` }).click();
    await expectStatus(registrar, status);
  }
  const detailUrl = registrar.url();
  await leader.goto(detailUrl);
  const assign = await openAction(leader, '分派承办人');
  await choose(leader, '承办人', '张科员', { scope: assign });
  await assign.getByRole('button', { name: '确认分派承办人' }).click();
  await expectStatus(leader, '办理中');

  const handler = await newPage(browser());
  await login(handler, 'xihu', 'handler');
  await handler.goto(detailUrl);
  await expectStatus(handler, '办理中');
  const reply = await openAction(handler, '出具处理意见');
  await reply.getByLabel('处理意见书').fill('经核查，补偿款已于本月足额发放到位。如不服，可自收到本意见之日起30日内申请复查。');
  await reply.getByRole('button', { name: '确认出具处理意见' }).click();
  await expectStatus(handler, '已答复');
  const rate = await openAction(handler, '满意度评价');
  await choose(handler, '信访人评价', '基本满意', { scope: rate });
  await rate.getByRole('button', { name: '确认满意度评价' }).click();
  await expectStatus(handler, '已评价');
  await handler.getByTestId('documents').getByText('处理意见书').waitFor();
  await screenshot(handler, '05-petition-detail');

  // The leader closes it with its outcome (四到位): explaining the law asks for the law cited.
  await leader.goto(detailUrl);
  const close = await openAction(leader, '办结');
  await choose(leader, '四到位', '思想教育到位', { scope: close });
  await close.getByLabel('办理结果').fill('已向信访人解释征地补偿政策，补偿款已发放。');
  await close.getByRole('button', { name: '确认办结' }).click();
  await close.getByText('请填写解释的法律政策').waitFor();
  await close.getByLabel('解释的法律政策').fill('《土地管理法》第四十八条');
  await screenshot(leader, '06-action-close-outcome');
  await close.getByRole('button', { name: '确认办结' }).click();
  await expectStatus(leader, '已办结');
  await leader.getByTestId('outcome').getByText('《土地管理法》第四十八条').waitFor();

  // The journey across offices: the city's objection is on the matter's timeline.
  await handler.getByTestId('matter-timeline').getByText('杭州市信访局').first().waitFor();
  assert.equal(await handler.getByTestId('petition-reference').textContent(), reference);
  for (const page of [registrar, city, leader, handler]) page.assertNoErrors();
});

test('杭州 assigns (交办) a petition to 西湖, which signs for it and reports the result', async () => {
  const city = await newPage(browser());
  await login(city, 'hangzhou', 'registrar');
  const reference = await register(city, {
    name: '王秀英',
    idNumber: '11010519491231002X',
    content: '小区旁边的工厂夜间排放刺鼻气体，影响居民休息，多次投诉无果。',
  });
  await city.getByRole('button', { name: '查看信访件' }).click();
  const assign = await openAction(city, '交办');
  // The date first: the Enter that confirms the picker may submit the form, which must not go
  // before the receiving office is chosen (it then only shows the field's message).
  await pickDate(city, '办结报告期限', daysFromNow(20), { scope: assign });
  await choose(city, '交办至', '西湖区', { scope: assign });
  await assign.getByRole('button', { name: '确认交办' }).click();
  await expectStatus(city, '已交办');

  const county = await newPage(browser());
  await login(county, 'xihu', 'leader');
  const row = await inboxRow(county, 'xihu', '交办');
  await handoffStep(county, row, '签收');
  await county.getByTestId('handoff-row').filter({ hasText: '已签收' }).waitFor();
  await handoffStep(county, county.getByTestId('handoff-row').filter({ hasText: '已签收' }), '报告办理结果', (modal) =>
    modal.getByLabel('办理结果').fill('已责令企业整改，夜间排放已停止。'),
  );
  await county.getByTestId('handoff-row').filter({ hasText: '已报结果' }).waitFor();

  await city.goto(`${origin('hangzhou')}/handoffs?box=outbox`);
  await city.getByTestId('handoff-row').filter({ hasText: '已报结果' }).waitFor();
  assert.ok(reference.startsWith('330100-'));
  for (const page of [city, county]) page.assertNoErrors();
});

test('the detail page loads with one GraphQL query', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'leader', { next: '/petitions' });
  await page.getByTestId('petition-row').first().waitFor();
  const stop = recordOperations(page);
  await page.getByTestId('petition-row').first().getByRole('link').click();
  await page.getByTestId('petition-reference').waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(stop(), ['PetitionDetail']);
});

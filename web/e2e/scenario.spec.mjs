// A matter's whole path across office hosts, all through the workbench, in one continuous test:
// 西湖区 registers a visit and transfers it (转送) to 杭州市; 杭州市 signs for it (签收) and assigns
// it down (交办) to 西湖区 with a date for the result report; 西湖区 objects that it is not
// competent (异议, within 5 working days); 杭州市, the sender, disagrees, so their common superior
// 浙江省 decides — the objection fails and 西湖区 keeps the matter (DESIGN.md: the petition goes
// back only when the sender agrees, otherwise the common superior decides); 西湖区 accepts it
// (受理), gives it to a handler, who issues the written opinion and records the petitioner's
// evaluation; the leader closes it with its outcome (四到位) and reports the result (报告办理结果)
// to 杭州市, which sees it reported. A second test takes the other branch of an objection (the
// sender agrees and the petition comes back); a third registers one person twice, and the second
// petition's repeat check shows the first with its evidence in words (登记's preview and 详情); a
// fourth counts the detail page's queries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  choose, daysFromNow, dialog, expectStatus, login, menu, newPage, openAction, origin, pickDate,
  recordOperations, screenshot, useBrowser,
} from './lib.mjs';

const browser = useBrowser();
// Marks this run's handoffs (in their reasons), so a row is found by what this run wrote, never
// by its position among the rows of earlier scripts or runs.
const run = Date.now().toString(36);

/** Register a visit at the open office; with `repeats` (a reference), the draft's repeat check
 * must show that petition as a candidate with its evidence in words. */
async function register(page, { name, idNumber, content }, { repeats } = {}) {
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
  if (repeats) {
    const row = candidates.locator('tr', { hasText: repeats });
    await row.getByTestId('repeat-evidence').getByText('同一人: 身份证号', { exact: true }).waitFor();
  }
  if (await candidates.isVisible()) {
    await screenshot(page, '04-register-repeat-candidates');
    await page.getByRole('button', { name: '确认登记' }).click();
  }
  await receipt.waitFor();
  return (await page.getByTestId('receipt-reference').textContent()).trim();
}

/** The rows of the handoff box open on `page` whose reason carries `marker` (and, if given, whose
 * status reads `status`). */
function handoffRow(page, marker, status) {
  const rows = page.getByTestId('handoff-row').filter({ hasText: marker });
  return status ? rows.filter({ has: page.getByTestId('handoff-status').getByText(status, { exact: true }) }) : rows;
}

/** Open `office`'s inbox or outbox and return the row of `marker` once its status reads `status`. */
async function boxRow(page, office, box, marker, status) {
  await page.goto(`${origin(office)}/handoffs?box=${box}`);
  const row = handoffRow(page, marker, status);
  await row.waitFor();
  return row;
}

/** Run the handoff step `action` of `row` with its form filled by `fill`, until its dialog closes. */
async function handoffStep(page, row, action, fill) {
  await row.getByRole('button', { name: action, exact: true }).click();
  const modal = dialog(page);
  await modal.waitFor();
  await fill?.(modal);
  await modal.getByRole('button', { name: `确认${action}` }).click();
  await modal.waitFor({ state: 'detached' });
}

/** Run the workflow step `action` on the open detail page and wait for the status it leads to. */
async function step(page, action, status, fill) {
  const modal = await openAction(page, action);
  await fill?.(modal);
  await modal.getByRole('button', { name: `确认${action}` }).click();
  await expectStatus(page, status);
}

test('西湖 → 杭州 转送, 签收, 交办 back down, 西湖 objects, 浙江 decides, 西湖 handles, replies, is rated and reports', async () => {
  const transferMarker = `涉及市级部门职责（${run}-转送）`;
  const assignMarker = `请西湖区依法办理并报告结果（${run}-交办）`;
  const provinceDecision = `属地管理，由西湖区办理（${run}）`;

  // 西湖区 registers the visit and transfers it to the city.
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
  await step(registrar, '转送', '已转送', async (modal) => {
    await choose(registrar, '转送至', '杭州市信访局', { scope: modal });
    await modal.getByLabel('转送理由').fill(transferMarker);
    await screenshot(registrar, '06-action-transfer');
  });

  // 杭州市 signs for it, then assigns it down to 西湖区 with the date of the result report.
  const city = await newPage(browser());
  await login(city, 'hangzhou', 'leader');
  const received = await boxRow(city, 'hangzhou', 'inbox', transferMarker, '待签收');
  await screenshot(city, '07-handoffs-inbox');
  await handoffStep(city, received, '签收');
  await handoffRow(city, transferMarker, '已签收').getByRole('link').click();
  await expectStatus(city, '已交本机关办理');
  const cityCopy = city.url();
  await step(city, '交办', '已交办', async (modal) => {
    // The date first: the Enter that confirms the picker may submit the form, which must not go
    // before the receiving office is chosen (it then only shows the field's message).
    await pickDate(city, '办结报告期限', daysFromNow(20), { scope: modal });
    await choose(city, '交办至', '西湖区', { scope: modal });
    await modal.getByLabel('交办意见').fill(assignMarker);
    await screenshot(city, '06-action-assign-down');
  });

  // 西湖区's leader objects to the assignment within its 5 working days.
  const leader = await newPage(browser());
  await login(leader, 'xihu', 'leader');
  const assigned = await boxRow(leader, 'xihu', 'inbox', assignMarker, '待签收');
  await handoffStep(leader, assigned, '异议', (modal) =>
    modal.getByLabel('异议理由（本单位无权处理的依据）').fill('补偿款由市征收办核定发放，不属区级职责'),
  );
  await handoffRow(leader, assignMarker, '异议').waitFor();

  // 杭州市, the sender, disagrees: the objection passes to their common superior, 浙江省.
  const objection = await boxRow(city, 'hangzhou', 'inbox', assignMarker, '异议');
  await handoffStep(city, objection, '裁决异议', async (modal) => {
    await modal.getByLabel('异议不成立（接收单位办理）').check();
    await modal.getByLabel('裁决说明').fill('补偿款发放由区征收部门负责，应由西湖区办理');
  });
  const disputed = await boxRow(city, 'hangzhou', 'outbox', assignMarker, '异议争议');
  await disputed.getByText('浙江省信访局').waitFor();

  const province = await newPage(browser());
  await login(province, 'zhejiang', 'leader');
  const toDecide = await boxRow(province, 'zhejiang', 'inbox', assignMarker, '异议争议');
  await screenshot(province, '07-handoffs-dispute');
  await handoffStep(province, toDecide, '裁决异议', async (modal) => {
    await modal.getByLabel('异议不成立（接收单位办理）').check();
    await modal.getByLabel('裁决说明').fill(provinceDecision);
  });
  await handoffRow(province, assignMarker).waitFor({ state: 'detached' });

  // Back at 西湖区, which keeps the matter: accept it, give it a handler.
  const kept = await boxRow(leader, 'xihu', 'inbox', assignMarker, '已签收');
  await kept.getByRole('link').click();
  await expectStatus(leader, '已交本机关办理');
  const countyCopy = leader.url();
  await step(leader, '受理', '已受理');
  await step(leader, '分派承办人', '办理中', (modal) => choose(leader, '承办人', '张科员', { scope: modal }));

  // The handler issues the written opinion and records the petitioner's evaluation.
  const opinion = '经核查，补偿款已于本月足额发放到位。如不服，可自收到本意见之日起30日内申请复查。';
  const handler = await newPage(browser());
  await login(handler, 'xihu', 'handler');
  await handler.goto(countyCopy);
  await expectStatus(handler, '办理中');
  await step(handler, '出具处理意见', '已答复', (modal) => modal.getByLabel('处理意见书').fill(opinion));
  await step(handler, '满意度评价', '已评价', (modal) => choose(handler, '信访人评价', '基本满意', { scope: modal }));
  await handler.getByTestId('documents').getByText(opinion).waitFor();
  await handler.getByTestId('documents').getByText('基本满意').waitFor();
  await screenshot(handler, '05-petition-detail');

  // The leader closes it with its outcome (四到位): explaining the law asks for the law cited.
  await leader.goto(countyCopy);
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

  // …and reports the result to 杭州市, which sees the assignment reported.
  const open = await boxRow(leader, 'xihu', 'inbox', assignMarker, '已签收');
  await handoffStep(leader, open, '报告办理结果', (modal) =>
    modal.getByLabel('办理结果').fill('已受理并出具处理意见，补偿款已足额发放，信访人基本满意。'),
  );
  await handoffRow(leader, assignMarker, '已报结果').waitFor();
  await boxRow(city, 'hangzhou', 'outbox', assignMarker, '已报结果');
  await screenshot(city, '08-handoffs-outbox');
  await city.goto(cityCopy);
  await expectStatus(city, '已交办');

  // The journey across offices, as 西湖区 sees it on its copy: from the registration here to the
  // province's decision (recorded on the copies of both parties: the province holds none).
  await handler.goto(countyCopy);
  const timeline = handler.getByTestId('matter-timeline');
  await timeline.getByText(reference).first().waitFor();
  await timeline.getByText('杭州市信访局').first().waitFor();
  await timeline.getByText(provinceDecision).first().waitFor();
  await screenshot(handler, '05-petition-detail-timeline');
  for (const page of [registrar, city, leader, province, handler]) page.assertNoErrors();
});

test('杭州 objects to a transfer from 西湖, which agrees: the petition comes back to 西湖', async () => {
  const marker = `涉及市级部门职责（${run}-退回）`;
  const registrar = await newPage(browser());
  await login(registrar, 'xihu', 'registrar');
  await register(registrar, {
    name: '王秀英',
    idNumber: '11010519491231002X',
    content: '小区旁边的工厂夜间排放刺鼻气体，影响居民休息，多次投诉无果。',
  });
  await registrar.getByRole('button', { name: '查看信访件' }).click();
  await step(registrar, '转送', '已转送', async (modal) => {
    await choose(registrar, '转送至', '杭州市信访局', { scope: modal });
    await modal.getByLabel('转送理由').fill(marker);
  });

  const city = await newPage(browser());
  await login(city, 'hangzhou', 'leader');
  const received = await boxRow(city, 'hangzhou', 'inbox', marker, '待签收');
  await handoffStep(city, received, '异议', (modal) =>
    modal.getByLabel('异议理由（本单位无权处理的依据）').fill('排污监管属区级职责，应由西湖区办理'),
  );
  await handoffRow(city, marker, '异议').waitFor();

  const leader = await newPage(browser());
  await login(leader, 'xihu', 'leader');
  const objection = await boxRow(leader, 'xihu', 'inbox', marker, '异议');
  await handoffStep(leader, objection, '裁决异议', async (modal) => {
    await modal.getByLabel('异议成立（退回转出单位）').check();
    await modal.getByLabel('裁决说明').fill('同意，由本区办理');
  });
  await boxRow(leader, 'xihu', 'outbox', marker, '已退回');
  await registrar.reload();
  await expectStatus(registrar, '已登记');
  for (const page of [registrar, city, leader]) page.assertNoErrors();
});

test('西湖 registers the same person again: 登记 and 详情 show the first petition, and why', async () => {
  const chen = { name: '陈海燕', idNumber: '330106197503150046' };
  const registrar = await newPage(browser());
  await login(registrar, 'xihu', 'registrar');
  const first = await register(registrar, {
    ...chen,
    content: '我是龙坞村村民，2023年村里征地拆迁，补偿款至今没有发放到位，街道和村委会一直推诿，多次反映无果。',
  });
  await registrar.getByRole('button', { name: '继续登记' }).click();
  await register(
    registrar,
    { ...chen, content: '本人系龙坞村村民。村里2023年征地拆迁以后，补偿款到现在还没有发放到位，请求上级督促解决。' },
    { repeats: first },
  );
  await registrar.getByRole('button', { name: '查看信访件' }).click();
  await expectStatus(registrar, '已登记');
  // The worker runs the stored check after the commit: until it has, the page says it is under way.
  const box = registrar.getByTestId('repeat-candidates');
  const row = box.locator('tr', { hasText: first });
  const pending = box.getByText('重复访检查进行中，请稍后刷新');
  for (let tries = 0; ; tries += 1) {
    await row.or(pending).first().waitFor();
    if (await row.isVisible()) break;
    assert.ok(tries < 100, 'the repeat check of the second petition stayed pending');
    await registrar.reload();
  }
  const evidence = row.getByTestId('repeat-evidence');
  await evidence.getByText('同一人: 身份证号', { exact: true }).waitFor();
  await evidence.getByText(/^同一事项: /).waitFor();
  await row.getByRole('button', { name: '确认重复' }).waitFor();
  await box.scrollIntoViewIfNeeded();
  await screenshot(registrar, '05-petition-detail-repeat-candidates');
  registrar.assertNoErrors();
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

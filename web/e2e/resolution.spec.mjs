// Resolving a matter on its detail page, as a handler does it: an investigation that hears both
// sides (refused, in Chinese, while it heard only the petitioner), an appointment visit (refused
// by the field until a leader takes part), a return visit once the opinion is out; the notices the
// petitioner was sent, with their channel and status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choose, dialog, login, newPage, origin, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();

/** Open the handler's first petition of `status` (from the list, "mine") and return its page. */
async function myPetition(page, status) {
  await page.goto(`${origin('xihu')}/petitions?status=${status}&mine=1`);
  const row = page.getByTestId('petition-row').first();
  await row.waitFor();
  await row.getByRole('link').first().click();
  await page.getByTestId('petition-reference').waitFor();
}

/** The entries of the resolution's timeline (investigations, visits, reopenings) reading `text`. */
function entries(page, text) {
  return page.getByTestId('resolution').locator('.ant-timeline-item').filter({ hasText: text });
}

/** Wait until the resolution's timeline has `count` entries reading `text`. */
async function expectEntries(page, text, count) {
  await entries(page, text).nth(count - 1).waitFor();
  assert.equal(await entries(page, text).count(), count);
}

async function openStep(page, step) {
  await page.getByRole('toolbar', { name: '化解工作' }).getByRole('button', { name: step, exact: true }).click();
  const modal = dialog(page);
  await modal.waitFor();
  return modal;
}

test('a handler records an investigation hearing both sides and an appointment visit with a leader', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'handler');
  await myPetition(page, 'IN_HANDLING');
  const steps = page.getByRole('toolbar', { name: '化解工作' });
  assert.equal(await steps.getByRole('button', { name: '回访', exact: true }).count(), 0, 'no return visit before the opinion');

  const investigated = await entries(page, '调查核实').count();
  const investigation = await openStep(page, '调查核实');
  await investigation.getByLabel('听取内容 1').fill('信访人称补偿款至今未发放。');
  await investigation.getByRole('button', { name: '删除听取对象 2' }).click();
  await investigation.getByLabel('调查结论').fill('经查，补偿款已拨付至街道，尚未发放到户。');
  await investigation.getByRole('button', { name: '确认调查核实' }).click();
  await investigation.locator('.ant-form-item-explain-error').filter({ hasText: '调查须听取信访人和被反映方意见' }).waitFor();
  await investigation.getByRole('button', { name: '增加听取对象' }).click();
  await choose(page, '听取对象 2', '被反映对象', { scope: investigation });
  await investigation.getByLabel('听取内容 2').fill('街道称资金已到账，正在核对名单。');
  await screenshot(page, '05-petition-investigation');
  await investigation.getByRole('button', { name: '确认调查核实' }).click();
  await investigation.waitFor({ state: 'detached' });
  await expectEntries(page, '调查核实', investigated + 1);

  const visited = await entries(page, '约访').count();
  const visit = await openStep(page, '约访');
  await visit.getByLabel('地点').fill('西湖区信访接待中心');
  await visit.getByLabel('接谈情况').fill('约请信访人面谈，说明补偿款发放进度。');
  await visit.getByRole('button', { name: '确认约访' }).click();
  // The service's LEADER_REQUIRED names officerIds: the message shows by the field, in Chinese.
  await visit.locator('.ant-form-item-explain-error').filter({ hasText: '须由领导参加或负责' }).waitFor();
  await choose(page, '参加人员', '信访局 李局长', { scope: visit });
  await visit.getByRole('button', { name: '确认约访' }).click();
  await visit.waitFor({ state: 'detached' });
  await expectEntries(page, '约访', visited + 1);
  await screenshot(page, '05-petition-resolution');
  page.assertNoErrors();
});

test('a handler records the return visit of an opinion, and sees the notices sent', async () => {
  const page = await newPage(browser());
  await login(page, 'xihu', 'handler');
  await myPetition(page, 'REPLIED');
  const visited = await entries(page, '已落实').count();
  const visit = await openStep(page, '回访');
  await visit.getByLabel('接谈情况').fill('电话回访，信访人确认补偿款已到账。');
  await visit.getByRole('button', { name: '确认回访' }).click();
  await visit.locator('.ant-form-item-explain-error').filter({ hasText: '请选择落实情况' }).waitFor();
  await choose(page, '意见落实情况', '已落实', { scope: visit });
  await choose(page, '信访人现在的评价', '满意', { scope: visit });
  await visit.getByRole('button', { name: '确认回访' }).click();
  await visit.waitFor({ state: 'detached' });
  await expectEntries(page, '已落实', visited + 1);

  // Registration, acceptance and the opinion were each told to the petitioner.
  const notices = page.getByTestId('notices').getByTestId('notice-row');
  await notices.first().waitFor();
  const kinds = await notices.locator('td:nth-child(1)').allTextContents();
  for (const kind of ['登记告知', '受理告知', '处理意见书']) assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);
  const statuses = await notices.evaluateAll((rows) => rows.map((r) => r.dataset.status));
  for (const status of statuses) assert.ok(['PENDING', 'SENT', 'TO_PRINT', 'NOT_SENT', 'FAILED'].includes(status), status);
  await page.getByTestId('notices').scrollIntoViewIfNeeded();
  await screenshot(page, '05-petition-notices');
  page.assertNoErrors();
});

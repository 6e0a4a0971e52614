// Named to sort after the workbench's scripts (tests/web runs them in order on shared data): it
// leaves transfers and a review in 西湖's and 杭州's lists, which their scripts count.
// 信访人网站 (/public/, server-rendered by Django): a petitioner at phone size and at desktop size
// reads the guide, files online with an attachment and an e-mail address (bad input first), keeps
// the receipt and has it sent to a second address (both mails read from the tests' SMTP server),
// looks the matter up, sees it transferred to the city and the city's opinion (which reaches the
// mailbox too), rates it and asks for review.
// The officers' steps in between go through the GraphQL API, as the workbench sends them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASSWORD, mailTo, origin, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
// The filing form refuses what comes back sooner than a person can type (XINFANG_PUBLIC_FORM_MIN_SECONDS).
const FORM_MIN_MS = 3200;
// A 1×1 PNG: attachments are judged by their first bytes.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let serial = Date.now() % 1000;
/** A valid GB 11643 number (ISO 7064 MOD 11-2), different each time. */
function idNumber() {
  const first17 = `33010619850615${String(serial++ % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** An officer's GraphQL session at an office: logged in from a page of the office host (Chromium
 * resolves *.localhost), sending the CSRF token as the workbench does. */
async function officerApi(office, username) {
  const context = await browser().newContext();
  const page = await context.newPage();
  await page.goto(`${origin(office)}/public/progress`); // any form page sets the CSRF cookie
  const call = async (query, variables = {}) => {
    const body = await page.evaluate(async ([q, v]) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.slice(10);
      const response = await fetch('/graphql/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return response.json();
    }, [query, variables]);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  };
  await call('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { officer { username } } }', {
    u: username,
    p: PASSWORD,
  });
  call.close = () => context.close();
  return call;
}

/** 西湖 transfers the matter to 杭州, which signs for it, accepts, assigns and replies. */
async function transferToTheCityAndReply(reference, opinion) {
  const xihu = await officerApi('xihu', 'registrar');
  const { petitionByReference: petition } = await xihu(
    'query($r: String!) { petitionByReference(reference: $r) { id } }',
    { r: reference },
  );
  await xihu(
    `mutation($id: ID!, $key: String) { transferPetition(petitionId: $id, receiverCode: "330100",
       reason: "属市级职权范围", idempotencyKey: $key) { handoff { id } } }`,
    { id: petition.id, key: `e2e-${reference}` },
  );
  await xihu.close();

  const registrar = await officerApi('hangzhou', 'registrar');
  const inbox = await registrar(
    '{ handoffInbox(first: 50, statuses: [PENDING]) { edges { node { id senderReference } } } }',
  );
  const handoff = inbox.handoffInbox.edges.map((e) => e.node).find((h) => h.senderReference === reference);
  const signed = await registrar(
    'mutation($id: ID!) { acceptHandoff(handoffId: $id) { handoff { receiverPetitionId receiverReference } } }',
    { id: handoff.id },
  );
  const copyId = signed.acceptHandoff.handoff.receiverPetitionId;
  const version = async (api) =>
    (await api('query($id: ID!) { petition(id: $id) { version } }', { id: copyId })).petition.version;
  await registrar('mutation($id: ID!, $v: Int!) { acceptPetition(id: $id, version: $v) { petition { id } } }', {
    id: copyId,
    v: await version(registrar),
  });
  await registrar.close();

  const leader = await officerApi('hangzhou', 'leader');
  const handlers = await leader('{ officers(role: HANDLER, first: 5) { edges { node { id username } } } }');
  const handler = handlers.officers.edges.map((e) => e.node).find((o) => o.username === 'handler');
  await leader(
    'mutation($id: ID!, $v: Int!, $h: ID!) { assignPetition(id: $id, version: $v, handlerId: $h) { petition { id } } }',
    { id: copyId, v: await version(leader), h: handler.id },
  );
  await leader.close();

  const handling = await officerApi('hangzhou', 'handler');
  await handling(
    'mutation($id: ID!, $v: Int!, $o: String!) { replyPetition(id: $id, version: $v, opinion: $o) { petition { id } } }',
    { id: copyId, v: await version(handling), o: opinion },
  );
  await handling.close();
  return signed.acceptHandoff.handoff.receiverReference;
}

async function newPage(size) {
  const context = await browser().newContext({ viewport: size, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.assertNoErrors = () => assert.deepEqual(errors, [], 'the page logged errors');
  return page;
}

/** Bytes the page and everything it loaded took over the wire. */
function recordWeight(page) {
  let bytes = 0;
  page.on('response', async (response) => {
    const length = Number((await response.allHeaders())['content-length'] ?? 0);
    bytes += length || (await response.body().catch(() => Buffer.alloc(0))).length;
  });
  return () => bytes;
}

for (const [name, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`a petitioner on a ${name} files online, looks up, rates and asks for review`, async () => {
    const page = await newPage(size);
    const shot = (step) => screenshot(page, `public-${name}-${step}`);

    // 信访指南
    const weight = recordWeight(page);
    await page.goto(`${origin('xihu')}/public/`);
    await page.getByRole('heading', { name: '信访指南' }).waitFor();
    await page.getByText('办理程序和时限').waitFor();
    console.log(`# ${name}: the guide page weighs ${(weight() / 1024).toFixed(1)} KB with its CSS and script`);
    await shot('01-guide');

    // 网上信访: bad input first, with the keyboard where a person would use it
    await page.getByRole('link', { name: '网上信访' }).first().click();
    await page.getByRole('heading', { name: '网上信访' }).waitFor();
    const started = Date.now();
    await page.getByLabel('姓名').first().fill('陈小红');
    const id = page.getByLabel('身份证号码').first();
    await id.pressSequentially('330106198506150');
    await id.pressSequentially('999');
    await page.locator('#id_id_number_error').getByText('校验位不正确').waitFor();
    await id.fill(idNumber());
    await id.blur();
    assert.equal(await page.locator('#id_id_number_error').isHidden(), true);
    await page.getByLabel('手机号码').fill('13912345678');
    const filedMail = `chen-${name}-${Date.now()}@example.com`;
    await page.getByLabel('电子邮箱（可不填）').fill('chen@');
    await page.getByLabel('问题类别').selectOption('02.05');
    await page.getByLabel('问题发生地（区、县）').selectOption('330106');
    await page.getByLabel('信访事项（事实和理由）').fill('退休后养老保险待遇一直未按规定核定发放，多次到社保窗口询问无果。');
    await page.getByLabel('诉求（希望如何解决）').fill('请依法核定并补发养老保险待遇。');
    await page.getByLabel('附件（可不传）').setInputFiles({ name: '退休证.png', mimeType: 'image/png', buffer: PNG });
    await page.waitForTimeout(Math.max(0, FORM_MIN_MS - (Date.now() - started)));
    await page.getByRole('button', { name: '提交' }).click();
    // No place, no consent, a broken e-mail address: each told next to its field, everything
    // typed kept.
    await page.locator('#id_consent_error').getByText('请阅读并勾选同意').waitFor();
    await page.locator('#id_email_error').getByText('电子邮箱格式不正确').waitFor();
    assert.equal(await page.getByLabel('电子邮箱（可不填）').inputValue(), 'chen@');
    await page.locator('#id_place_error').getByText('请填写详细地点').waitFor();
    assert.equal(await page.getByLabel('诉求（希望如何解决）').inputValue(), '请依法核定并补发养老保险待遇。');
    assert.equal(await page.getByLabel('身份证号码').first().getAttribute('aria-invalid'), null);
    await shot('02-file-errors');

    await page.getByLabel('详细地点').fill('西湖区文新街道');
    await page.getByLabel('电子邮箱（可不填）').fill(filedMail);
    await page.getByLabel('附件（可不传）').setInputFiles({ name: '退休证.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel(/我已阅读并同意/).check();
    await page.getByRole('button', { name: '提交' }).press('Enter');
    await page.getByRole('heading', { name: '提交成功' }).waitFor();
    const reference = (await page.getByTestId('receipt-reference').textContent()).trim();
    const queryCode = (await page.getByTestId('receipt-query-code').textContent()).trim();
    assert.match(reference, /^330106-\d{4}-\d{6}$/);
    assert.match(queryCode, /^[2-9A-HJ-NP-Z]{12}$/);
    await page.getByTestId('receipt-told').getByText('已同时以电子邮件发送至').waitFor();
    await shot('03-receipt');

    // 发送到手机或邮箱: a mobile number that is none first, then a relative's e-mail address.
    const send = page.getByRole('region', { name: '发送到手机或邮箱' });
    await send.getByLabel('手机号码').fill('0571-8765');
    await send.getByRole('button', { name: '发送' }).click();
    await page.locator('#id_phone_error').getByText('应为以1开头的11位手机号码').waitFor();
    const sentMail = `chen.family-${name}-${Date.now()}@example.com`;
    await page.getByLabel('手机号码').fill('');
    await page.getByLabel('电子邮箱').fill(sentMail);
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByTestId('receipt-sent').getByText('将以电子邮件发送至').waitFor();
    await shot('03b-receipt-sent');
    for (const address of [filedMail, sentMail]) {
      const mail = await mailTo(address, (m) => m.subject.includes(reference));
      assert.match(mail.body, new RegExp(`编号：${reference}`));
      assert.match(mail.body, new RegExp(`查询码：${queryCode}`));
    }

    // 进度查询: a wrong code first
    await page.getByRole('link', { name: '进度查询' }).first().click();
    await page.getByLabel('信访事项编号').fill(reference);
    await page.getByLabel('查询码').fill('WRONGCODE234');
    await page.getByLabel('查询码').press('Enter');
    await page.locator('#id_query_code_error').getByText('编号或查询码不正确').waitFor();
    await page.getByLabel('查询码').fill(queryCode.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('progress-status').getByText('已登记').waitFor();
    await shot('04-progress-registered');

    // The city handles it and writes its opinion; the petitioner sees both at 西湖.
    const opinion = `经核查，您的养老保险待遇已重新核定（${name}）。`;
    await transferToTheCityAndReply(reference, opinion);
    await page.goto(`${origin('xihu')}/public/progress`);
    await page.getByLabel('信访事项编号').fill(reference);
    await page.getByLabel('查询码').fill(queryCode);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('杭州市信访局').first().waitFor();
    await page.getByText(opinion).first().waitFor();
    await page.getByTestId('progress-limits').getByText('向浙江省信访局申请复查').waitFor();
    await shot('05-progress-city-opinion');
    // The city's copy carries the e-mail address: its opinion reaches the petitioner too.
    const told = await mailTo(filedMail, (m) => m.body.includes(opinion));
    assert.match(told.body, /杭州市信访局/);

    // 满意度评价, then 复查 at the province
    await page.getByLabel('基本满意').check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价').waitFor();
    await shot('06-rated');
    await page.getByLabel('请求复查（复核）的事实和理由').fill('核定标准适用有误，请求复查。');
    await page.getByRole('button', { name: '申请复查' }).click();
    await page.getByText('已收到您的复查申请').waitFor();
    await page.getByTestId('progress-handling-office').getByText('浙江省信访局').waitFor();
    await page.getByTestId('progress-limits').getByText(/浙江省信访局应于.*前出具复查意见/).waitFor();
    await shot('07-review-requested');
    page.assertNoErrors();
    await page.context().close();
  });
}

test('the public pages work without JavaScript', async () => {
  const context = await browser().newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${origin('hangzhou')}/public/progress`);
  await page.getByLabel('信访事项编号').fill('330100-2026-999999');
  await page.getByLabel('查询码').fill('ABCDEFGHJKMN');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('#id_query_code_error').getByText('编号或查询码不正确').waitFor();
  assert.equal(await page.getByLabel('信访事项编号').inputValue(), '330100-2026-999999');
  await screenshot(page, 'public-nojs-lookup-error');
  await context.close();
});

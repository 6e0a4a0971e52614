// 登录 locked out: after the throttle's limit of wrong passwords (django-axes, as in production),
// even the right password is refused with the service's THROTTLED message. tests/web empties the
// throttle's counters before every script, so the lockout ends with this one.
import { test } from 'node:test';
import { PASSWORD, newPage, origin, screenshot, useBrowser } from './lib.mjs';

const browser = useBrowser();
const FAILURE_LIMIT = 10; // settings.AXES_FAILURE_LIMIT (XINFANG_LOGIN_FAILURE_LIMIT)

test('ten wrong passwords lock the login, and then the right one is refused too', async () => {
  const page = await newPage(browser());
  await page.goto(`${origin('hangzhou')}/login`);
  const wrong = page.getByRole('alert').filter({ hasText: '用户名或密码错误' });
  for (let i = 0; i < FAILURE_LIMIT - 1; i += 1) {
    await page.getByLabel('用户名').fill('supervisor');
    await page.getByLabel('密码').fill(`guess-${i}`);
    const answered = page.waitForResponse((r) => r.url().endsWith('/graphql/') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '登录' }).click();
    await answered;
    await wrong.waitFor();
  }
  await page.getByLabel('密码').fill('guess-last');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').filter({ hasText: '尝试次数过多，请稍后再试' }).waitFor();
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  const locked = page.getByRole('alert').filter({ hasText: '尝试次数过多，请稍后再试' });
  await locked.waitFor();
  await screenshot(page, '01-login-locked-out');
  await page.waitForURL(/\/login$/);
});

import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = 'demo1234';

/** Signs in through the login form, as a person would; `home` is where they land. */
export async function signIn(page: Page, username: string, home: RegExp = /\/$/, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('ユーザー名').fill(username);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page).toHaveURL(home);
  await hydrated(page);
}

/** Opens the phone panel and waits until the live stream has drawn the status. Each
 * page load starts the widget afresh: its tab works once enabled, and a panel left open
 * on the previous page opens again by itself. */
export async function openPhone(page: Page) {
  const panel = page.getByRole('dialog', { name: '電話' });
  const tab = page.getByRole('button', { name: '電話', exact: true });
  await expect(tab).toBeEnabled();
  // A panel left open on the previous page opens again by itself once the widget has
  // started, which may be just as the tab is clicked (and the click closes it again):
  // click until it is open.
  await expect(async () => {
    if (!(await panel.isVisible())) {
      await tab.click();
    }
    await expect(panel).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(panel.getByRole('status')).not.toHaveText('');
  return panel;
}

/** Brings the agent to a status through the widget's buttons, from wherever they are. */
export async function goReady(page: Page) {
  const panel = await openPhone(page);
  const status = panel.getByRole('status');
  // A call left by a test that failed part way is ended first: one failure should not
  // fail every test after it that uses the same agent.
  if ((await status.textContent()) === '通話中') {
    await panel.getByRole('button', { name: '終話' }).click();
    await expect(status).toHaveText('業務(チケット処理)');
  }
  if ((await status.textContent()) === 'CTI未ログイン') {
    await panel.getByRole('button', { name: 'CTIログイン' }).click();
    await expect(status).not.toHaveText('CTI未ログイン');
  }
  if ((await status.textContent()) !== '待機') {
    await panel.getByRole('button', { name: '待機', exact: true }).click();
  }
  await expect(status).toHaveText('待機');
  return panel;
}

/** Logs the agent out of CTI so that no later test's call rings at them. */
export async function ctiLogout(page: Page) {
  const panel = await openPhone(page);
  const status = panel.getByRole('status');
  if ((await status.textContent()) === '待機') {
    await panel.getByRole('button', { name: '業務', exact: true }).click();
    await expect(status).toHaveText('業務');
  }
  await panel.getByRole('button', { name: 'CTIログアウト' }).click();
  await expect(status).toHaveText('CTI未ログイン');
}

/** The demo service's number (the demo tenant's inbound line). */
export const DEMO_SERVICE_NUMBER = '+81350000000';

/** A simulated customer calls the demo service. */
export async function customerCalls(request: APIRequestContext, from: string): Promise<string> {
  const res = await request.post('/sim/calls', { data: { from, to: DEMO_SERVICE_NUMBER } });
  expect(res.status()).toBe(201);
  return (await res.json()).call_id;
}

/** Waits until the wasm has hydrated the page: before that, only plain forms and links work. */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

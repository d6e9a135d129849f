import { expect, test, type Browser, type Page } from '@playwright/test';
import { ctiLogout, customerCalls, goReady, hydrated, signIn } from './helpers';

async function person(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

/** The tenant admin sets CTI設定's numbers, by label, and saves. */
async function setPolicies(page: Page, values: Record<string, string>) {
  await page.goto('/admin/cti/settings');
  await hydrated(page);
  for (const [label, value] of Object.entries(values)) {
    await page.getByRole('spinbutton', { name: label }).fill(value);
  }
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
}

test('routing policies: a missed call pauses the agent as 不在, and after-call work ends at its limit', async ({
  browser,
  request,
}) => {
  const admin = await person(browser, 'admin');
  await admin.page.goto('/admin/cti/settings');
  await hydrated(admin.page);
  const limit = admin.page.getByRole('spinbutton', { name: '後処理の上限（秒）' });
  await expect(limit).toHaveValue('0');
  await limit.fill('3601');
  await admin.page.getByRole('button', { name: '保存' }).click();
  await expect(admin.page.getByText('0〜3600の整数で入力してください')).toBeVisible();
  await expect(limit).toHaveAttribute('aria-invalid', 'true');
  await setPolicies(admin.page, { '呼出時間（秒）': '5', '後処理の上限（秒）': '3', '連続不応答で休憩（回）': '1' });
  await admin.page.screenshot({ path: 'screenshots/cti-settings-routing.png', fullPage: true });

  // The agent lets one call ring out: 休憩, reason 不在, in the widget and on the board.
  await admin.page.goto('/board');
  const row = admin.page.getByRole('region', { name: 'サポートデスク' }).getByRole('row', { name: /佐藤 花子/ });
  const agent = await person(browser, 'op1');
  const panel = await goReady(agent.page);
  const status = panel.getByRole('status');
  const missed = await customerCalls(request, '+81312345611');
  await expect(status).toHaveText('着信中');
  await expect(status).toHaveText('休憩', { timeout: 15_000 });
  await expect(panel.getByText('休憩理由: 不在')).toBeVisible();
  await expect(row).toContainText('休憩（不在）');
  await agent.page.screenshot({ path: 'screenshots/widget-auto-pause.png' });
  await request.post(`/sim/calls/${missed}/hangup`);

  // Back at the desk, the agent answers and ends a call: 待機 again after 3 s by itself.
  await panel.getByRole('button', { name: '待機', exact: true }).click();
  await expect(status).toHaveText('待機');
  await expect(panel.getByText('休憩理由')).toHaveCount(0);
  await customerCalls(request, '+81312345612');
  await panel.getByRole('button', { name: '応答' }).click();
  await expect(agent.page).toHaveURL(/\/tickets\/\d+$/);
  await expect(status).toHaveText('通話中');
  await panel.getByRole('button', { name: '終話' }).click();
  await expect(status).toHaveText('業務(チケット処理)');
  await expect(row).toContainText('業務(チケット処理)');
  await expect(status).toHaveText('待機', { timeout: 10_000 });
  await expect(row).toContainText('待機');

  await ctiLogout(agent.page);
  await setPolicies(admin.page, { '呼出時間（秒）': '20', '後処理の上限（秒）': '0', '連続不応答で休憩（回）': '0' });
  await agent.context.close();
  await admin.context.close();
});

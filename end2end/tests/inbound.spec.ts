import { expect, test } from '@playwright/test';
import { ctiLogout, customerCalls, goReady, hydrated, openPhone, signIn } from './helpers';

test('an inbound call rings at the ready agent, becomes a ticket, and ends in after-call work', async ({ page, request }) => {
  await signIn(page, 'op1');
  const panel = await goReady(page);
  const phoneButton = page.getByRole('button', { name: '電話', exact: true });

  const callId = await customerCalls(request, '+81312345678');

  // Pushed over the live stream: the widget flashes, shows the caller and 応答.
  await expect(panel.getByRole('status')).toHaveText('着信中');
  await expect(phoneButton).toHaveClass(/ringing/);
  await expect(panel.getByRole('alert').filter({ hasText: '03-1234-5678' })).toBeVisible();
  const answer = panel.getByRole('button', { name: '応答' });
  await expect(answer).toBeEnabled();
  await page.screenshot({ path: 'screenshots/widget-ringing.png' });

  await answer.click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('03-1234-5678');
  await expect(panel.getByRole('status')).toHaveText('通話中');
  await expect(phoneButton).not.toHaveClass(/ringing/);
  await page.screenshot({ path: 'screenshots/ticket-in-call.png' });

  const hangup = await request.post(`/sim/calls/${callId}/hangup`);
  expect(hangup.ok()).toBeTruthy();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  const line = await (await request.get(`/sim/calls/${callId}`)).json();
  expect(line.state).toBe('ended');
  expect(line.ended_by).toBe('customer');

  // The ticket's call log follows the call without a reload, and the ticket is kept.
  await expect(page.getByRole('cell', { name: 'お客様が切断' })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('03-1234-5678');
  await expect(page.getByRole('cell', { name: 'お客様が切断' })).toBeVisible();

  await ctiLogout(page);
});

test('status buttons follow the rules: the current status and ringing states are not choosable', async ({ page }) => {
  await signIn(page, 'op2');
  const panel = await openPhone(page);
  await expect(panel.getByRole('status')).toHaveText('CTI未ログイン');
  for (const name of ['業務', '待機', '休憩']) {
    await expect(panel.getByRole('button', { name, exact: true })).toBeDisabled();
  }
  await panel.getByRole('button', { name: 'CTIログイン' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務');
  await expect(panel.getByRole('button', { name: '業務', exact: true })).toBeDisabled();
  await expect(panel.getByRole('button', { name: '待機', exact: true })).toBeEnabled();
  await expect(panel.getByRole('button', { name: '休憩', exact: true })).toBeEnabled();
  await panel.getByRole('button', { name: '休憩', exact: true }).click();
  await expect(panel.getByRole('status')).toHaveText('休憩');
  // The time in the status ticks.
  await expect(panel.getByRole('timer')).toHaveText(/^00:0[1-9]$/, { timeout: 5_000 });
  await page.screenshot({ path: 'screenshots/widget-break.png' });
  await ctiLogout(page);
});

test('the panel is a keyboard-usable dialog that Escape closes', async ({ page }) => {
  await signIn(page, 'op3');
  const tab = page.getByRole('button', { name: '電話', exact: true });
  // The tab works once the widget has started, a moment after each page load.
  await expect(tab).toBeEnabled();
  await tab.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: '電話' });
  await expect(panel).toBeVisible();
  await expect(tab).toHaveAttribute('aria-expanded', 'true');
  await panel.getByRole('button', { name: '閉じる' }).focus();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
});

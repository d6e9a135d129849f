import { expect, test, type Browser } from '@playwright/test';
import { ctiLogout, customerCalls, goReady, hydrated, openPhone, signIn } from './helpers';

/** An agent in a browser context of their own, as two people at two desks. */
async function agent(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

test('a ring timeout passes the call from one agent to the other', async ({ browser, request }) => {
  // The demo tenant's ring timeout is 20 seconds.
  test.setTimeout(90_000);
  const first = await agent(browser, 'op2');
  const second = await agent(browser, 'op3');
  const firstPanel = await goReady(first.page);
  const secondPanel = await goReady(second.page);

  await customerCalls(request, '+81355550001');
  // op2 has been ready longest: the call rings there first.
  await expect(firstPanel.getByRole('status')).toHaveText('着信中');
  await expect(secondPanel.getByRole('status')).toHaveText('待機');
  await expect(secondPanel.getByText('待ち呼')).toBeVisible();

  // Nobody answers: the call moves on to op3, and op2 stops flashing, still 待機.
  await expect(secondPanel.getByRole('status')).toHaveText('着信中', { timeout: 30_000 });
  await expect(firstPanel.getByRole('status')).toHaveText('待機');
  await expect(first.page.getByRole('button', { name: '電話', exact: true })).not.toHaveClass(/ringing/);
  await expect(secondPanel.getByRole('alert').filter({ hasText: '03-5555-0001' })).toBeVisible();
  await second.page.screenshot({ path: 'screenshots/ring-timeout-second-agent.png' });

  await secondPanel.getByRole('button', { name: '応答' }).click();
  await expect(second.page).toHaveURL(/\/tickets\/\d+$/);
  await secondPanel.getByRole('button', { name: '終話' }).click();
  await expect(secondPanel.getByRole('status')).toHaveText('業務(チケット処理)');

  await ctiLogout(first.page);
  await ctiLogout(second.page);
  await first.context.close();
  await second.context.close();
});

test('a customer who hangs up while it rings stops the flashing', async ({ browser, request }) => {
  const op = await agent(browser, 'op2');
  const panel = await goReady(op.page);
  const tab = op.page.getByRole('button', { name: '電話', exact: true });

  const callId = await customerCalls(request, '+81355550002');
  await expect(tab).toHaveClass(/ringing/);
  await expect(panel.getByRole('button', { name: '応答' })).toBeVisible();

  await request.post(`/sim/calls/${callId}/hangup`);
  await expect(tab).not.toHaveClass(/ringing/);
  await expect(panel.getByRole('status')).toHaveText('待機');
  await expect(panel.getByRole('button', { name: '応答' })).toHaveCount(0);

  await ctiLogout(op.page);
  await op.context.close();
});

test('after-call work, then 待機, brings the next waiting call', async ({ browser, request }) => {
  const op = await agent(browser, 'op3');
  const panel = await goReady(op.page);

  const first = await customerCalls(request, '+81355550003');
  await panel.getByRole('button', { name: '応答' }).click();
  await expect(op.page).toHaveURL(/\/tickets\/\d+$/);
  const second = await customerCalls(request, '+81355550004');
  await request.post(`/sim/calls/${first}/hangup`);

  // In 業務(チケット処理) no call is offered; the waiting one is counted.
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  await expect(panel.locator('.waiting')).toContainText('1');
  await op.page.screenshot({ path: 'screenshots/wrapup-one-waiting.png' });
  await panel.getByRole('button', { name: '待機', exact: true }).click();
  await expect(panel.getByRole('status')).toHaveText('着信中');
  await expect(panel.getByRole('alert').filter({ hasText: '03-5555-0004' })).toBeVisible();

  await request.post(`/sim/calls/${second}/hangup`);
  await expect(panel.getByRole('status')).toHaveText('待機');
  await ctiLogout(op.page);
  await op.context.close();
});

test('the ring tone can be muted, and the choice is remembered', async ({ page }) => {
  await signIn(page, 'op1');
  const panel = await openPhone(page);
  const tone = panel.getByRole('button', { name: '着信音' });
  await expect(tone).toHaveAttribute('aria-pressed', 'true');
  await tone.click();
  await expect(tone).toHaveAttribute('aria-pressed', 'false');
  await page.reload();
  await hydrated(page);
  const again = await openPhone(page);
  await expect(again.getByRole('button', { name: '着信音' })).toHaveAttribute('aria-pressed', 'false');
  await again.getByRole('button', { name: '着信音' }).click();
  await expect(again.getByRole('button', { name: '着信音' })).toHaveAttribute('aria-pressed', 'true');
});

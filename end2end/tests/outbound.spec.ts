import { expect, test } from '@playwright/test';
import { ctiLogout, openPhone, signIn } from './helpers';

async function loggedIn(page: import('@playwright/test').Page, user: string) {
  await signIn(page, user);
  const panel = await openPhone(page);
  if ((await panel.getByRole('status').textContent()) === 'CTI未ログイン') {
    await panel.getByRole('button', { name: 'CTIログイン' }).click();
  }
  await expect(panel.getByRole('status')).toHaveText('業務');
  return panel;
}

test('a dialled customer who answers lands the agent on the ticket', async ({ page, request }) => {
  await request.put('/sim/numbers/+81312340001', { data: { behaviour: 'answer', after_ms: 800 } });
  const panel = await loggedIn(page, 'op1');

  await panel.getByRole('button', { name: 'かける' }).click();
  const dialog = panel.getByRole('dialog', { name: '発信' });
  await dialog.getByLabel('電話番号').fill('03-1234-0001');
  await expect(dialog.getByLabel('発信番号')).toHaveValue('+81350000001');
  await page.screenshot({ path: 'screenshots/dial-dialog.png' });
  await dialog.getByRole('button', { name: '確認' }).click();

  await expect(panel.getByRole('status')).toHaveText('発信中');
  await expect(panel.getByText('03-1234-0001')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'キャンセル' })).toBeEnabled();
  await page.screenshot({ path: 'screenshots/dialing.png' });

  await expect(panel.getByRole('status')).toHaveText('通話中');
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('電話発信 03-1234-0001');
  await expect(page.getByRole('cell', { name: '発信', exact: true })).toBeVisible();

  // Each page is a page load: the agent may leave the ticket during the call, and the
  // widget neither sends them back to it nor closes the panel.
  await page.getByRole('link', { name: 'チケット', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'チケット', exact: true })).toBeVisible();
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('status')).toHaveText('通話中');

  await panel.getByRole('button', { name: '終話' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  // Still on the list: the call was followed to its ticket once, not on every page.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'チケット', exact: true })).toBeVisible();
  await ctiLogout(page);
});

test('a busy number returns the agent to their status and says so', async ({ page, request }) => {
  await request.put('/sim/numbers/+81312340002', { data: { behaviour: 'busy' } });
  const panel = await loggedIn(page, 'op2');
  await panel.getByRole('button', { name: 'かける' }).click();
  const dialog = panel.getByRole('dialog', { name: '発信' });
  await dialog.getByLabel('電話番号').fill('+81312340002');
  await dialog.getByRole('button', { name: '確認' }).click();

  await expect(panel.getByText('話し中でした')).toBeVisible();
  await expect(panel.getByRole('status')).toHaveText('業務');
  await expect(page).toHaveURL(/\/$/);
  await page.screenshot({ path: 'screenshots/dial-busy.png' });
  await ctiLogout(page);
});

test('a caller number that is not registered is refused in the dialog', async ({ page }) => {
  const panel = await loggedIn(page, 'op3');
  await panel.getByRole('button', { name: 'かける' }).click();
  const dialog = panel.getByRole('dialog', { name: '発信' });
  await dialog.getByLabel('電話番号').fill('+81312340003');
  // A tampered page offers a number the service never registered.
  await dialog.getByLabel('発信番号').evaluate((select: HTMLSelectElement) => {
    select.add(new Option('+81399999999', '+81399999999'));
  });
  await dialog.getByLabel('発信番号').selectOption('+81399999999');
  await dialog.getByRole('button', { name: '確認' }).click();

  await expect(dialog.getByRole('alert')).toHaveText('この発信番号はサービスに登録されていません');
  await expect(panel.getByRole('status')).toHaveText('業務');
  await dialog.getByLabel('電話番号').fill('03-12');
  await dialog.getByLabel('発信番号').selectOption('+81350000001');
  await dialog.getByRole('button', { name: '確認' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('電話番号の形式が正しくありません');
  await page.screenshot({ path: 'screenshots/dial-refused.png' });
  await dialog.getByRole('button', { name: '閉じる' }).click();
  await ctiLogout(page);
});

test('a ticket customer number has a button that opens the dial dialog filled in', async ({ page, request }) => {
  await request.put('/sim/numbers/+81312340004', { data: { behaviour: 'answer', after_ms: 300 } });
  const panel = await loggedIn(page, 'op1');
  await panel.getByRole('button', { name: 'かける' }).click();
  const dialog = panel.getByRole('dialog', { name: '発信' });
  await dialog.getByLabel('電話番号').fill('+81312340004');
  await dialog.getByRole('button', { name: '確認' }).click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await panel.getByRole('button', { name: '終話' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');

  await page.getByRole('button', { name: 'この番号にかける' }).click();
  await expect(panel.getByRole('dialog', { name: '発信' }).getByLabel('電話番号')).toHaveValue('+81312340004');
  await panel.getByRole('dialog', { name: '発信' }).getByRole('button', { name: '閉じる' }).click();
  await ctiLogout(page);
});

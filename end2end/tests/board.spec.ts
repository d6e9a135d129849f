import { expect, test, type Browser } from '@playwright/test';
import { ctiLogout, customerCalls, goReady, signIn } from './helpers';

async function person(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

test('a supervisor watches a call arrive, ring, connect and end on the board', async ({ browser, request }) => {
  const manager = await person(browser, 'manager');
  await manager.page.getByRole('link', { name: 'ボード' }).click();
  await expect(manager.page.getByRole('heading', { level: 1, name: 'ボード' })).toBeVisible();
  const desk = manager.page.getByRole('region', { name: 'サポートデスク' });
  const row = desk.getByRole('row', { name: /佐藤 花子/ });
  await expect(row).toBeVisible();

  const tile = (name: string) => desk.getByRole('term').filter({ hasText: name }).locator('xpath=following-sibling::dd');
  const count = async (name: string) => Number(await tile(name).textContent());
  const [offered, answered] = [await count('着信数'), await count('応答数')];

  const agent = await person(browser, 'op1');
  const panel = await goReady(agent.page);
  await expect(row.getByRole('cell').first()).toHaveText('待機');

  await customerCalls(request, '+81312345601');
  await expect(row).toContainText('着信中');
  await expect(row).toContainText('03-1234-5601');

  await panel.getByRole('button', { name: '応答' }).click();
  await expect(agent.page).toHaveURL(/\/tickets\/\d+$/);
  const ticketPath = new URL(agent.page.url()).pathname;
  await expect(row).toContainText('通話中');
  await expect(row.getByRole('link', { name: '03-1234-5601' })).toHaveAttribute('href', ticketPath);
  await expect(desk.getByRole('definition').first()).toHaveText('0');
  // Today's figures follow: one more call offered, and answered.
  await expect(tile('着信数')).toHaveText(String(offered + 1));
  await expect(tile('応答数')).toHaveText(String(answered + 1));
  await manager.page.screenshot({ path: 'screenshots/board.png', fullPage: true });

  await panel.getByRole('button', { name: '終話' }).click();
  await expect(row).toContainText('業務(チケット処理)');
  await expect(row.getByRole('link')).toHaveCount(0);
  await ctiLogout(agent.page);
  await expect(row).toContainText('CTI未ログイン');
  await agent.context.close();
  await manager.context.close();
});

test('an operator has no board', async ({ page }) => {
  await signIn(page, 'op2');
  await expect(page.getByRole('link', { name: 'ボード' })).toHaveCount(0);
  await page.goto('/board');
  await expect(page.getByRole('alert')).toHaveText('この操作の権限がありません');
});

test('a supervisor sends an agent on a break with a reason, and the agent sees it', async ({ browser }) => {
  const manager = await person(browser, 'manager');
  await manager.page.goto('/board');
  const row = manager.page.getByRole('region', { name: 'サポートデスク' }).getByRole('row', { name: /鈴木 一郎/ });
  const agent = await person(browser, 'op2');
  const panel = await goReady(agent.page);
  await expect(row).toContainText('待機');

  await row.getByRole('button', { name: 'ステータス変更' }).click();
  const dialog = manager.page.getByRole('dialog', { name: '鈴木 一郎のステータス' });
  await expect(dialog.getByRole('radio', { name: '休憩' })).toBeFocused();
  await dialog.getByLabel('休憩理由').selectOption({ label: '昼食' });
  await manager.page.screenshot({ path: 'screenshots/board-set-status.png' });
  await dialog.getByRole('button', { name: '変更' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText('休憩（昼食）');

  // The agent's widget says so, with the reason.
  await expect(panel.getByRole('status')).toHaveText('休憩');
  await expect(panel.getByText('休憩理由: 昼食')).toBeVisible();
  await agent.page.screenshot({ path: 'screenshots/widget-break-by-supervisor.png' });

  // Escape closes the dialog without a change.
  await row.getByRole('button', { name: 'ステータス変更' }).click();
  await manager.page.keyboard.press('Escape');
  await expect(manager.page.getByRole('dialog')).toHaveCount(0);

  await ctiLogout(agent.page);
  await expect(row).toContainText('CTI未ログイン');
  await expect(row.getByRole('button', { name: 'ステータス変更' })).toHaveCount(0);
  await agent.context.close();
  await manager.context.close();
});

test('the tenant admin keeps the list of 休憩理由', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: '全体管理' }).click();
  await page.getByRole('link', { name: '休憩理由' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '休憩理由' })).toBeVisible();
  await expect(page.getByRole('row', { name: /昼食/ })).toBeVisible();

  await page.getByRole('button', { name: '追加' }).click();
  await expect(page.getByText('入力してください')).toBeVisible();
  await page.getByLabel('休憩理由').fill('健康診断');
  await page.getByRole('button', { name: '追加' }).click();
  const added = page.getByRole('row', { name: /健康診断/ });
  await expect(added).toBeVisible();
  await page.getByLabel('休憩理由').fill('健康診断');
  await page.getByRole('button', { name: '追加' }).click();
  await expect(page.getByText('すでに使われています')).toBeVisible();
  await expect(page.getByLabel('休憩理由')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: 'screenshots/break-reasons.png', fullPage: true });

  await added.getByRole('button', { name: '削除' }).click();
  await expect(added).toHaveCount(0);
});

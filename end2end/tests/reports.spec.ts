import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ctiLogout, customerCalls, goReady, hydrated, signIn } from './helpers';

async function person(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

/** The desk's total row: 着信数, 応答数, 放棄数 as numbers. */
async function totals(page: Page) {
  const desk = page.getByRole('region', { name: 'サポートデスク' });
  const noCalls = desk.getByText('この期間の着信はありません');
  if (await noCalls.isVisible()) return [0, 0, 0];
  const cells = desk.getByRole('row', { name: /^合計/ }).getByRole('cell');
  return Promise.all([0, 1, 2].map(async (i) => Number(await cells.nth(i).textContent())));
}

test('a supervisor reads today’s report, sees a new call in it, and downloads it as CSV', async ({ browser, request }) => {
  const manager = await person(browser, 'manager');
  await manager.page.getByRole('link', { name: 'レポート' }).click();
  await expect(manager.page.getByRole('heading', { level: 1, name: 'レポート' })).toBeVisible();
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  await expect(manager.page.getByLabel('開始日')).toHaveValue(today);
  await expect(manager.page.getByLabel('終了日')).toHaveValue(today);
  await expect(manager.page.getByRole('combobox', { name: '集計間隔' })).toHaveValue('60');
  const before = await totals(manager.page);

  // A call answered and ended.
  const agent = await person(browser, 'op1');
  const panel = await goReady(agent.page);
  await customerCalls(request, '+81312345621');
  await panel.getByRole('button', { name: '応答' }).click();
  await expect(panel.getByRole('status')).toHaveText('通話中');
  await panel.getByRole('button', { name: '終話' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  await ctiLogout(agent.page);

  // The report counts it: one more offered and answered; the chart and the agents' tables are there.
  await manager.page.getByRole('button', { name: '表示' }).click();
  await hydrated(manager.page);
  await expect.poll(() => totals(manager.page)).toEqual([before[0] + 1, before[1] + 1, before[2]]);
  const desk = manager.page.getByRole('region', { name: 'サポートデスク' });
  await expect(desk.getByRole('img', { name: '応答と放棄' })).toBeVisible();
  const agents = manager.page.getByRole('region', { name: 'オペレーター別' });
  await expect(agents.getByRole('table', { name: '応対' }).getByRole('row', { name: /佐藤 花子/ })).toBeVisible();
  await expect(agents.getByRole('img', { name: 'ステータス別時間の内訳' })).toBeVisible();
  await expect(agents.getByRole('table', { name: 'ステータス別時間' }).getByRole('row', { name: /佐藤 花子/ })).toBeVisible();
  await manager.page.screenshot({ path: 'screenshots/reports.png', fullPage: true });

  // The same figures as CSV.
  const [download] = await Promise.all([
    manager.page.waitForEvent('download'),
    manager.page.getByRole('link', { name: 'CSVダウンロード' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`report_${today}_${today}_60.csv`);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toMatch(/^区分,名前,サービス,時間帯,着信数,応答数,放棄数,/);
  const total = lines.find((l) => l.startsWith('サービス,サポートデスク,サポートデスク,合計,'));
  expect(total?.split(',').slice(4, 7).map(Number)).toEqual([before[0] + 1, before[1] + 1, before[2]]);
  expect(lines.some((l) => l.startsWith('名前,佐藤 花子,サポートデスク,合計,'))).toBeTruthy();

  await agent.context.close();
  await manager.context.close();
});

test('a report too long for its interval is refused beside its field', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/reports?from=2026-12-01&to=2026-12-31&interval=15');
  await hydrated(page);
  await expect(page.getByRole('alert').filter({ hasText: '入力内容を確認してください' })).toBeVisible();
  await expect(page.getByText('期間が長すぎます。集計間隔を長くするか、期間を短くしてください')).toBeVisible();
  await expect(page.getByLabel('終了日')).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('combobox', { name: '集計間隔' }).selectOption({ label: '60分' });
  await page.getByRole('button', { name: '表示' }).click();
  await expect(page.getByRole('region', { name: 'サポートデスク' })).toBeVisible();
  await expect(page.getByLabel('終了日')).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByRole('link', { name: 'レポート' })).toHaveAttribute('aria-current', 'page');
});

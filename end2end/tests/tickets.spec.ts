import { expect, test, type Page } from '@playwright/test';
import { ctiLogout, customerCalls, goReady, hydrated, signIn } from './helpers';

/** op1 answers a call from `from` and the customer hangs up; the page is on its ticket. */
async function answeredCall(page: Page, request: Parameters<typeof customerCalls>[0], from: string) {
  const panel = await goReady(page);
  const callId = await customerCalls(request, from);
  await expect(panel.getByRole('status')).toHaveText('着信中');
  await panel.getByRole('button', { name: '応答' }).click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await request.post(`/sim/calls/${callId}/hangup`);
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  return panel;
}

test('the ticket list filters, counts and pages, and keeps its filters in the address', async ({ page }) => {
  await signIn(page, 'op1');
  await expect(page.getByRole('heading', { level: 1, name: 'チケット' })).toBeVisible();
  // The demo starts with a few hundred past tickets: 50 a page.
  const count = page.getByRole('status').filter({ hasText: /^\d+件$/ });
  await expect(count).toBeVisible();
  const all = Number((await count.textContent())!.replace('件', ''));
  expect(all).toBeGreaterThan(50);
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(51);
  await page.screenshot({ path: 'screenshots/ticket-list.png', fullPage: true });

  const filters = page.getByRole('form', { name: '絞り込み' });
  await filters.getByLabel('ステータス').selectOption({ label: '解決済み' });
  await filters.getByLabel('担当者').selectOption({ label: '自分' });
  await filters.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/status=solved/);
  await expect(page).toHaveURL(/assignee=me/);
  await expect(count).not.toHaveText(`${all}件`);
  const solved = Number((await count.textContent())!.replace('件', ''));
  expect(solved).toBeGreaterThan(0);
  for (const status of await page.getByRole('table').locator('tbody .badge').allTextContents()) {
    expect(status).toBe('解決済み');
  }
  for (const who of await page.getByRole('table').locator('tbody td:nth-child(5)').allTextContents()) {
    expect(who).toBe('佐藤 花子');
  }

  // Pages either side, by keyset cursors, under the same filters.
  await page.getByRole('link', { name: '条件をクリア' }).click();
  await expect(count).toHaveText(`${all}件`);
  const firstOnPage1 = await rows.nth(1).textContent();
  const pages = page.getByRole('navigation', { name: 'ページ送り' });
  await pages.getByRole('link', { name: '次へ' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows.nth(1)).not.toHaveText(firstOnPage1!);
  await pages.getByRole('link', { name: '前へ' }).click();
  await expect(rows.nth(1)).toHaveText(firstOnPage1!);

  // A malformed filter in the address is named beside its field, not obeyed.
  await page.goto('/?from=2026-02-30');
  await hydrated(page);
  await expect(page.getByText('日付は YYYY-MM-DD の形で入力してください')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('a ticket is edited on its version: a colleague saving over it is refused and shown the latest', async ({ page, browser, request }) => {
  await signIn(page, 'op1');
  await answeredCall(page, request, '+81312340701');
  const url = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('03-1234-0701');

  // The call log tells the call: who took it, how long, how it ended.
  const log = page.getByRole('region', { name: '通話記録' });
  await expect(log.getByRole('cell', { name: 'お客様が切断' })).toBeVisible();
  await expect(log.getByRole('cell', { name: '佐藤 花子', exact: true })).toBeVisible();
  await expect(log.getByRole('cell', { name: /03-5000-0000/ })).toBeVisible();

  // op2 opens the same ticket before op1 saves.
  const other = await browser.newContext();
  const op2 = await other.newPage();
  await signIn(op2, 'op2');
  await op2.goto(url);
  await hydrated(op2);

  const form = page.getByRole('form', { name: 'チケット' });
  await form.getByLabel('件名').fill('請求書の再発行');
  await form.getByLabel('ステータス').selectOption({ label: '保留' });
  await form.getByLabel('内容').fill('先月分の請求書を再発行して郵送する');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form.getByRole('status')).toHaveText('保存しました');
  await page.screenshot({ path: 'screenshots/ticket-page.png', fullPage: true });

  const theirs = op2.getByRole('form', { name: 'チケット' });
  await theirs.getByLabel('件名').fill('別の件名');
  await theirs.getByRole('button', { name: '保存' }).click();
  await expect(theirs.getByRole('status')).toContainText('他の人が先に更新しました');
  // What op2 typed is still there until they choose to load the latest.
  await expect(theirs.getByLabel('件名')).toHaveValue('別の件名');
  await op2.screenshot({ path: 'screenshots/ticket-stale.png', fullPage: true });
  await theirs.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await expect(op2.getByRole('form', { name: 'チケット' }).getByLabel('件名')).toHaveValue('請求書の再発行');
  await expect(op2.getByRole('form', { name: 'チケット' }).getByLabel('ステータス')).toHaveValue('pending');

  // Internal notes add up; both agents' are kept.
  const notes = op2.getByRole('region', { name: '社内メモ' });
  await notes.getByLabel('新しいメモ').fill('15時に折り返し予定');
  await notes.getByRole('button', { name: 'メモを追加' }).click();
  await expect(notes.getByRole('listitem').filter({ hasText: '15時に折り返し予定' })).toContainText('鈴木 一郎');
  await other.close();

  await ctiLogout(page);
});

test('a customer named on their ticket is named in the widget when they call again', async ({ page, request }) => {
  await signIn(page, 'op1');
  await answeredCall(page, request, '+81312340702');
  const firstTicket = page.url();

  const card = page.getByRole('form', { name: '顧客' });
  await card.getByLabel('顧客名').fill('田中 美穂');
  await card.getByLabel('顧客メモ').fill('法人契約。請求は経理部宛て');
  await card.getByRole('button', { name: '顧客を保存' }).click();
  await expect(card.getByRole('status')).toHaveText('保存しました');

  // The panel is back to 待機, and the same customer calls.
  const panel = await goReady(page);
  await customerCalls(request, '+81312340702');
  await expect(panel.getByRole('status')).toHaveText('着信中');
  const pop = panel.getByRole('region', { name: '顧客' });
  await expect(pop).toContainText('田中 美穂');
  await expect(pop).toContainText('法人契約');
  const recent = pop.getByRole('list', { name: '最近のチケット' });
  await expect(recent.getByRole('link')).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/widget-screen-pop.png' });
  await recent.getByRole('link').click();
  await expect(page).toHaveURL(firstTicket);

  // Answered: the new ticket is theirs.
  await panel.getByRole('button', { name: '応答' }).click();
  await expect(page).not.toHaveURL(firstTicket);
  await expect(page.getByRole('form', { name: '顧客' }).getByLabel('顧客名')).toHaveValue('田中 美穂');
  await page.getByRole('dialog', { name: '電話' }).getByRole('button', { name: '終話' }).click();
  await ctiLogout(page);
});

test('an administrator exports the call log of a date range as CSV', async ({ page }) => {
  await signIn(page, 'manager');
  const exporter = page.getByRole('region', { name: '通話記録のCSV出力' });
  // Both dates are needed; the refusal is beside the field and nothing downloads.
  await exporter.getByRole('button', { name: 'CSV出力' }).click();
  await expect(exporter.getByText('入力してください').first()).toBeVisible();

  const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
  await exporter.getByLabel('開始日').fill('2026-01-01');
  await exporter.getByLabel('終了日').fill(today);
  const download = page.waitForEvent('download');
  await exporter.getByRole('button', { name: 'CSV出力' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`calls_2026-01-01_${today}.csv`);
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const [header, ...rows] = text.replace(/^\uFEFF/, '').trim().split('\r\n').join('\n').split('\n');
  expect(header.split(',').slice(0, 4)).toEqual(['通話ID', 'チケット', '方向', 'お客様の電話番号']);
  expect(rows.length).toBeGreaterThan(0);
});

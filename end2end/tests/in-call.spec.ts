import { expect, test, type APIRequestContext, type Browser, type Locator, type Page } from '@playwright/test';
import { customerCalls, goReady, openPhone, signIn } from './helpers';

/** What the simulated customer hears on the line now. */
async function heard(request: APIRequestContext, callId: string) {
  return (await request.get(`/sim/calls/${callId}`)).json();
}

/** op1 (on `page`) answers a customer; answers the call id and op1's panel. */
async function answered(page: Page, request: APIRequestContext): Promise<[string, Locator]> {
  await signIn(page, 'op1');
  const panel = await goReady(page);
  const callId = await customerCalls(request, '+81312345678');
  await panel.getByRole('button', { name: '応答' }).click();
  // Answering loads the call's ticket: the panel to use is the one on that page.
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await expect(panel.getByRole('status')).toHaveText('通話中');
  return [callId, panel];
}

/** Ends the agent's after-call work and logs them out, for the tests that follow. */
async function finish(panel: Locator) {
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  await panel.getByRole('button', { name: 'CTIログアウト' }).click();
  await expect(panel.getByRole('status')).toHaveText('CTI未ログイン');
}

async function colleague(browser: Browser, username: string) {
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await signIn(page, username);
  return { page, panel: await goReady(page) };
}

test('保留 plays the hold music to the customer and 解除 resumes the call', async ({ page, request }) => {
  const [callId, panel] = await answered(page, request);
  await panel.getByRole('button', { name: '保留' }).click();
  await expect(panel.getByRole('status')).toHaveText('保留中');
  expect((await heard(request, callId)).hold_music).toBe('classic');
  await page.screenshot({ path: 'screenshots/widget-on-hold.png' });

  await panel.getByRole('button', { name: '解除' }).click();
  await expect(panel.getByRole('status')).toHaveText('通話中');
  expect((await heard(request, callId)).hold_music).toBeNull();
  await panel.getByRole('button', { name: '終話' }).click();
  await finish(panel);
});

test('強制終了 plays the edited message, ends the call, and the ticket records it', async ({ page, request }) => {
  const [callId, panel] = await answered(page, request);
  await panel.getByRole('button', { name: '強制終了' }).click();
  const dialog = panel.getByRole('dialog', { name: '強制終了' });
  const message = dialog.getByRole('textbox', { name: 'ガイダンスメッセージ' });
  await expect(message).toHaveValue(/恐れ入りますが/);
  await message.fill('これ以上のご対応はできません。失礼いたします。');
  await page.screenshot({ path: 'screenshots/widget-force-end.png' });
  await dialog.getByRole('button', { name: '確認' }).click();

  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  const line = await heard(request, callId);
  expect(line.state).toBe('ended');
  const played = line.events.find((e: { kind: string }) => e.kind === 'message_played');
  expect(played.detail).toBe('これ以上のご対応はできません。失礼いたします。');
  await expect(page.getByRole('cell', { name: /強制終了/ })).toContainText('これ以上のご対応はできません。');
  await finish(panel);
});

test('a consult call to a ready colleague, then 顧客接続: the colleague has the call and its ticket', async ({ page, request, browser }) => {
  const [callId, panel] = await answered(page, request);
  const ticketUrl = page.url();
  const op2 = await colleague(browser, 'op2');

  await panel.getByRole('button', { name: '転送' }).click();
  const dialog = panel.getByRole('dialog', { name: '転送' });
  // The dialog has the room it needs: its three ways are each seen whole, unscrolled.
  const viewport = page.viewportSize()!;
  for (const name of ['直接入力', 'よく使われる転換番号', '待機中のオペレーター']) {
    const form = dialog.getByRole('form', { name });
    // A box is measured as it is now (boundingBox does not wait): wait for the form first.
    await expect(form).toBeVisible();
    const box = (await form.boundingBox())!;
    expect(box.y + box.height, `${name} ends within the window`).toBeLessThanOrEqual(viewport.height);
    expect(box.x + box.width, `${name} ends within the window`).toBeLessThanOrEqual(viewport.width);
  }
  const transfer = dialog.getByRole('form', { name: '待機中のオペレーター' });
  await transfer.getByRole('searchbox', { name: '検索（名前・CTI番号）' }).fill('2002');
  await transfer.getByRole('radio', { name: /鈴木 一郎/ }).check();
  await page.screenshot({ path: 'screenshots/widget-transfer.png' });
  await transfer.getByRole('button', { name: '接続' }).click();
  await expect(panel.getByRole('status')).toHaveText('通話中(転換)');
  expect((await heard(request, callId)).hold_music).toBe('classic');

  // The colleague is offered the consult call like any call, and sees the ticket.
  await expect(op2.panel.getByRole('alert').filter({ hasText: '佐藤 花子' })).toBeVisible();
  await op2.panel.getByRole('button', { name: '応答' }).click();
  await expect(op2.page).toHaveURL(ticketUrl);
  await expect(panel.getByText('通話中', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'screenshots/widget-consulting.png' });

  await panel.getByRole('button', { name: '顧客接続' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  await expect(op2.panel.getByRole('status')).toHaveText('通話中');
  await expect(op2.panel.getByRole('link', { name: 'チケットを開く' })).toHaveAttribute('href', new URL(ticketUrl).pathname);
  expect((await heard(request, callId)).hold_music).toBeNull();

  await op2.panel.getByRole('button', { name: '終話' }).click();
  await finish(op2.panel);
  await finish(panel);
});

test('a consult call cancelled leaves the customer on hold until 解除', async ({ page, request, browser }) => {
  const [callId, panel] = await answered(page, request);
  const op2 = await colleague(browser, 'op2');
  await panel.getByRole('button', { name: '転送' }).click();
  const transfer = panel.getByRole('dialog', { name: '転送' }).getByRole('form', { name: '待機中のオペレーター' });
  await transfer.getByRole('radio', { name: /鈴木 一郎/ }).check();
  await transfer.getByRole('button', { name: '接続' }).click();
  await expect(op2.panel.getByRole('status')).toHaveText('着信中');

  await panel.getByRole('button', { name: 'キャンセル' }).click();
  await expect(panel.getByRole('status')).toHaveText('保留中');
  await expect(op2.panel.getByRole('status')).toHaveText('待機');
  expect((await heard(request, callId)).hold_music).toBe('classic');
  await panel.getByRole('button', { name: '解除' }).click();
  await expect(panel.getByRole('status')).toHaveText('通話中');
  expect((await heard(request, callId)).hold_music).toBeNull();

  await panel.getByRole('button', { name: '終話' }).click();
  await finish(panel);
  await op2.panel.getByRole('button', { name: '業務', exact: true }).click();
  await op2.panel.getByRole('button', { name: 'CTIログアウト' }).click();
  await expect(op2.panel.getByRole('status')).toHaveText('CTI未ログイン');
});

test('a favourite number is added, consulted and connected: the call leaves for it', async ({ page, request }) => {
  await request.put('/sim/numbers/+81355550300', { data: { behaviour: 'answer', after_ms: 200 } });
  const [callId, panel] = await answered(page, request);
  await panel.getByRole('button', { name: '転送' }).click();
  const favourites = panel.getByRole('dialog', { name: '転送' }).getByRole('form', { name: 'よく使われる転換番号' });
  await favourites.getByRole('textbox', { name: '電話番号' }).fill('03-5555-0300');
  await favourites.getByRole('textbox', { name: 'ラベル' }).fill('本社 総務');
  await favourites.getByRole('button', { name: '追加' }).click();
  await expect(favourites.getByRole('radio', { name: /本社 総務/ })).toBeChecked();
  await page.screenshot({ path: 'screenshots/widget-favourites.png' });
  await favourites.getByRole('button', { name: '接続' }).click();

  await expect(panel.getByRole('status')).toHaveText('通話中(転換)');
  await expect(panel.getByText('通話中', { exact: true })).toBeVisible();
  await panel.getByRole('button', { name: '顧客接続' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
  const line = await heard(request, callId);
  expect(line.state).toBe('ended');
  expect(line.events.find((e: { kind: string }) => e.kind === 'transferred').detail).toBe('+81355550300');
  await expect(page.getByRole('cell', { name: '外部へ転送' })).toBeVisible();
  await finish(panel);
});

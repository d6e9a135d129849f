import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, openPhone, signIn } from './helpers';

/** A second person at their own browser. */
async function person(browser: Browser, username: string, home?: RegExp): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await signIn(page, username, home);
  return page;
}

/** サービス管理 → the demo service's オペレーター. */
async function openOperators(page: Page) {
  await page.getByRole('link', { name: 'サービス管理' }).click();
  await page.getByRole('region', { name: 'サポートデスク' }).getByRole('link', { name: 'オペレーター' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'オペレーター' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'メニューの位置' })).toContainText('サービス管理 › サポートデスク');
}

async function setPhonePermission(page: Page, name: string, on: boolean) {
  await page.getByRole('row', { name: new RegExp(name) }).getByRole('button', { name: '編集' }).click();
  const dialog = page.getByRole('dialog', { name: `編集: ${name}` });
  await dialog.getByRole('checkbox', { name: '電話権限' }).setChecked(on);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
  await expect(dialog).toHaveCount(0);
}

test('a service admin takes the phone away and the operator is logged out of CTI', async ({ page, browser }) => {
  await signIn(page, 'op1');
  const panel = await openPhone(page);
  await panel.getByRole('button', { name: 'CTIログイン' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務');

  const manager = await person(browser, 'manager');
  await openOperators(manager);
  await manager.screenshot({ path: 'screenshots/operators.png', fullPage: true });
  await setPhonePermission(manager, '佐藤 花子', false);
  await expect(manager.getByRole('row', { name: /佐藤 花子/ })).toContainText('無効');
  await manager.screenshot({ path: 'screenshots/operators-revoked.png', fullPage: true });

  // The operator's widget follows at once.
  await expect(panel.getByRole('alert').filter({ hasText: '電話権限が取り消されました' })).toBeVisible();
  await expect(panel.getByRole('status')).toHaveText('CTI未ログイン');
  await expect(panel.getByRole('button', { name: 'CTIログイン' })).toBeDisabled();
  await page.screenshot({ path: 'screenshots/widget-revoked.png' });
  // On the next page the widget is gone.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('button', { name: '電話', exact: true })).toHaveCount(0);

  await setPhonePermission(manager, '佐藤 花子', true);
  await page.reload();
  await hydrated(page);
  const again = await openPhone(page);
  await expect(again.getByRole('button', { name: 'CTIログイン' })).toBeEnabled();
});

test('a new operator gets a CTI ID and number before logging in to CTI', async ({ page, browser }) => {
  const manager = await person(browser, 'manager');
  await openOperators(manager);
  await manager.getByRole('button', { name: 'オペレーターを追加' }).click();
  const dialog = manager.getByRole('dialog', { name: 'オペレーターを追加' });
  await dialog.getByRole('textbox', { name: 'ユーザー名' }).fill('Op 7');
  await dialog.getByLabel('パスワード').fill('short');
  await dialog.getByRole('button', { name: '追加' }).click();
  await expect(dialog.getByRole('textbox', { name: 'ユーザー名' })).toHaveAccessibleDescription(/半角英小文字/);
  await expect(dialog.getByRole('textbox', { name: '表示名' })).toHaveAccessibleDescription('入力してください');
  await expect(dialog.getByLabel('パスワード')).toHaveAccessibleDescription('8文字以上で入力してください');
  await manager.screenshot({ path: 'screenshots/operator-add-errors.png', fullPage: true });
  await dialog.getByRole('textbox', { name: 'ユーザー名' }).fill('op7');
  await dialog.getByRole('textbox', { name: '表示名' }).fill('伊藤 七海');
  await dialog.getByLabel('パスワード').fill('welcome77');
  await dialog.getByRole('button', { name: '追加' }).click();
  await expect(manager.getByRole('row', { name: /伊藤 七海/ })).toContainText('未設定');

  // Without a CTI identity the widget says why CTI login is refused.
  await signIn(page, 'op7', /\/$/, 'welcome77');
  const panel = await openPhone(page);
  await panel.getByRole('button', { name: 'CTIログイン' }).click();
  await expect(panel.getByRole('alert').filter({ hasText: 'CTI IDまたはCTI番号が設定されていません' })).toBeVisible();
  await expect(panel.getByRole('status')).toHaveText('CTI未ログイン');

  const admin = await person(browser, 'admin');
  await admin.getByRole('link', { name: '全体管理' }).click();
  await admin.getByRole('link', { name: 'CTIオペレータ管理' }).click();
  const row = admin.getByRole('row', { name: /伊藤 七海/ });
  await row.getByRole('textbox', { name: 'CTI ID' }).fill('op1');
  await row.getByRole('textbox', { name: 'CTI番号' }).fill('2007');
  await row.getByRole('button', { name: '保存' }).click();
  await expect(row.getByRole('textbox', { name: 'CTI ID' })).toHaveAccessibleDescription('すでに使われています');
  await admin.screenshot({ path: 'screenshots/cti-operators-error.png', fullPage: true });
  await row.getByRole('textbox', { name: 'CTI ID' }).fill('op7');
  await row.getByRole('button', { name: '保存' }).click();
  const identityCell = row.getByRole('cell').filter({ has: admin.getByRole('button', { name: '保存' }) });
  await expect(identityCell.getByRole('status')).toHaveText('保存しました');
  // The SIP password their phone registers with: set, then never shown again.
  const sipCell = row.getByRole('cell').filter({ has: admin.getByRole('button', { name: '設定' }) });
  await sipCell.getByLabel('SIPパスワード').fill('short');
  await sipCell.getByRole('button', { name: '設定' }).click();
  await expect(sipCell.getByLabel('SIPパスワード')).toHaveAccessibleDescription(/8文字以上/);
  await sipCell.getByLabel('SIPパスワード').fill('phone-secret-7');
  await sipCell.getByRole('button', { name: '設定' }).click();
  await expect(sipCell.getByRole('status')).toHaveText('保存しました');
  await expect(sipCell.getByText('設定済み')).toBeVisible();
  await expect(sipCell.getByLabel('SIPパスワード')).toHaveValue('');
  await admin.screenshot({ path: 'screenshots/cti-operators.png', fullPage: true });

  await panel.getByRole('button', { name: 'CTIログイン' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務');
  await panel.getByRole('button', { name: 'CTIログアウト' }).click();
  await expect(panel.getByRole('status')).toHaveText('CTI未ログイン');
});

test('caller numbers are registered in E.164 and offered in the dial dialog', async ({ page, browser }) => {
  const manager = await person(browser, 'manager');
  await manager.getByRole('link', { name: 'サービス管理' }).click();
  await manager.getByRole('link', { name: '電話 › 発信番号管理' }).click();
  await expect(manager.getByRole('heading', { level: 1, name: '発信番号管理' })).toBeVisible();
  const number = manager.getByRole('textbox', { name: '発信番号' });
  await number.fill('03-ABCD');
  await manager.getByRole('textbox', { name: 'ラベル' }).fill('営業');
  await manager.getByRole('button', { name: '追加' }).click();
  await expect(number).toHaveAccessibleDescription('電話番号の形式が正しくありません');
  await number.fill('03-5000-0002');
  await manager.getByRole('button', { name: '追加' }).click();
  await expect(manager.getByRole('row', { name: /03-5000-0002/ })).toContainText('営業');
  await manager.screenshot({ path: 'screenshots/caller-numbers.png', fullPage: true });

  await signIn(page, 'op1');
  const panel = await openPhone(page);
  await panel.getByRole('button', { name: 'CTIログイン' }).click();
  await panel.getByRole('button', { name: 'かける' }).click();
  const dial = panel.getByRole('dialog', { name: '発信' });
  await expect(dial.getByRole('combobox', { name: '発信番号' }).getByRole('option', { name: '03-5000-0002 営業' })).toHaveCount(1);
  await dial.getByRole('button', { name: '閉じる' }).click();
  await panel.getByRole('button', { name: 'CTIログアウト' }).click();

  await manager.getByRole('row', { name: /03-5000-0002/ }).getByRole('button', { name: '削除' }).click();
  await expect(manager.getByRole('row', { name: /03-5000-0002/ })).toHaveCount(0);
});

test('the platform admin turns outbound off and the widget stops offering かける', async ({ page, browser }) => {
  await signIn(page, 'op1');
  const panel = await openPhone(page);
  await panel.getByRole('button', { name: 'CTIログイン' }).click();
  await expect(panel.getByRole('button', { name: 'かける' })).toBeVisible();

  const root = await person(browser, 'root', /\/platform\/contracts$/);
  await expect(root.getByRole('heading', { level: 1, name: 'テナント管理' })).toBeVisible();
  const demo = root.getByRole('row', { name: /デモ株式会社/ });
  await demo.getByRole('checkbox', { name: '電話CTIを使用する – OB' }).uncheck();
  await demo.getByRole('button', { name: '保存' }).click();
  await expect(demo.getByRole('status')).toHaveText('保存しました');
  await root.screenshot({ path: 'screenshots/contracts.png', fullPage: true });
  await expect(panel.getByRole('button', { name: 'かける' })).toHaveCount(0);

  // The tenant admin reads the contract, and who changed it in the audit log.
  const admin = await person(browser, 'admin');
  await admin.getByRole('link', { name: '全体管理' }).click();
  await admin.getByRole('link', { name: '契約' }).click();
  await expect(admin.getByRole('checkbox', { name: '電話CTIを使用する – OB' })).not.toBeChecked();
  await expect(admin.getByRole('checkbox', { name: '電話CTIを使用する – IB' })).toBeChecked();
  await admin.getByRole('link', { name: '全体管理' }).first().click();
  await admin.getByRole('link', { name: '監査ログ' }).click();
  const newest = admin.getByRole('row').nth(1);
  await expect(newest).toContainText('契約の変更');
  await expect(newest).toContainText('プラットフォーム管理者');
  await expect(newest).toContainText('outbound: true → false');
  await admin.screenshot({ path: 'screenshots/audit-log.png', fullPage: true });

  await demo.getByRole('checkbox', { name: '電話CTIを使用する – OB' }).check();
  await demo.getByRole('button', { name: '保存' }).click();
  await expect(panel.getByRole('button', { name: 'かける' })).toBeVisible();
  await panel.getByRole('button', { name: 'CTIログアウト' }).click();
});

test('another tenant sees none of the demo tenant', async ({ page }) => {
  await signIn(page, 'admin2');
  await page.getByRole('link', { name: 'サービス管理' }).click();
  await expect(page.getByRole('region', { name: 'お客様窓口' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'サポートデスク' })).toHaveCount(0);
  await page.goto('/services/1/operators');
  await expect(page.getByRole('alert')).toHaveText('見つかりません');
  await page.goto('/platform/contracts');
  await expect(page.getByRole('alert')).toHaveText('この操作の権限がありません');
});

import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

test('an anonymous visitor is sent to the login page', async ({ page }) => {
  await page.goto('/tickets/1');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await page.screenshot({ path: 'screenshots/login.png' });
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('ユーザー名').fill('op1');
  await page.getByLabel('パスワード').fill('wrong-password');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('alert')).toHaveText('ユーザー名またはパスワードが違います');
  await expect(page).toHaveURL(/\/login$/);
});

test('sign-out ends the session', async ({ page }) => {
  await signIn(page, 'admin');
  // The admin has no phone permission: no widget.
  await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();
  await expect(page.getByRole('button', { name: '電話', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('the chosen language is remembered for the user', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByLabel('表示言語').selectOption('en');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await hydrated(page);
  await page.screenshot({ path: 'screenshots/tickets-en.png' });
  await page.getByLabel('Language').selectOption('ja');
  await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();
});

test('changing one’s password signs the other browsers out, and not this one', async ({ page, browser }) => {
  await signIn(page, 'admin2');
  const elsewhere = await browser.newContext({ locale: 'ja-JP' });
  const other = await elsewhere.newPage();
  await signIn(other, 'admin2');

  await page.getByRole('link', { name: '管理者', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'アカウント' })).toBeVisible();
  await hydrated(page);
  const form = page.getByRole('form', { name: 'パスワード変更' });
  const change = async (current: string, next: string) => {
    await form.getByLabel('現在のパスワード').fill(current);
    await form.getByLabel('新しいパスワード', { exact: true }).fill(next);
    await form.getByLabel('新しいパスワード（確認）').fill(next);
    await form.getByRole('button', { name: '変更' }).click();
  };
  // A wrong current password is refused beside its field, and nothing changes.
  await change('wrong-password', 'new-secret-9');
  await expect(form.getByText('現在のパスワードが違います')).toBeVisible();
  await expect(form.getByLabel('現在のパスワード')).toHaveAttribute('aria-invalid', 'true');
  await other.reload();
  await expect(other).toHaveURL(/\/$/);

  await change('demo1234', 'new-secret-9');
  await expect(form.getByRole('status')).toHaveText('パスワードを変更しました。ほかのログインは終了しました。');
  await page.screenshot({ path: 'screenshots/account-password.png' });
  // The other browser is out at its next page; this one goes on.
  await other.reload();
  await expect(other).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/$/);
  // Only the new password signs in. Then back to the demo's password, for the tests after.
  await signIn(other, 'admin2', /\/$/, 'new-secret-9');
  await page.goto('/account');
  await hydrated(page);
  await change('new-secret-9', 'demo1234');
  await expect(form.getByRole('status')).toHaveText('パスワードを変更しました。ほかのログインは終了しました。');
  await elsewhere.close();
});

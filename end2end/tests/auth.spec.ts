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

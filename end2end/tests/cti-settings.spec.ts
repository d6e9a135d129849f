import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

test('the tenant admin sets the phone behaviour under 全体管理 → CTI管理 → CTI設定', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: '全体管理' }).click();
  await page.getByRole('link', { name: 'CTI設定' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'CTI設定' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'メニューの位置' })).toContainText('全体管理 › CTI管理');

  const ring = page.getByLabel('呼出時間（秒）');
  await expect(ring).toHaveValue('20');
  await ring.fill('0');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('5〜120の整数で入力してください')).toBeVisible();
  await expect(ring).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: 'screenshots/cti-settings-error.png', fullPage: true });

  await ring.fill('30');
  // Presence: how long without an open widget before an agent is away, then logged out.
  const away = page.getByLabel('離席とみなすまで（秒）');
  const logout = page.getByLabel('CTI自動ログアウト（分）');
  await expect(away).toHaveValue('30');
  await expect(logout).toHaveValue('10');
  await away.fill('5');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('10〜600の整数で入力してください')).toBeVisible();
  await expect(away).toHaveAttribute('aria-invalid', 'true');
  await away.fill('45');
  await logout.fill('15');
  // The board's service level: calls answered within how many seconds.
  const level = page.getByLabel('サービスレベルの基準（秒）');
  await expect(level).toHaveValue('20');
  await level.fill('0');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('1〜600の整数で入力してください')).toBeVisible();
  await level.fill('30');
  await expect(page.getByLabel('呼出音のまま待つ（オペレーターが応答するまで応答しない）')).toBeChecked();
  await page.getByLabel('すぐに応答して保留音を流す').check();
  await page.getByRole('combobox', { name: '応答しなかったオペレーター' }).selectOption({ label: '業務に移す' });
  await page.getByLabel('有効（発信したとき作成）').check();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
  await page.screenshot({ path: 'screenshots/cti-settings.png', fullPage: true });

  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('呼出時間（秒）')).toHaveValue('30');
  await expect(page.getByRole('combobox', { name: '応答しなかったオペレーター' })).toHaveValue('busy');
  await expect(page.getByLabel('有効（発信したとき作成）')).toBeChecked();
  await expect(page.getByLabel('離席とみなすまで（秒）')).toHaveValue('45');
  await expect(page.getByLabel('CTI自動ログアウト（分）')).toHaveValue('15');
  await expect(page.getByLabel('すぐに応答して保留音を流す')).toBeChecked();
  await expect(page.getByLabel('サービスレベルの基準（秒）')).toHaveValue('30');

  // Back to the demo's settings, for the tests that follow.
  await page.getByLabel('呼出時間（秒）').fill('20');
  await page.getByRole('combobox', { name: '応答しなかったオペレーター' }).selectOption({ label: '待機のまま' });
  await page.getByLabel('無効（相手が応答したとき作成）').check();
  await page.getByLabel('離席とみなすまで（秒）').fill('30');
  await page.getByLabel('CTI自動ログアウト（分）').fill('10');
  await page.getByLabel('サービスレベルの基準（秒）').fill('20');
  await page.getByLabel('呼出音のまま待つ（オペレーターが応答するまで応答しない）').check();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
});

/** A WAV file of `secs` seconds of `hz`, at 16 kHz in stereo (the browser resamples it). */
function toneWav(hz: number, secs: number): Buffer {
  const rate = 16000, frames = rate * secs, bytes = frames * 4;
  const b = Buffer.alloc(44 + bytes);
  b.write('RIFF', 0); b.writeUInt32LE(36 + bytes, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(2, 22); b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 4, 28); b.writeUInt16LE(4, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(bytes, 40);
  for (let i = 0; i < frames; i++) {
    const s = Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000);
    b.writeInt16LE(s, 44 + i * 4);
    b.writeInt16LE(s, 46 + i * 4);
  }
  return b;
}

test('the tenant admin uploads the hold music of their own and chooses it', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/cti/settings');
  await hydrated(page);
  const music = page.getByRole('combobox', { name: '保留音' });
  const file = page.getByLabel('保留音ファイル');
  const upload = page.getByRole('button', { name: 'アップロード' });

  // Not audio: refused, in words, beside the field.
  await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a recording') });
  await upload.click();
  await expect(page.getByText('1秒から5分までの音声ファイルを選んでください')).toBeVisible();
  await expect(file).toHaveAttribute('aria-invalid', 'true');
  // Nothing chosen: refused too.
  await file.setInputFiles([]);
  await upload.click();
  await expect(page.getByText('入力してください').first()).toBeVisible();

  await file.setInputFiles({ name: 'melody.wav', mimeType: 'audio/wav', buffer: toneWav(440, 3) });
  await upload.click();
  await expect(page.getByRole('status').filter({ hasText: 'アップロードしました。「保存」で保留音に使います。' })).toBeVisible();
  await expect(page.getByText('アップロード済み: melody.wav (0:03)')).toBeVisible();
  await expect(music).toHaveValue('own');
  await expect(music.getByRole('option', { name: 'アップロードした音源 (melody.wav)' })).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/cti-settings-hold-music.png', fullPage: true });
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('combobox', { name: '保留音' })).toHaveValue('own');
  await expect(page.getByText('アップロード済み: melody.wav (0:03)')).toBeVisible();

  // Back to the demo's hold music, for the tests that follow.
  await page.getByRole('combobox', { name: '保留音' }).selectOption({ label: 'クラシック' });
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
});

test('an operator cannot open CTI設定', async ({ page }) => {
  await signIn(page, 'op1');
  await expect(page.getByRole('link', { name: '全体管理' })).toHaveCount(0);
  await page.goto('/admin/cti/settings');
  await expect(page.getByRole('alert')).toHaveText('この操作の権限がありません');
});

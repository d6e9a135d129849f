import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// Each page's code is a piece of the wasm fetched when first shown. A tab left open
// across an upgrade asks for its own build's pieces, which the new server no longer
// has: the page must say so and offer to reload, not load another build's code.
test('a tab left open across an upgrade says the page stopped and reloads into the new build', async ({ page }) => {
  await signIn(page, 'admin');
  const upgraded = /\/pkg\/.*\.wasm$/;
  await page.route(upgraded, (route) => route.fulfill({ status: 404, body: '' }));

  await page.getByRole('link', { name: '全体管理' }).click();
  const notice = page.getByRole('alert').filter({ hasText: '再読み込みしてください' });
  await expect(notice).toBeVisible();
  await page.screenshot({ path: 'screenshots/page-stopped.png' });

  // The reload loads the page afresh, in the new build; from there the page the
  // admin wanted opens as usual.
  await page.unroute(upgraded);
  await notice.getByRole('link', { name: '再読み込み' }).click();
  await expect(notice).toHaveCount(0);
  await hydrated(page);
  await page.getByRole('link', { name: '全体管理' }).click();
  await expect(page.getByRole('heading', { name: '全体管理', level: 1 })).toBeVisible();
});

// The wasm is most of what a page downloads: it is sent compressed, and, as its name
// changes with every build, the browser may keep it until the server is upgraded.
test('the wasm arrives compressed and the browser may keep it until the next build', async ({ page }) => {
  const wasm = page.waitForResponse((r) => /\/pkg\/ringdesk\.[^/]+\.wasm$/.test(r.url()));
  await page.goto('/login');
  const headers = await (await wasm).allHeaders();
  expect(['br', 'gzip']).toContain(headers['content-encoding']);
  expect(headers['cache-control']).toContain('immutable');

  // The page itself names the build's files, so it is never kept that way.
  const html = await page.request.get('/login');
  expect(html.headers()['cache-control'] ?? '').not.toContain('immutable');
});

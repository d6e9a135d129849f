import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// Pages load whole from the server, each in the build it is served by; the phone
// widget's workings and panel are pieces of the wasm fetched after the page. A tab left
// open across an upgrade asks for its own build's pieces, which the new server no
// longer has: the page must say so and offer to reload, not load another build's code.
test('a piece of code the page cannot fetch (a tab left open across an upgrade) says the page stopped and reloads', async ({ page }) => {
  const gone = /\/pkg\/.*phone_widget.*\.wasm$/;
  await page.route(gone, (route) => route.fulfill({ status: 404, body: '' }));
  await signIn(page, 'op1');

  const notice = page.getByRole('alert').filter({ hasText: '再読み込みしてください' });
  await expect(notice).toBeVisible();
  await page.screenshot({ path: 'screenshots/page-stopped.png' });

  // The reload loads the page afresh, in the build the server has; the widget works.
  await page.unroute(gone);
  await notice.getByRole('link', { name: '再読み込み' }).click();
  await expect(notice).toHaveCount(0);
  await hydrated(page);
  await expect(page.getByRole('button', { name: '電話', exact: true })).toBeEnabled();
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

import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { DEMO_SERVICE_NUMBER, goReady, hydrated, openPhone, signIn } from './helpers';
import { heardTones, SipCustomer } from './sip-customer';

// An agent who talks in the browser. Chromium's fake microphone plays a 1,000 Hz tone
// (playwright.config.ts); the simulated customers here hum 440 Hz. Each side's ears
// are checked by the tone they hear: the customer's through /sim, the agent's in the
// phone window, from the <audio> element that plays the call.

const AGENT = 'op2';
const MIC_HZ = 1000;
const CUSTOMER_HZ = 440;

/** A customer calls humming `hz`; answers the call id. */
async function customerHums(request: APIRequestContext, hz: number): Promise<string> {
  const res = await request.post('/sim/calls', {
    data: { from: '+81311112222', to: DEMO_SERVICE_NUMBER, says: { kind: 'tone', hz } },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).call_id;
}

/** What the customer heard in the last second. */
async function customerHeard(request: APIRequestContext, callId: string) {
  return (await (await request.get(`/sim/calls/${callId}`)).json()).heard ?? {};
}

/** The loudest frequency the phone window plays now (`null` when it is quiet). */
async function agentHears(phoneWindow: Page): Promise<number | null> {
  return phoneWindow.evaluate(async () => {
    const audio = document.querySelector('audio');
    const stream = audio?.srcObject as MediaStream | null;
    if (!stream) return null;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(stream).connect(analyser);
    await new Promise((r) => setTimeout(r, 400)); // fill the analyser's window once
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    await context.close();
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    return bins[best] < -70 ? null : Math.round((best * context.sampleRate) / analyser.fftSize);
  });
}

function near(target: number) {
  return (hz: number | null | undefined) => hz != null && Math.abs(hz - target) <= 20;
}

/** How far from `hz` what is heard is (Infinity for silence). */
function offBy(hz: number) {
  return (heard: number | null | undefined) => (heard == null ? Infinity : Math.abs(heard - hz));
}

/** Waits until the agent, in the phone window, hears `hz`. */
async function agentHearsTone(phoneWindow: Page, hz: number) {
  await expect
    .poll(async () => offBy(hz)(await agentHears(phoneWindow)), { timeout: 10_000, message: `the agent hears ${hz} Hz` })
    .toBeLessThanOrEqual(20);
}

/** Waits until the customer hears `hz`. */
async function customerHearsTone(request: APIRequestContext, callId: string, hz: number) {
  await expect
    .poll(async () => offBy(hz)((await customerHeard(request, callId)).tone_hz), {
      timeout: 10_000,
      message: `the customer hears ${hz} Hz`,
    })
    .toBeLessThanOrEqual(20);
}

/** The agent's work during a call: the ticket list, another ticket, and back to the
 * call's ticket; three page loads of the tab. */
async function workAcrossPages(page: Page) {
  const ticketUrl = page.url();
  await page.getByRole('link', { name: 'チケット' }).first().click();
  await expect(page).toHaveURL(/\/$/);
  const links = page.getByRole('table').getByRole('link');
  await expect(links.first()).toBeVisible();
  const own = new URL(ticketUrl).pathname;
  let other = links.first();
  for (const link of await links.all()) {
    if ((await link.getAttribute('href')) !== own) {
      other = link;
      break;
    }
  }
  const otherPath = await other.getAttribute('href');
  await other.click();
  await expect(page).toHaveURL(new RegExp(`${otherPath}$`));
  await hydrated(page);
  await page.goto(ticketUrl);
}

/** Chooses ブラウザ in the panel: the phone window opens and connects. */
async function talkInTheBrowser(page: Page, panel: Locator): Promise<Page> {
  const opened = page.context().waitForEvent('page');
  await panel.getByLabel('通話デバイス').selectOption({ label: 'ブラウザ' });
  const phoneWindow = await opened;
  await expect(phoneWindow).toHaveTitle('ringdesk 電話');
  await expect(phoneWindow.getByRole('status')).toHaveText('音声: 接続済み', { timeout: 10_000 });
  await expect(panel.getByText('音声: 接続済み')).toBeVisible();
  return phoneWindow;
}

// The agent goes back to their desk phone and out of CTI, whatever the test did, so
// that the tests after these find them as the demo left them.
test.afterEach(async ({ page }) => {
  if (!page.url().includes('/tickets') && !page.url().endsWith('/')) return;
  const panel = await openPhone(page);
  const hangUp = panel.getByRole('button', { name: '終話' });
  if (await hangUp.isVisible()) await hangUp.click();
  await panel.getByLabel('通話デバイス').selectOption({ label: 'SIP電話' });
  const status = panel.getByRole('status');
  if ((await status.textContent()) !== 'CTI未ログイン') {
    if ((await status.textContent()) === '待機') await panel.getByRole('button', { name: '業務', exact: true }).click();
    await panel.getByRole('button', { name: 'CTIログアウト' }).click();
    await expect(status).toHaveText('CTI未ログイン');
  }
});

test('the agent talks in the browser: both ways, across pages, and on hold', async ({ page, request }) => {
  await signIn(page, AGENT);
  let panel = await openPhone(page);
  const phoneWindow = await talkInTheBrowser(page, panel);
  await phoneWindow.screenshot({ path: 'screenshots/phone-window.png' });
  panel = await goReady(page);

  const callId = await customerHums(request, CUSTOMER_HZ);
  await panel.getByRole('button', { name: '応答' }).click();
  await expect(page).toHaveURL(/\/tickets\/\d+$/);
  await expect(panel.getByRole('status')).toHaveText('通話中');
  await agentHearsTone(phoneWindow, CUSTOMER_HZ);
  await customerHearsTone(request, callId, MIC_HZ);
  await expect(panel.getByRole('button', { name: 'ミュート' })).toBeVisible();
  await page.screenshot({ path: 'screenshots/widget-browser-audio.png' });

  // The agent works on: the list, another page, back to the ticket. The call's audio
  // lives in the phone window, which no page load touches.
  const before = (await customerHeard(request, callId)).seconds_with_sound;
  await workAcrossPages(page);
  await expect.poll(async () => (await customerHeard(request, callId)).seconds_with_sound, { timeout: 10_000 })
    .toBeGreaterThan(before + 1);
  expect(near(MIC_HZ)((await customerHeard(request, callId)).tone_hz)).toBe(true);
  await agentHearsTone(phoneWindow, CUSTOMER_HZ);
  await expect(phoneWindow.getByRole('status')).toHaveText('音声: 接続済み');

  // ミュート from the widget: the customer hears silence; and back.
  panel = await openPhone(page);
  const mute = panel.getByRole('button', { name: 'ミュート' });
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expect(phoneWindow.getByRole('button', { name: 'ミュート' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await customerHeard(request, callId)).tone_hz ?? null, { timeout: 10_000 }).toBeNull();
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await customerHearsTone(request, callId, MIC_HZ);

  // 保留: the customer hears the hold music, not the agent; the agent hears nothing.
  await panel.getByRole('button', { name: '保留' }).click();
  await expect(panel.getByRole('status')).toHaveText('保留中');
  await expect.poll(async () => {
    const h = await customerHeard(request, callId);
    return h.level_dbfs > -45 && !near(MIC_HZ)(h.tone_hz);
  }, { timeout: 10_000 }).toBe(true);
  await expect.poll(() => agentHears(phoneWindow), { timeout: 10_000 }).toBeNull();
  await panel.getByRole('button', { name: '解除' }).click();
  await customerHearsTone(request, callId, MIC_HZ);
  await panel.getByRole('button', { name: '終話' }).click();
  await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
});

test('an agent whose phone window is closed is not offered calls, and the widget says why', async ({ page, request }) => {
  await signIn(page, AGENT);
  let panel = await openPhone(page);
  const phoneWindow = await talkInTheBrowser(page, panel);
  panel = await goReady(page);
  await phoneWindow.close();
  await expect(panel.getByText('電話ウィンドウが開いていないため、着信は届きません')).toBeVisible({ timeout: 40_000 });
  const callId = await customerHums(request, CUSTOMER_HZ);
  await expect(panel.getByRole('button', { name: '応答' })).toHaveCount(0);
  // 電話ウィンドウを開く: audio is back, and the waiting call is offered.
  const reopened = page.context().waitForEvent('page');
  await panel.getByRole('button', { name: '電話ウィンドウを開く' }).click();
  await expect((await reopened).getByRole('status')).toHaveText('音声: 接続済み', { timeout: 10_000 });
  await expect(panel.getByRole('button', { name: '応答' })).toBeVisible();
  await request.post(`/sim/calls/${callId}/hangup`);
  await expect(panel.getByRole('status')).toHaveText('待機');
});

test('a dropped connection (ringdesk restarting) shows 接続不良 and mends itself without a reload', async ({ page, request }) => {
  const pidFile = process.env.RINGDESK_SERVER_PIDFILE;
  test.skip(!pidFile, 'needs the server loop of .ci/e2e.sh');
  await signIn(page, AGENT);
  let panel = await openPhone(page);
  const phoneWindow = await talkInTheBrowser(page, panel);
  panel = await goReady(page);

  // The server dies (as in a crash) and comes back on the same database.
  const { readFileSync } = await import('node:fs');
  process.kill(Number(readFileSync(pidFile!, 'utf8')), 'SIGKILL');
  await expect(phoneWindow.getByRole('status')).toHaveText('接続不良', { timeout: 20_000 });
  await phoneWindow.screenshot({ path: 'screenshots/phone-window-trouble.png' });
  await expect(phoneWindow.getByRole('status')).toHaveText('音声: 接続済み', { timeout: 40_000 });

  // Neither the tab nor the window was reloaded: the widget's stream came back by
  // itself, the agent is still 待機, and calls reach them again.
  await expect(panel.getByRole('status')).toHaveText('待機', { timeout: 20_000 });
  await expect(panel.getByText('音声: 接続済み')).toBeVisible();
  const callId = await customerHums(request, CUSTOMER_HZ);
  await expect(panel.getByRole('button', { name: '応答' })).toBeVisible({ timeout: 10_000 });
  await request.post(`/sim/calls/${callId}/hangup`);
  await expect(panel.getByRole('status')).toHaveText('待機');
});

// The same agent on a ringdesk that talks SIP (.ci/e2e.sh starts it beside the first,
// with the carrier's trunk at 127.0.0.1): a customer calls through the carrier.
test.describe('with a carrier', () => {
  const sipUrl = process.env.RINGDESK_SIP_URL;
  const sipAddr = process.env.RINGDESK_SIP_ADDR;
  test.use({ baseURL: sipUrl });

  test('a customer calling through the carrier is answered in the browser, and each hears the other', async ({ page }) => {
    expect(sipUrl && sipAddr, 'the SIP server of .ci/e2e.sh (RINGDESK_SIP_URL, RINGDESK_SIP_ADDR)').toBeTruthy();
    await signIn(page, AGENT);
    let panel = await openPhone(page);
    const phoneWindow = await talkInTheBrowser(page, panel);
    panel = await goReady(page);

    const customer = await SipCustomer.calls(DEMO_SERVICE_NUMBER, sipAddr!, CUSTOMER_HZ);
    try {
      await panel.getByRole('button', { name: '応答' }).click({ timeout: 15_000 });
      await expect(page).toHaveURL(/\/tickets\/\d+$/);
      await customer.saysInLog('Call established');
      await agentHearsTone(phoneWindow, CUSTOMER_HZ);

      // The list, another ticket and back: the audio carries on in the phone window.
      await workAcrossPages(page);
      await agentHearsTone(phoneWindow, CUSTOMER_HZ);

      panel = await openPhone(page);
      // Talked for at least four seconds (the widget's timer says so), then 終話.
      await expect(panel.getByRole('timer')).toHaveText(/^00:(0[4-9]|[1-5]\d)$/, { timeout: 10_000 });
      await panel.getByRole('button', { name: '終話' }).click();
      await expect(panel.getByRole('status')).toHaveText('業務(チケット処理)');
      // The customer heard the agent's microphone (G.711 on the trunk, Opus to the
      // browser): at least two seconds of it, in quarter seconds.
      const heard = heardTones(await customer.heardWhenDone(), [CUSTOMER_HZ, MIC_HZ]);
      expect(heard.filter((hz) => hz === MIC_HZ).length, `the customer heard: ${heard.join(' ')}`).toBeGreaterThanOrEqual(8);
    } finally {
      await customer.stop();
    }
  });
});

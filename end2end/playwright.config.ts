import { defineConfig } from '@playwright/test';

// The server is started by .ci/e2e.sh (release build, fresh database, free port) and
// its address handed over in RINGDESK_URL.
const baseURL = process.env.RINGDESK_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  // Tests share one server and its agents: they run one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: 'playwright-report/results.json' }]],
  outputDir: './test-results',
  use: {
    baseURL,
    locale: 'ja-JP',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // The phone window's microphone: Chromium's fake device, playing a file of a
        // 1,000 Hz tone (.ci/e2e.sh makes it), allowed without asking.
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        ...(process.env.RINGDESK_FAKE_MIC ? [`--use-file-for-fake-audio-capture=${process.env.RINGDESK_FAKE_MIC}`] : []),
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
});

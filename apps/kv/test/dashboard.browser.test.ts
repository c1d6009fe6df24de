import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../src/demo/supervisor.js';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let demo: RunningDemo;
let dataDir: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  dataDir = await mkdtemp(join(tmpdir(), 'raft-kv-dashboard-'));
  demo = await startDemo({ nodes: 3, transport: 'zmq', storage: 'file', dataDir, dashboardPort: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The leader the dashboard shows, once it shows one. */
async function shownLeader(notThis?: string): Promise<string> {
  const summary = page.locator('#summary');
  // Runs in the page: the summary line carries the leader's id in data-leader.
  await page.waitForFunction(
    `(() => { const leader = document.getElementById('summary')?.dataset.leader; return !!leader && leader !== ${JSON.stringify(notThis ?? '')}; })()`,
    undefined,
    { timeout: 20_000 },
  );
  return (await summary.getAttribute('data-leader'))!;
}

describe('the demo dashboard, in a real browser', () => {
  it('shows a leader, kills it with its button, shows a new leader, then writes and reads a key', async () => {
    await page.goto(demo.dashboardUrl);
    const first = await shownLeader();
    await expect(page.locator(`article[data-id="${first}"]`).getAttribute('data-role')).resolves.toBe('leader');

    await page.locator(`article[data-id="${first}"] button[data-action="kill"]`).click();
    const second = await shownLeader(first);
    expect(second).not.toBe(first);
    await page.waitForSelector(`article[data-id="${first}"][data-role="down"]`, { timeout: 10_000 });

    await page.fill('#key', 'from-the-browser');
    await page.fill('#value', 'it works');
    await page.click('#put');
    await page.waitForFunction(`document.getElementById('kv-result')?.textContent?.startsWith('PUT → 200')`, undefined, { timeout: 10_000 });
    await page.click('#get');
    await page.waitForFunction(`document.getElementById('kv-result')?.textContent === 'GET → 200 it works'`, undefined, { timeout: 10_000 });

    await page.locator(`article[data-id="${first}"] button[data-action="restart"]`).click();
    await page.waitForSelector(`article[data-id="${first}"][data-role="follower"]`, { timeout: 20_000 });
  }, 90_000);
});

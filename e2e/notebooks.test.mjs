// ParKit's notebooks in a real browser, as a user meets them: JupyterLab in Debian's Chromium,
// driven by playwright-core, each notebook opened and run with Run > Run All Cells on the
// "Java (ParKit)" kernel. Then the page must show what the notebook promises: progress bars that
// reached 100% and the squares in 01, a chart image in 02.
//
// scripts/browser-test starts the server and runs this; by hand:
//   PARKIT_LAB_URL=http://127.0.0.1:8888 PARKIT_LAB_TOKEN=... node --test notebooks.test.mjs
// Screenshots go to e2e/screenshots/ (PARKIT_SCREENSHOTS overrides); CHROMIUM overrides the
// browser binary. Tools that download a browser of their own are not used: it comes from Debian.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const LAB_URL = process.env.PARKIT_LAB_URL;
const TOKEN = process.env.PARKIT_LAB_TOKEN ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.PARKIT_SCREENSHOTS ?? fileURLToPath(new URL('./screenshots/', import.meta.url));
const KERNEL = 'Java (ParKit)';
const RUN_TIMEOUT = 8 * 60_000; // ms for a whole notebook, kernel start included

let browser;

before(async () => {
  assert.ok(LAB_URL, 'set PARKIT_LAB_URL (and PARKIT_LAB_TOKEN) to a running JupyterLab; scripts/browser-test does');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // As root in a container, on a machine whose only network is loopback: no sandbox, no GPU,
    // and none of Chromium's own background connections.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
});

/** GET on the server's REST API: {status, body}. */
async function api(page, path) {
  const res = await page.request.get(`${LAB_URL}/api/${path}`, { headers: { Authorization: `token ${TOKEN}` } });
  return { status: res.status(), body: res.ok() ? await res.json() : null };
}

/** The notebook file as the server has it (contents API); fails when it is missing. */
async function notebookFile(page, name) {
  const { status, body } = await api(page, `contents/${encodeURIComponent(name)}?content=1`);
  assert.equal(status, 200, `notebooks/${name} must exist (GET /api/contents/${name})`);
  return body.content;
}

/** Polls `check` (async, truthy when done) every 250 ms until `ms` have passed; returns its last value. */
async function poll(check, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Opens `name` (relative to the server's root) in a fresh workspace of a new page, once its
 * kernel name shows; returns the page and the number of code cells in the file.
 */
async function openNotebook(name) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  const codeCells = (await notebookFile(page, name)).cells.filter((c) => c.cell_type === 'code').length;
  const workspace = name.replace(/\W/g, '-');
  const query = new URLSearchParams({ token: TOKEN, reset: '' });
  await page.goto(`${LAB_URL}/lab/workspaces/${workspace}/tree/${encodeURIComponent(name)}?${query}`);
  await page.locator('.jp-NotebookPanel .jp-Notebook').first().waitFor();
  await page.locator('.jp-NotebookPanel-toolbar .jp-KernelName', { hasText: KERNEL }).first().waitFor();
  // Ready for Run All once this page holds a websocket to the notebook's kernel: earlier, while
  // JupyterLab still restores its layout, the menu command can find no current notebook.
  const connected = await poll(async () => (await api(page, 'sessions')).body
    ?.some((s) => s.path === name && s.kernel?.connections > 0), 120_000);
  assert.ok(connected, `no kernel connected for ${name} within 120 s`);
  return { page, codeCells };
}

/** The execution prompts of the notebook's code cells, e.g. ['[1]:', '[*]:', '[ ]:']. */
function prompts(page) {
  return page.locator('.jp-Notebook .jp-CodeCell .jp-InputPrompt').evaluateAll(
    (els) => els.map((e) => e.textContent.trim()));
}

/** Clicks a menu bar entry, then an item of its menu, by their exact labels. */
async function menu(page, title, item) {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${title}$`) }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }).click();
}

/** Whether any code cell is queued or running ([*]). */
function anyQueued(page) {
  return page.evaluate(() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .some((e) => e.textContent.includes('*')));
}

/**
 * Run > Run All Cells, then waits until the kernel is idle with nothing queued. Fails when a
 * cell was left without an execution count, or (read back from the file, after File > Save,
 * since an error and a stderr stream look alike on the page) when a cell has an error output:
 * JJava does not abort the queue on an error, so Run All goes on past one.
 */
async function runAllCells(page, name, expected) {
  // Queued cells show [*] at once, even while the kernel is still starting; a click that came too
  // early does nothing, and is repeated.
  let started = false;
  for (let attempt = 1; attempt <= 3 && !started; attempt++) {
    await menu(page, 'Run', 'Run All Cells');
    started = await poll(() => anyQueued(page), 10_000);
  }
  assert.ok(started, 'Run > Run All Cells queued no cell');
  await page.waitForFunction(() => {
    const status = document.querySelector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator');
    const queued = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
      .some((e) => e.textContent.includes('*'));
    return status?.getAttribute('data-status') === 'idle' && !queued;
  }, null, { timeout: RUN_TIMEOUT, polling: 250 });

  const shown = await prompts(page);
  assert.equal(shown.length, expected, `the page shows ${shown.length} code cells, the file has ${expected}`);
  assert.ok(shown.every((p) => /^\[\d+\]:$/.test(p)), `not every cell ran: prompts ${shown.join(' ')}`);
  assert.equal(await page.locator('.jp-NotebookPanel-toolbar .jp-KernelName').first().textContent(), KERNEL);

  await menu(page, 'File', 'Save Notebook');
  const saved = await poll(async () => {
    // While the server writes the file a read can fail (500): ask again.
    const { status, body } = await api(page, `contents/${encodeURIComponent(name)}?content=1`);
    if (status !== 200) return false;
    const cells = body.content.cells.filter((c) => c.cell_type === 'code');
    return cells.every((c) => c.execution_count !== null) && cells;
  }, 30_000);
  assert.ok(saved, 'File > Save Notebook saved no execution counts within 30 s');
  const errors = saved.flatMap((c) => c.outputs.filter((o) => o.output_type === 'error')
    .map((o) => `[${c.execution_count}] ${c.source.split('\n')[0]}\n  --> ${o.ename}: ${o.evalue}`));
  assert.equal(errors.length, 0, `cells failed:\n${errors.join('\n')}`);
}

/** The progress bars the page shows, as {status, classes, text}. */
function progressBars(page) {
  return page.locator('.jp-OutputArea-output .parkit-progress').evaluateAll((els) => els.map((e) => ({
    status: e.dataset.status, classes: e.className, text: e.textContent.replace(/\s+/g, ' ').trim(),
  })));
}

test('notebook 01: Run All shows [0, 1, 4, 9, 16] and progress bars that reach 100%', { timeout: RUN_TIMEOUT + 60_000 }, async (t) => {
  const name = '01-square-a-list.ipynb';
  const { page, codeCells } = await openNotebook(name);

  // A screenshot of the first bar seen moving. Its cells take about a second each, so the test
  // tries, and says so when it missed; the outcome does not depend on it.
  const moving = page.locator('.parkit-progress[data-status="running"]').first()
    .waitFor({ state: 'attached', timeout: RUN_TIMEOUT })
    .then(async () => {
      // Each update replaces the bar's element, so find it and scroll its cell into view in one go.
      const before = await page.evaluate(() => {
        const bar = document.querySelector('.parkit-progress[data-status="running"]');
        bar?.closest('.jp-Cell')?.scrollIntoView({ block: 'center' });
        return bar?.textContent.replace(/\s+/g, ' ').trim();
      });
      await page.screenshot({ path: join(SHOTS, '01-progress-running.png') });
      const still = await page.locator('.parkit-progress[data-status="running"]').count();
      return before && `${before}${still ? '' : ' (it may have finished by the time of the shot)'}`;
    })
    .catch((e) => `none: ${e.message.split('\n')[0]}`);

  await runAllCells(page, name, codeCells);

  // A bar that never showed up leaves `moving` waiting: give it a moment to finish a shot, no more.
  const caught = await Promise.race([moving, new Promise((resolve) => setTimeout(resolve, 5_000, null))]);
  t.diagnostic(`screenshot of a moving bar: ${caught ?? 'none caught (the cells were too quick)'}`);

  const bars = await progressBars(page);
  assert.equal(bars.length, 3, `three progress bars (slow squares, summing, plain loop), got ${JSON.stringify(bars)}`);
  for (const bar of bars) {
    assert.equal(bar.status, 'done', JSON.stringify(bar));
    assert.match(bar.classes, /\bparkit-done\b/, JSON.stringify(bar));
    assert.match(bar.text, /100%/, JSON.stringify(bar));
  }
  for (const label of ['slow squares', 'summing', 'plain loop']) {
    assert.ok(bars.some((b) => b.text.includes(label)), `a bar labelled ${label}: ${JSON.stringify(bars)}`);
  }

  const outputs = (await page.locator('.jp-OutputArea-output').allTextContents()).map((s) => s.trim());
  assert.ok(outputs.includes('[0, 1, 4, 9, 16]'), `an output [0, 1, 4, 9, 16]; outputs: ${JSON.stringify(outputs)}`);
  assert.ok(outputs.some((s) => s.includes('same results, bit for bit: true')), 'the speed-up cell ran to its end');

  await page.locator('.parkit-progress').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, '01-done.png') });
  await page.close();
});

test('notebook 02: Run All draws the speed-up chart', { timeout: RUN_TIMEOUT + 60_000 }, async () => {
  const name = '02-speedup-vs-cores.ipynb';
  const { page, codeCells } = await openNotebook(name);
  await runAllCells(page, name, codeCells);

  const images = page.locator('.jp-OutputArea-output img');
  assert.ok(await images.count() >= 1, 'an image in an output area');
  const chart = images.first();
  await chart.scrollIntoViewIfNeeded();
  // Decoded and laid out: a data: PNG that failed to decode has naturalWidth 0.
  await page.waitForFunction((img) => img.complete, await chart.elementHandle());
  const size = await chart.evaluate((img) => ({
    natural: [img.naturalWidth, img.naturalHeight], shown: [img.clientWidth, img.clientHeight],
    type: img.src.slice(0, 22),
  }));
  assert.ok(size.natural[0] > 0 && size.natural[1] > 0, `the chart decoded: ${JSON.stringify(size)}`);
  assert.ok(size.shown[0] > 0 && size.shown[1] > 0, `the chart is laid out: ${JSON.stringify(size)}`);
  assert.equal(size.type, 'data:image/png;base64,', 'a PNG output');

  await page.screenshot({ path: join(SHOTS, '02-chart.png') });
  await page.close();
});

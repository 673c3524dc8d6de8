// ParKit's notebooks in a real browser, as a user meets them: JupyterLab in Debian's Chromium,
// driven by playwright-core. On each kernel (JJava "Java (ParKit)" and IJava "Java (IJava +
// ParKit)", when the server has it), every notebook of NOTEBOOKS (01 to 05 and 07) is opened and run
// with Run > Run All Cells, and the page must then show the notebook's key outputs: the lines it
// prints, its progress bars finished, its charts decoded, its tables. Notebook 06 is run and
// checked so once, on "Java (ParKit + Spark)" only, against the real standalone cluster whose master URL the
// server's kernels get as PARKIT_SPARK_MASTER; notebook 08 once, on "Java (ParKit + Spark
// Connect)" only, through that cluster's Spark Connect server, whose URL they get as
// PARKIT_CONNECT_URL. Then, per kernel (not the Spark one), a long
// pmap with a bar is stopped with JupyterLab's stop button: the kernel must be idle within 2 s,
// the next cell must run at full speed, and the bar must turn "interrupted" within 2 s.
//
// Each notebook runs as a copy in a folder named after the kernel (jjava/, ijava/, spark/) whose
// metadata names that kernel, so JupyterLab starts it as a user who picked the kernel would.
//
// scripts/browser-test starts the server (and a cluster) and runs this; by hand:
//   PARKIT_LAB_URL=http://127.0.0.1:8888 PARKIT_LAB_TOKEN=... PARKIT_SPARK_MASTER=spark://... \
//     node --test notebooks.test.mjs
// where the server was started with the same PARKIT_SPARK_MASTER. Without it (or with
// PARKIT_SPARK_SKIP=reason) the 06 test is skipped, saying why, and fails when CI=true;
// PARKIT_SPARK_ERROR=reason fails it. PARKIT_BROWSER_KERNELS=jjava (or ijava, or spark: notebook
// 06 only, or connect: notebook 08 only; comma-separated) runs those kernels only. Screenshots go to e2e/screenshots/
// (PARKIT_SCREENSHOTS overrides), named KERNEL-NN-what.png; CHROMIUM overrides the browser
// binary. Tools that download a browser of their own are not used: it comes from Debian.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const LAB_URL = process.env.PARKIT_LAB_URL;
const TOKEN = process.env.PARKIT_LAB_TOKEN ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.PARKIT_SCREENSHOTS ?? fileURLToPath(new URL('./screenshots/', import.meta.url));
const RUN_TIMEOUT = 8 * 60_000; // ms for a whole notebook, kernel start included
const STOP_WITHIN = 2_000; // ms from the stop button to the bar's interrupted state and an idle kernel

// Both kernels end an interrupted cell as soon as they have interrupted its thread, so ParKit's
// "interrupted" drawing may come just after the cell's end; ParKit sends it as a message of the
// interrupted cell, which JupyterLab applies to that cell's bar by display id.
const KERNELS = [
  { id: 'jjava', spec: 'parkit', display: 'Java (ParKit)' },
  { id: 'ijava', spec: 'ijava-parkit', display: 'Java (IJava + ParKit)' },
  // JJava with Spark's jars: `own`, it runs only the notebooks that name it, and no stop test.
  { id: 'spark', spec: 'parkit-spark', display: 'Java (ParKit + Spark)', own: true },
  // The Spark Connect client and no Spark driver: `own` too, for notebook 08.
  { id: 'connect', spec: 'parkit-spark-connect', display: 'Java (ParKit + Spark Connect)', own: true },
];

// What each notebook must show once Run All is done; a new notebook is one more entry.
//   kernel:  the id of the one kernel it runs on (default: each kernel of KERNELS not `own`);
//   bars:    the labels of its progress bars, each ended "done" (full: also at 100%; done: that
//            many items done);
//   exact:   outputs whose whole text must be this;
//   texts:   patterns that some output must match;
//   images:  how many PNG outputs must have decoded;
//   tables:  for each HTML table, its header cells and (optional) the first column of its rows;
//   shot:    what the screenshot centres on (a CSS selector; default the last output).
const NOTEBOOKS = [
  {
    file: '01-square-a-list.ipynb',
    bars: [{ label: 'slow squares', full: true }, { label: 'summing', full: true }, { label: 'plain loop', full: true }],
    exact: ['[0, 1, 4, 9, 16]'],
    texts: [/^0\s+1\s+4\s+9\s+16$/, /sum of squares: 2470/, /done 20\/20/,
      /speed-up \d+\.\d\dx on \d+ cores/, /same results, bit for bit: true/],
    shot: '.parkit-progress',
  },
  {
    file: '02-speedup-vs-cores.ipynb',
    bars: [{ label: 'slow(x)' }],
    texts: [/available cores: \d+/, /serial == parallel: true, bit for bit: true/,
      /parallel fraction p = [01]\.\d{3} \(Amdahl fit on 2\.\.\d+ workers; from [01]\.\d{3} to [01]\.\d{3} over the rounds\)/, /predicted speedup on 32 cores: none \(the measurements cannot support it\)/],
    images: 1,
    tables: [{
      header: ['run', 'workers', 'median ms', 'min ms', 'max ms', 'speedup', 'min speedup', 'max speedup',
        'efficiency', 'Karp-Flatt serial fraction', 'cores busy'],
      // first column: the serial loop, pmap at 1, 2, 4 and 8 workers, each with bare threads as
      // many as the cores (this machine's: the server and its kernels run here)
      rows: ['serial loop', 'pmap', ...[2, 4, 8].flatMap((n) => (n <= availableParallelism() ? ['pmap', 'bare threads'] : ['pmap']))],
    }],
    shot: '.jp-OutputArea-output img',
  },
  {
    file: '03-worker-initializer.ipynb',
    texts: [/^hello world #[0-9a-f]{4}/m, /sessions created: [12], closed: [12]/,
      /results: 5000 \+ 5000, identical: true/, /after close, sessions closed: \d+/,
      /times a session was used by two threads at once: 0/],
  },
  {
    file: '04-producer-consumer.ipynb',
    bars: [{ label: 'pipeline' }],
    exact: ['jobs produced: 60, results consumed: 60', 'every job exactly once: true'],
    shot: '.parkit-progress',
  },
  {
    file: '05-io-bound.ipynb',
    texts: [/96 images at http:\/\/127\.0\.0\.1:\d+\/img\/, 50 ms each/, /cpu pool\s+\d+ workers:/,
      /io mode\s+128 workers:\s+[\d.]+ s/, /server stopped/],
    images: 1,
    shot: '.jp-OutputArea-output img',
  },
  {
    // As tests/test_notebook_06.py checks it. The first cluster call waits for the executor JVMs
    // (up to about 50 s on a busy machine), well inside RUN_TIMEOUT.
    file: '06-scale-out.ipynb',
    kernel: 'spark',
    bars: [{ label: 'slow, on the cluster', full: true, done: 64 }], // PARKIT_QUICK: 64 items
    texts: [/^master: spark:\/\//m, /^\[0, 1, 4, 9, 16, 25, 36, 49, 64, 81\]$/m,
      // the executors that squared it are other JVMs than the kernel: no executor pid is its pid
      /this kernel: (\d+)@\S+\s+executors:\s+\[(?![^\]]*\b\1@)[^\]]*\d+@/,
      /same as local: true/, /Reading\[sensor=a, value=1\.5\]/, /same results: true/,
      // a per-item timeout and per-worker state, on the cluster
      /^\[0, 10, 20, null, 40, 50\]$/m, /item 3 \(3\): java\.util\.concurrent\.TimeoutException: ran longer than the timeout of 500 ms/,
      /^\[ca978112ca1b, 3e23e8160039, 2e7d2c03a950\]$/m,
      /per-call overhead of the cluster \(median of 5 tiny calls\): \d+ ms/, /beats/],
    shot: '.parkit-progress',
  },
  {
    // As tests/test_spark_connect.py checks it: the same calls through the Spark Connect server
    // whose sc:// URL the server's kernels get as PARKIT_CONNECT_URL.
    file: '08-spark-connect.ipynb',
    kernel: 'connect',
    texts: [/^Spark Connect server: sc:\/\//m, /^connected in [\d.]+ s: ConnectCluster\[sc:\/\//m,
      /Reading\[sensor=a, value=1\.5\], Reading\[sensor=b, value=3\.0\], Reading\[sensor=c, value=4\.5\]/,
      /same as local: true/,
      // the executors are other JVMs than the kernel: no executor pid is its pid
      /this kernel: (\d+), executors:\s+\[(?![^\]]*\b\1@)[^\]]*\d+@/,
      /item 3 \(3\) failed: java\.lang\.ArithmeticException: \/ by zero/],
  },
  {
    // As tests/test_notebooks_experiments.py checks it: a table's 24 rows mapped with a bar, the
    // table shown with the results as a new column (each next to its own city), the refusal of
    // a list holding the table's one moving Row.
    file: '07-table-rows.ipynb',
    bars: [{ label: 'distances', full: true, done: 24 }],
    texts: [/^24 cities, columns \[city, country, lat, lon\]$/, /^same as a serial loop: true$/,
      /km from London\s+\|[\s\S]*^\s*Paris\s+\|\s+France\s+\|.*\|\s+344\s+\|$/m,
      /^xs holds the same Row object at items 0 and 1: a Tablesaw Row is a cursor/],
    shot: '.parkit-progress',
  },
];

// The long pmaps the stop button must stop: Thread.sleep per item (interruptible), and a loop on
// the CPU that never looks at its interrupt flag. `todo` marks a known gap: node runs the test and
// reports it, but its failure does not fail the run.
const STOP_CASES = [
  {
    id: 'sleeping',
    code: 'ParFunction<Integer, Integer> nap = x -> { Thread.sleep(50); return x; };\n'
      + 'pmap(nap, range(2_000), options().workers(2).progress("long nap"))',
  },
  {
    id: 'spinning',
    code: 'ParFunction<Integer, Integer> spin = x -> {\n'
      + '    long end = System.nanoTime() + 5_000_000; // 5 ms of CPU, deaf to interrupts\n'
      + '    while (System.nanoTime() < end) { }\n'
      + '    return x;\n'
      + '};\n'
      + 'pmap(spin, range(100_000), options().workers(2).progress("long spin"))',
    // The engine waits up to a second for such items after the stop and retires the workers of
    // any still running, so the next cell runs at full speed either way.
  },
];
// Runs after the stopped cell: 8 naps of 100 ms on 4 workers take 200 ms at full speed, and
// 800 ms or more if one worker, or workers still busy with the stopped pmap, did them.
const NEXT_CELL = 'ParFunction<Integer, Integer> nap100 = x -> { Thread.sleep(100); return x; };\n'
  + 'long t0 = System.nanoTime();\n'
  + 'List<Integer> back = pmap(nap100, range(8), options().workers(4));\n'
  + 'System.out.println("next cell: " + back + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");';

const headers = { Authorization: `token ${TOKEN}` };

/**
 * The kernels to test: those the server has, of those PARKIT_BROWSER_KERNELS names (default all),
 * each with `skip` (a reason) or, for the Spark kernel when it cannot run, `fail` (a reason; in
 * CI a missing Spark fails, elsewhere it is skipped).
 */
async function kernelsToTest() {
  const wanted = (process.env.PARKIT_BROWSER_KERNELS ?? KERNELS.map((k) => k.id).join(',')).split(',');
  let specs = {};
  if (LAB_URL) {
    const res = await fetch(`${LAB_URL}/api/kernelspecs`, { headers });
    specs = res.ok ? (await res.json()).kernelspecs : {};
  }
  const env = process.env;
  return KERNELS.map((k) => {
    if (!wanted.includes(k.id)) return { ...k, skip: `not in PARKIT_BROWSER_KERNELS=${env.PARKIT_BROWSER_KERNELS}` };
    if (k.id === 'connect') {
      if (env.PARKIT_SPARK_ERROR) return { ...k, fail: `no Spark Connect for notebook 08: ${env.PARKIT_SPARK_ERROR}` };
      const missing = env.PARKIT_SPARK_SKIP
        ?? (!specs[k.spec] ? `the server has no ${k.spec} kernelspec (scripts/build-connect, then scripts/install-kernel --connect)`
          : !env.PARKIT_CONNECT_URL ? 'no PARKIT_CONNECT_URL (scripts/spark-cluster start --connect prints one; the server needs it too)'
            : null);
      if (missing) return { ...k, [env.CI === 'true' ? 'fail' : 'skip']: `no Spark Connect for notebook 08: ${missing}` };
      return { ...k, skip: false };
    }
    if (k.id === 'spark') {
      if (env.PARKIT_SPARK_ERROR) return { ...k, fail: `no Spark for notebook 06: ${env.PARKIT_SPARK_ERROR}` };
      const missing = env.PARKIT_SPARK_SKIP
        ?? (!specs[k.spec] ? `the server has no ${k.spec} kernelspec (scripts/spark-env, then scripts/install-kernel)`
          : !env.PARKIT_SPARK_MASTER ? 'no PARKIT_SPARK_MASTER (scripts/spark-cluster start prints one; the server needs it too)'
            : null);
      if (missing) return { ...k, [env.CI === 'true' ? 'fail' : 'skip']: `no Spark for notebook 06: ${missing}` };
      return { ...k, skip: false };
    }
    return {
      ...k,
      skip: !specs[k.spec] ? `the server has no ${k.spec} kernelspec (scripts/install-kernel --ijava installs it)` : false,
    };
  });
}

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

/** A call to the server's REST API: {status, body}. */
async function api(page, path, method = 'GET', data = undefined) {
  const res = await page.request.fetch(`${LAB_URL}/api/${path}`, { method, headers, data });
  const json = res.ok() && res.status() !== 204 ? await res.json() : null;
  return { status: res.status(), body: json };
}

const contentsPath = (path) => `contents/${path.split('/').map(encodeURIComponent).join('/')}`;

/** Saves `nb` as `path` on the server, its metadata naming `kernel`'s kernelspec. */
async function putNotebook(page, path, nb, kernel) {
  const folder = path.split('/').slice(0, -1).join('/');
  if (folder) await api(page, contentsPath(folder), 'PUT', { type: 'directory' });
  nb.metadata.kernelspec = { name: kernel.spec, display_name: kernel.display, language: 'java' };
  const { status } = await api(page, contentsPath(path), 'PUT', { type: 'notebook', format: 'json', content: nb });
  assert.ok(status === 200 || status === 201, `PUT /api/${contentsPath(path)} answered ${status}`);
}

/** A copy of notebooks/`file` in the folder of `kernel`, set to that kernel; returns its path. */
async function copyForKernel(page, file, kernel) {
  const { status, body } = await api(page, `${contentsPath(file)}?content=1`);
  assert.equal(status, 200, `notebooks/${file} must exist (GET /api/contents/${file})`);
  const path = `${kernel.id}/${file}`;
  await putNotebook(page, path, body.content, kernel);
  return { path, codeCells: body.content.cells.filter((c) => c.cell_type === 'code').length };
}

/** Shuts down the kernel of `path`'s session, if any: the next notebook gets the CPU. */
async function shutDown(page, path) {
  const { body } = await api(page, 'sessions');
  for (const s of body ?? []) {
    if (s.path === path) await api(page, `sessions/${s.id}`, 'DELETE');
  }
}

/** Polls `check` (async, truthy when done) every `every` ms until `ms` have passed; returns its last value. */
async function poll(check, ms, every = 250) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Opens `path` in a fresh workspace of a new page, once `kernel` shows and is connected. */
async function openNotebook(path, kernel) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  const workspace = path.replace(/\W/g, '-');
  const query = new URLSearchParams({ token: TOKEN, reset: '' });
  await page.goto(`${LAB_URL}/lab/workspaces/${workspace}/tree/${path.split('/').map(encodeURIComponent).join('/')}?${query}`);
  await page.locator('.jp-NotebookPanel .jp-Notebook').first().waitFor();
  await page.locator('.jp-NotebookPanel-toolbar .jp-KernelName', { hasText: kernel.display }).first().waitFor();
  // Ready to run once this page holds a websocket to the notebook's kernel: earlier, while
  // JupyterLab still restores its layout, the menu command can find no current notebook.
  const connected = await poll(async () => (await api(page, 'sessions')).body
    ?.some((s) => s.path === path && s.kernel?.name === kernel.spec && s.kernel?.connections > 0), 120_000);
  assert.ok(connected, `no ${kernel.spec} kernel connected for ${path} within 120 s`);
  return page;
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

/** Whether the kernel is idle with no cell queued or running. */
function idle(page) {
  return page.evaluate(() => {
    const status = document.querySelector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator');
    const queued = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
      .some((e) => e.textContent.includes('*'));
    return status?.getAttribute('data-status') === 'idle' && !queued;
  });
}

/**
 * Run > Run All Cells, then waits until the kernel is idle with nothing queued. Fails when a
 * cell was left without an execution count, or (read back from the file, after File > Save,
 * since an error and a stderr stream look alike on the page) when a cell has an error output:
 * the kernels do not abort the queue on an error, so Run All goes on past one.
 */
async function runAllCells(page, path, expected, kernel) {
  // Queued cells show [*] at once, even while the kernel is still starting; a click that came too
  // early does nothing, and is repeated.
  let started = false;
  for (let attempt = 1; attempt <= 3 && !started; attempt++) {
    await menu(page, 'Run', 'Run All Cells');
    started = await poll(() => anyQueued(page), 10_000);
  }
  assert.ok(started, 'Run > Run All Cells queued no cell');
  assert.ok(await poll(() => idle(page), RUN_TIMEOUT), `the cells still ran after ${RUN_TIMEOUT / 1000} s`);

  const shown = await prompts(page);
  assert.equal(shown.length, expected, `the page shows ${shown.length} code cells, the file has ${expected}`);
  assert.ok(shown.every((p) => /^\[\d+\]:$/.test(p)), `not every cell ran: prompts ${shown.join(' ')}`);
  assert.equal(await page.locator('.jp-NotebookPanel-toolbar .jp-KernelName').first().textContent(), kernel.display);

  // A menu click on a busy machine can be lost: after 30 s without the file, close any dialog
  // (two saves in flight can make JupyterLab report a failed rename) and save once more.
  let saved = false;
  for (let attempt = 1; attempt <= 3 && !saved; attempt++) {
    if (attempt > 1) await page.keyboard.press('Escape');
    await menu(page, 'File', 'Save Notebook');
    saved = await poll(async () => {
      // While the server writes the file a read can fail (500): ask again.
      const { status, body } = await api(page, `${contentsPath(path)}?content=1`);
      if (status !== 200) return false;
      const cells = body.content.cells.filter((c) => c.cell_type === 'code');
      return cells.every((c) => c.execution_count !== null) && cells;
    }, 30_000);
  }
  assert.ok(saved, 'File > Save Notebook saved no execution counts in 3 tries of 30 s');
  const errors = saved.flatMap((c) => c.outputs.filter((o) => o.output_type === 'error')
    .map((o) => `[${c.execution_count}] ${c.source.split('\n')[0]}\n  --> ${o.ename}: ${o.evalue}`));
  assert.equal(errors.length, 0, `cells failed:\n${errors.join('\n')}`);
}

/** The progress bars the page shows, as {status, done, classes, text}. */
function progressBars(page) {
  return page.locator('.jp-OutputArea-output .parkit-progress').evaluateAll((els) => els.map((e) => ({
    status: e.dataset.status, done: e.dataset.done, classes: e.className, text: e.textContent.replace(/\s+/g, ' ').trim(),
  })));
}

/** Checks what `spec` (an entry of NOTEBOOKS) says the page must show. */
async function checkKeyOutputs(page, spec) {
  const outputs = (await page.locator('.jp-OutputArea-output').allTextContents()).map((s) => s.trim());
  const all = JSON.stringify(outputs).slice(0, 3000);

  const bars = await progressBars(page);
  assert.equal(bars.length, (spec.bars ?? []).length, `progress bars ${JSON.stringify(spec.bars ?? [])}, got ${JSON.stringify(bars)}`);
  for (const { label, full, done } of spec.bars ?? []) {
    const bar = bars.find((b) => b.text.includes(label));
    assert.ok(bar, `a bar labelled ${label}: ${JSON.stringify(bars)}`);
    assert.equal(bar.status, 'done', JSON.stringify(bar));
    assert.match(bar.classes, /\bparkit-done\b/, JSON.stringify(bar));
    if (full) assert.match(bar.text, /100%/, JSON.stringify(bar));
    if (done !== undefined) assert.equal(bar.done, String(done), JSON.stringify(bar));
  }
  for (const text of spec.exact ?? []) {
    assert.ok(outputs.includes(text), `an output that is exactly ${JSON.stringify(text)}; outputs: ${all}`);
  }
  for (const pattern of spec.texts ?? []) {
    assert.ok(outputs.some((s) => pattern.test(s)), `an output matching ${pattern}; outputs: ${all}`);
  }

  const images = await page.locator('.jp-OutputArea-output img').evaluateAll((els) => els.map((img) => ({
    natural: [img.naturalWidth, img.naturalHeight], type: img.src.slice(0, 22),
  })));
  assert.equal(images.length, spec.images ?? 0, `PNG outputs: ${JSON.stringify(images)}`);
  for (const image of images) {
    // A data: PNG that failed to decode has naturalWidth 0.
    assert.equal(image.type, 'data:image/png;base64,', JSON.stringify(image));
    assert.ok(image.natural[0] > 0 && image.natural[1] > 0, `the image decoded: ${JSON.stringify(image)}`);
  }

  const tables = await page.locator('.jp-OutputArea-output table').evaluateAll((els) => els.map((t) => ({
    header: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td')?.textContent.trim()),
  })));
  for (const want of spec.tables ?? []) {
    const table = tables.find((t) => JSON.stringify(t.header) === JSON.stringify(want.header));
    assert.ok(table, `a table headed ${JSON.stringify(want.header)}; tables: ${JSON.stringify(tables)}`);
    if (want.rows) assert.deepEqual(table.rows, want.rows);
  }
}

/** Scrolls the first element matching `selector` (default: the last output) to the middle, then a screenshot. */
async function screenshot(page, name, selector) {
  await page.evaluate((sel) => {
    const els = document.querySelectorAll(sel ?? '.jp-OutputArea-output');
    const el = sel ? els[0] : els[els.length - 1];
    el?.closest('.jp-Cell')?.scrollIntoView({ block: 'center' });
  }, selector ?? null);
  await page.screenshot({ path: join(SHOTS, name) });
}

/**
 * Waits for the first progress bar seen running with some items done, scrolls it into view and
 * takes a screenshot; resolves to a line saying what it caught. It does not fail the test: a bar
 * can finish between two looks.
 */
function catchMovingBar(page, name) {
  const moving = '.parkit-progress[data-status="running"]:not([data-done="0"])';
  return page.locator(moving).first().waitFor({ state: 'attached', timeout: RUN_TIMEOUT })
    .then(async () => {
      // Each update replaces the bar's element, so find it and scroll its cell into view in one go.
      const text = await page.evaluate((sel) => {
        const bar = document.querySelector(sel);
        bar?.closest('.jp-Cell')?.scrollIntoView({ block: 'center' });
        return bar?.textContent.replace(/\s+/g, ' ').trim();
      }, moving);
      await page.screenshot({ path: join(SHOTS, name) });
      const still = await page.locator(moving).count();
      return text && `${text}${still ? '' : ' (it may have finished by the time of the shot)'}`;
    })
    .catch((e) => `none: ${e.message.split('\n')[0]}`);
}

const kernels = await kernelsToTest();

for (const kernel of kernels) {
  for (const spec of NOTEBOOKS.filter((s) => s.kernel === (kernel.own ? kernel.id : undefined))) {
    const nn = spec.file.slice(0, 2);
    test(`${kernel.id}: notebook ${spec.file}: Run All shows its key outputs`,
      { timeout: RUN_TIMEOUT + 120_000, skip: kernel.skip }, async (t) => {
        if (kernel.fail) assert.fail(kernel.fail);
        const probe = await browser.newPage();
        const { path, codeCells } = await copyForKernel(probe, spec.file, kernel);
        await probe.close();
        const page = await openNotebook(path, kernel);
        try {
          const moving = spec.bars ? catchMovingBar(page, `${kernel.id}-${nn}-progress-running.png`) : null;
          await runAllCells(page, path, codeCells, kernel);
          if (moving) {
            // A bar that never showed running leaves `moving` waiting: a moment to finish a shot, no more.
            const caught = await Promise.race([moving, new Promise((resolve) => setTimeout(resolve, 5_000, null))]);
            t.diagnostic(`screenshot of a moving bar: ${caught ?? 'none caught (the cells were too quick)'}`);
          }
          await checkKeyOutputs(page, spec);
          await screenshot(page, `${kernel.id}-${nn}-done.png`, spec.shot);
        } finally {
          await shutDown(page, path);
          await page.close();
        }
      });
  }

  for (const stop of kernel.own ? [] : STOP_CASES) {
    test(`${kernel.id}: the stop button ends a long ${stop.id} pmap within 2 s, and the next cell runs at full speed`,
      { timeout: 5 * 60_000, skip: kernel.skip, todo: stop.todo ?? false }, async (t) => {
        const probe = await browser.newPage();
        const path = `${kernel.id}/stop-${stop.id}.ipynb`;
        const cell = (source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null });
        await putNotebook(probe, path, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell(stop.code), cell(NEXT_CELL)] }, kernel);
        await probe.close();
        const page = await openNotebook(path, kernel);
        try {
          const cells = page.locator('.jp-Notebook .jp-CodeCell');
          await cells.nth(0).locator('.jp-InputArea-editor').click();
          await page.keyboard.press('Shift+Enter');
          // Moving: some items done, so the workers are in the middle of the map.
          await page.locator('.parkit-progress[data-status="running"]:not([data-done="0"])').first()
            .waitFor({ state: 'attached', timeout: 120_000 });
          await page.screenshot({ path: join(SHOTS, `${kernel.id}-stop-${stop.id}-running.png`) });

          const clicked = Date.now();
          // The toolbar's stop button ("Interrupt the kernel"), as a user clicks it.
          await page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"]').first().click();
          // When, after the click, the bar first showed interrupted and the kernel first was idle.
          let barMs = null;
          let idleMs = null;
          await poll(async () => {
            if (barMs === null && await page.locator('.parkit-progress[data-status="interrupted"]').count()) {
              barMs = Date.now() - clicked;
            }
            if (idleMs === null && await idle(page)) idleMs = Date.now() - clicked;
            return barMs !== null && idleMs !== null;
          }, STOP_WITHIN + 3_000, 50);
          const bar = (await progressBars(page))[0];
          await page.screenshot({ path: join(SHOTS, `${kernel.id}-stop-${stop.id}-stopped.png`) });
          t.diagnostic(`after the click: bar interrupted in ${barMs ?? 'over 5000'} ms, kernel idle in `
            + `${idleMs ?? 'over 5000'} ms; bar: ${bar?.text}`);
          assert.ok(idleMs !== null && idleMs <= STOP_WITHIN, `the kernel went idle ${idleMs ?? 'over 5000'} ms after the click`);
          assert.ok(barMs !== null && barMs <= STOP_WITHIN, `the bar turned interrupted ${barMs ?? 'over 5000'} ms after the click`);

          await cells.nth(1).locator('.jp-InputArea-editor').click();
          await page.keyboard.press('Shift+Enter');
          const next = cells.nth(1).locator('.jp-OutputArea-output', { hasText: 'next cell:' });
          await next.waitFor({ timeout: 60_000 });
          const text = (await next.textContent()).trim();
          t.diagnostic(text);
          const [, list, ms] = text.match(/^next cell: (\[.*\]) in (\d+) ms$/) ?? [];
          assert.equal(list, '[0, 1, 2, 3, 4, 5, 6, 7]', text);
          assert.ok(Number(ms) < 800, `8 naps of 100 ms on 4 workers took ${ms} ms: not at full speed`);
          // The bar still says interrupted, short of the end.
          const last = await poll(async () => {
            const [b] = await progressBars(page);
            return b?.status === 'interrupted' && b;
          }, 5_000);
          await screenshot(page, `${kernel.id}-stop-${stop.id}-next-cell.png`, '.parkit-progress');
          assert.ok(last, `the bar never showed interrupted: ${JSON.stringify((await progressBars(page))[0])}`);
          assert.doesNotMatch(last.text, /100%/, JSON.stringify(last));
        } finally {
          await shutDown(page, path);
          await page.close();
        }
      });
  }
}

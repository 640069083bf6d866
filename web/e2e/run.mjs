// End-to-end test of the web app in real headless Chromium against a real `kompo serve`
// with media generated here by ffmpeg: sign in, upload, build a komposition by dragging,
// save (and a revision conflict), render and watch it live, play, download and probe the
// video, its history, the Elm editor route, and a phone-sized view of the render.
//
//   node e2e/run.mjs            (from web/, after `npm run build`)
//
// Environment: KOMPO_BIN (default build/release/src/cli/kompo), KOMPO_TEST_OUTPUT (where
// screenshots, the server log and the downloaded video go; default
// build/test-output/web-e2e), CHROMIUM (default /usr/bin/chromium),
// The test signs in as a producer it creates in the server's data folder with `kompo user
// add` before the server starts, as an operator would.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');
const kompoBin = resolve(repo, process.env.KOMPO_BIN ?? 'build/release/src/cli/kompo');
const out = resolve(repo, process.env.KOMPO_TEST_OUTPUT ?? 'build/test-output/web-e2e');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const distDir = join(web, 'dist');
const elmBundle = join(web, 'e2e/fixtures/kompost.js');

const BPM = 120;
const TIMEOUT = 20_000;
const RENDER_TIMEOUT = 180_000;

// ---- a tiny runner: steps in order, each timed; after a failure the rest are skipped ----

const results = [];
let failed = false;
async function step(name, fn) {
  if (failed) {
    results.push({ name, status: 'skipped', ms: 0 });
    console.log(`  - ${name} (skipped)`);
    return;
  }
  const t0 = performance.now();
  try {
    await fn();
    const ms = Math.round(performance.now() - t0);
    results.push({ name, status: 'passed', ms });
    console.log(`  ✓ ${name} (${ms} ms)`);
  } catch (e) {
    failed = true;
    const ms = Math.round(performance.now() - t0);
    results.push({ name, status: 'failed', ms, error: e });
    console.log(`  ✗ ${name} (${ms} ms)\n    ${String(e?.stack ?? e).split('\n').slice(0, 8).join('\n    ')}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- media, generated at test time ----

function ffmpeg(...args) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
}

function probeDuration(file) {
  const text = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString();
  return Number(text.trim());
}

function generateMedia(dir) {
  mkdirSync(dir, { recursive: true });
  // Two distinct clips and a song with a click on every beat at 120 BPM.
  ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30:d=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(dir, 'clip_a.mp4'));
  ffmpeg('-f', 'lavfi', '-i', 'smptehdbars=s=320x180:r=30:d=5', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(dir, 'clip_b.mp4'));
  ffmpeg('-f', 'lavfi', '-i', "aevalsrc=exprs='if(lt(mod(t,0.5),0.02),0.8*sin(2*PI*1500*t),0)+0.2*sin(2*PI*110*t)':s=48000:d=12", '-ac', '2', join(dir, 'song.flac'));
  writeFileSync(join(dir, 'notes.mp4'), 'these are words, not a video\n');
}

// ---- the server ----

function startServer(dataDir, logFile) {
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--web-root', distDir, '--elm-bundle', elmBundle, '--workers', '2'];
  const child = spawn(kompoBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (line) => {
    log.push(line);
    writeFileSync(logFile, log.join('\n') + '\n');
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const port = new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`kompo serve did not log "listening" within 60 s:\n${log.join('\n')}`)), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      try {
        const doc = JSON.parse(line);
        if (doc.msg === 'listening' && Number.isInteger(doc.port)) {
          clearTimeout(timer);
          resolvePort(doc.port);
        }
      } catch {
        // not a JSON line
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kompo serve exited (${code}) before listening:\n${log.join('\n')}`));
    });
  });
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done(child.exitCode);
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(kill);
        done(code);
      });
      child.kill('SIGTERM');
    });
  return { port, stop };
}

// ---- browser helpers ----

/** Drops files (as a person does from the file manager) onto `target`. */
async function dropFiles(page, target, files) {
  const payload = files.map((f) => ({ name: f.name, type: f.type, data: readFileSync(f.path).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return dt;
  }, payload);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

async function shot(page, name) {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
}

// ---- the test ----

async function main() {
  expect(existsSync(kompoBin), `no kompo binary at ${kompoBin} (build it, or set KOMPO_BIN)`);
  expect(existsSync(join(distDir, 'index.html')), `no built app in ${distDir} (npm run build)`);
  expect(existsSync(browserPath), `no Chromium at ${browserPath} (scripts/setup installs it)`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'kompost-web-e2e-'));
  const media = join(scratch, 'media');
  const dataDir = join(scratch, 'data');
  const t0 = performance.now();
  generateMedia(media);
  console.log(`web e2e: media generated in ${Math.round(performance.now() - t0)} ms; output in ${out}`);

  const e2eUser = 'musician';
  const e2ePassword = randomBytes(12).toString('base64url');
  execFileSync(kompoBin, ['user', 'add', e2eUser, '--role', 'producer', '--password-stdin', '--data-dir', dataDir],
    { input: `${e2ePassword}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  const server = startServer(dataDir, join(out, 'server.log'));
  let browser;
  try {
    const port = await server.port;
    const base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: base, acceptDownloads: true });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e));
    page.on('console', (m) => {
      if (m.type() === 'error') writeFileSync(join(out, 'console.log'), `${m.text()}\n`, { flag: 'a' });
    });

    let kompositionId = '';
    let accounts = false;
    // The REST API as the signed-in user (the browser's cookies, and its CSRF token on writes).
    const api = async (method, path, body, headers = {}) => {
      const extra = { ...headers };
      if (accounts && method !== 'GET') {
        const me = await (await context.request.get(`${base}/api/v1/auth/me`)).json();
        extra['X-CSRF-Token'] = me.csrf_token;
      }
      if (body !== undefined) extra['Content-Type'] = 'application/json';
      const response = await context.request.fetch(`${base}${path}`, { method, headers: extra, data: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status(), body: await response.json().catch(() => null) };
    };
    let renderId = '';

    await step('sign in (or none: the server has no accounts)', async () => {
      const me = await fetch(`${base}/api/v1/auth/me`);
      accounts = me.status !== 404 && (me.headers.get('content-type') ?? '').includes('application/json');
      await page.goto('/');
      if (accounts) {
        const user = e2eUser;
        const password = e2ePassword;
        expect(user && password, 'the server has accounts: set KOMPO_E2E_USER and KOMPO_E2E_PASSWORD');
        await page.getByRole('heading', { name: 'Sign in to Kompost' }).waitFor();
        // A wrong password: the server's refusal, on the form.
        await page.getByLabel('User name').fill(user);
        await page.getByLabel('Password').fill(`${password}-wrong`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('#signin-error').filter({ hasText: /\S/ }).waitFor();
        await shot(page, '00-sign-in');
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      }
      await page.getByRole('heading', { name: 'Your kompositions' }).waitFor();
      await page.getByText('No kompositions yet').waitFor();
      await shot(page, '01-home-empty');
    });

    await step('media: drop two clips, a song and a refused file; each gets a progress bar and a result', async () => {
      await page.getByRole('link', { name: 'Media' }).click();
      await page.getByRole('heading', { name: 'Media' }).waitFor();
      await dropFiles(page, page.getByTestId('dropzone'), [
        { name: 'clip_a.mp4', type: 'video/mp4', path: join(media, 'clip_a.mp4') },
        { name: 'clip_b.mp4', type: 'video/mp4', path: join(media, 'clip_b.mp4') },
        { name: 'song.flac', type: 'audio/flac', path: join(media, 'song.flac') },
        { name: 'notes.mp4', type: 'video/mp4', path: join(media, 'notes.mp4') },
      ]);
      for (const name of ['clip_a.mp4', 'clip_b.mp4', 'song.flac']) {
        await page.locator(`li.upload[data-name="${name}"] .upload-status`).filter({ hasText: 'Uploaded' }).waitFor();
      }
      const refused = page.locator('li.upload[data-name="notes.mp4"]');
      await refused.getByText('Refused').waitFor();
      // The server's own words, next to the file that caused them.
      await refused.getByRole('alert').filter({ hasText: 'notes.mp4: not a video, audio or image file that can be decoded' }).waitFor();
      // The library: picture, duration, resolution and size of each.
      const a = page.locator('li.medium-card[data-medium="clip_a.mp4"]');
      await a.getByText(/Video · 3\.0 s · 320×180 · \d+ KB/).waitFor();
      await page.locator('li.medium-card[data-medium="song.flac"]').getByRole('img', { name: 'Waveform of song.flac' }).waitFor();
      await page.locator('li.medium-card[data-medium="clip_b.mp4"]').getByText(/5\.0 s · 320×180/).waitFor();
      await shot(page, '02-media-uploads');
    });

    await step('media: preview a clip in the player', async () => {
      await page.getByRole('button', { name: 'Preview clip_b.mp4' }).click();
      const video = page.locator('aside.preview video');
      await video.waitFor();
      await page.waitForFunction(() => (document.querySelector('aside.preview video')?.readyState ?? 0) >= 1);
      const duration = await video.evaluate((v) => v.duration);
      expect(Math.abs(duration - 5) < 0.2, `preview duration ${duration}, expected 5 s`);
      await shot(page, '03-media-preview');
    });

    await step('home: create a komposition; the editor opens', async () => {
      await page.getByRole('link', { name: 'Kompositions' }).click();
      await page.getByLabel('New komposition').fill('E2E Video');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/\/k\/E2E_Video$/);
      kompositionId = 'E2E_Video';
      await page.getByRole('textbox', { name: 'Komposition name' }).waitFor();
      await page.getByText('Drag clips from the library onto the grid.').waitFor();
    });

    await step('editor: drag two clips onto the grid and the song under it', async () => {
      const lane = page.getByTestId('picture-lane');
      const pxPerBeat = 28;
      await page.locator('li.library-item[data-medium="clip_a.mp4"]').dragTo(lane, { targetPosition: { x: 0.5 * pxPerBeat, y: 30 } });
      await page.locator('[data-segment="clip_a"]').waitFor();
      await page.locator('li.library-item[data-medium="clip_b.mp4"]').dragTo(lane, { targetPosition: { x: 8.5 * pxPerBeat, y: 30 } });
      await page.locator('[data-segment="clip_b"]').waitFor();
      await page.locator('li.library-item[data-medium="song.flac"]').dragTo(page.getByTestId('sound-lane'), { targetPosition: { x: 40, y: 20 } });
      await page.getByRole('img', { name: 'Soundtrack song.flac' }).waitFor();
      // clip_a is 3 s = 6 beats at 120 BPM; clip_b fills 8 beats from beat 8.
      await page.getByRole('button', { name: /^clip_a: clip_a\.mp4, bar 1\.1 to 2\.3, 6 beats$/ }).waitFor();
      await page.getByRole('button', { name: /^clip_b: clip_b\.mp4, bar 3\.1 to 5\.1, 8 beats$/ }).waitFor();
      await page.getByText('Unsaved changes').waitFor();
    });

    await step('editor: arrows nudge by a beat and stop at the neighbour; undo and redo', async () => {
      const b = page.locator('[data-segment="clip_b"]');
      await b.click();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      await page.getByRole('button', { name: /^clip_b: .* bar 2\.3 to 4\.3, 8 beats$/ }).waitFor();
      await page.keyboard.press('Control+z');
      await page.getByRole('button', { name: /^clip_b: .* bar 2\.4 to 4\.4, 8 beats$/ }).waitFor();
      await page.keyboard.press('Control+Shift+z');
      await page.getByRole('button', { name: /^clip_b: .* bar 2\.3 to 4\.3, 8 beats$/ }).waitFor();
    });

    await step('editor: Delete removes the selected segment, undo brings it back; Space plays and pauses', async () => {
      await page.locator('[data-segment="clip_a"]').click();
      await page.keyboard.press('Delete');
      await page.locator('[data-segment="clip_a"]').waitFor({ state: 'detached' });
      await page.keyboard.press('Control+z');
      await page.getByRole('button', { name: /^clip_a: clip_a\.mp4, bar 1\.1 to 2\.3, 6 beats$/ }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByText('Bar 1.1 · 0:00.0').waitFor();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
      // The playhead moves on: the preview's caption leaves bar 1, beat 1.
      await page.locator('figure.monitor figcaption').filter({ hasNotText: 'Bar 1.1 ·' }).waitFor();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
      // Back to the start for what follows.
      await page.locator('.ruler').click({ position: { x: 2, y: 10 } });
    });

    await step('editor: drag the end of a segment to resize it, snapped to beats', async () => {
      const grip = page.locator('[data-segment="clip_b"] .grip-end');
      const box = await grip.boundingBox();
      expect(box, 'no resize grip');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - 2.2 * 28, box.y + box.height / 2, { steps: 6 });
      await page.mouse.up();
      await page.getByRole('button', { name: /^clip_b: .* bar 2\.3 to 4\.1, 6 beats$/ }).waitFor();
    });

    await step('editor: range, resolution preset, save as a new revision', async () => {
      await page.getByLabel('To beat').fill('12');
      await page.getByLabel('To beat').press('Enter');
      await page.getByLabel('Resolution').selectOption({ label: 'Landscape 1280×720' });
      await page.getByRole('paragraph').filter({ hasText: '6.0 s' }).first().waitFor();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('save-state').filter({ hasText: 'Saved · revision 2' }).waitFor();
      const stored = (await api('GET', `/api/v1/kompositions/${kompositionId}`)).body;
      expect(stored.segments.length === 2, `stored ${stored.segments.length} segments`);
      const b = stored.segments.find((s) => s.id === 'clip_b');
      expect(b.start === 6 && b.duration === 6 && b.end === 12, `clip_b stored as ${JSON.stringify(b)}`);
      expect(stored.sources.some((s) => s.id === 'song' && s.mediatype === 'audio'), 'no song source');
      expect(stored.beatpattern.tobeat === 12, 'range not stored');
      await shot(page, '04-editor');
    });

    await step('editor: a save over a newer revision shows the conflict; "keep mine" saves', async () => {
      // Someone else saves first.
      const current = (await api('GET', `/api/v1/kompositions/${kompositionId}`)).body;
      const put = await api('PUT', `/api/v1/kompositions/${kompositionId}`, { ...current, name: 'Their title' }, { 'If-Match': `"${current._rev}"` });
      expect(put.status === 200, `their save: ${put.status} ${JSON.stringify(put.body)}`);
      await page.getByLabel('BPM').fill('120');
      await page.getByLabel('From beat').fill('0');
      await page.getByLabel('Resolution').selectOption({ label: 'Landscape 1920×1080' });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const banner = page.getByRole('alert').filter({ hasText: 'Not saved: this komposition was changed elsewhere' });
      await banner.waitFor();
      await banner.getByText('Name “E2E Video” → “Their title”').waitFor();
      await shot(page, '05-editor-conflict');
      await page.getByRole('button', { name: 'Keep mine (replace theirs)' }).click();
      await page.getByTestId('save-state').filter({ hasText: 'Saved · revision 4' }).waitFor();
      const stored = (await api('GET', `/api/v1/kompositions/${kompositionId}`)).body;
      expect(stored.config.width === 1920 && stored.name === 'E2E Video', `after keep mine: ${stored.config.width} ${stored.name}`);
      // Back to a small, quick render.
      await page.getByLabel('Resolution').selectOption({ label: 'Portrait 600×800' });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('save-state').filter({ hasText: 'Saved · revision 5' }).waitFor();
    });

    await step('render: start it and watch every step reach succeeded live', async () => {
      await page.getByRole('button', { name: 'Render', exact: true }).click();
      await page.waitForURL(/\/renders\/[^/]+$/);
      renderId = decodeURIComponent(page.url().split('/').pop());
      await page.getByRole('group', { name: 'Render steps' }).waitFor();
      await page.locator('li.step[data-step="probe"]').waitFor();
      await shot(page, '06-render-running');
      await page.locator('li.step[data-step="publish"][data-state="succeeded"]').waitFor({ timeout: RENDER_TIMEOUT });
      const states = await page.locator('li.step').evaluateAll((els) => els.map((e) => [e.getAttribute('data-step'), e.getAttribute('data-state')]));
      const names = states.map(([n]) => n);
      for (const want of ['probe', 'plan', 'join', 'sound', 'mux', 'publish']) expect(names.includes(want), `no step ${want} in ${names}`);
      expect(names.filter((n) => n.startsWith('segment')).length >= 2, `segment steps: ${names}`);
      const notDone = states.filter(([, s]) => s !== 'succeeded' && s !== 'cached');
      expect(notDone.length === 0, `steps not done: ${JSON.stringify(notDone)}`);
      await page.locator('h1 .badge[data-state="succeeded"]').waitFor();
      await page.getByText(/Finished in/).waitFor();
    });

    await step('render: the video plays in the page and seeks', async () => {
      const video = page.locator('video.player');
      await video.waitFor();
      await video.evaluate((v) => {
        v.muted = true;
        return v.play();
      });
      await page.waitForFunction(() => (document.querySelector('video.player')?.currentTime ?? 0) > 0.5, null, { timeout: TIMEOUT });
      await video.evaluate((v) => v.pause());
      await video.evaluate(
        (v) =>
          new Promise((done) => {
            v.addEventListener('seeked', () => done(), { once: true });
            v.currentTime = 4.5;
          }),
      );
      const t = await video.evaluate((v) => v.currentTime);
      expect(Math.abs(t - 4.5) < 0.1, `seeked to ${t}`);
      await shot(page, '07-render-done');
    });

    await step('render: download the video; ffprobe says it lasts the 12 beats (6 s)', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download video' }).click()]);
      const file = join(out, download.suggestedFilename() || 'video.mp4');
      await download.saveAs(file);
      const duration = probeDuration(file);
      expect(Math.abs(duration - 6) < 0.1, `downloaded video lasts ${duration} s, expected 6 s`);
    });

    await step('history: the render is listed as done', async () => {
      await page.getByRole('link', { name: 'All renders of it' }).click();
      await page.getByRole('heading', { name: `Renders of ${kompositionId}` }).waitFor();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: renderId }) });
      await row.getByText('Done').waitFor();
      await shot(page, '08-history');
      await page.getByRole('link', { name: 'Kompositions' }).click();
      const card = page.locator('li.komposition-card').filter({ hasText: 'E2E Video' });
      await card.getByText('6.0 s · 120 BPM · 600×800').waitFor();
      await card.getByRole('link', { name: 'Last render: succeeded' }).waitFor();
      // Its thumbnail: the first segment's frame, loaded.
      await page.waitForFunction(() => {
        const img = document.querySelector('li.komposition-card img.thumb');
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
      });
      await page.getByRole('heading', { name: 'Recent renders' }).waitFor();
      await shot(page, '09-home');
    });

    await step('Elm editor: the bundle runs in the iframe with the token; its render shows live in the shell', async () => {
      await page.goto(`/k/${kompositionId}`);
      await page.getByRole('link', { name: 'Elm editor' }).click();
      await page.waitForURL(/\/elm$/);
      if (!accounts) {
        // No accounts, so no token can be minted: the server's own, as its operator would paste it.
        await page.getByLabel('API token for the Elm editor').fill(readFileSync(join(dataDir, 'api-token'), 'utf8').trim());
        await page.getByRole('button', { name: 'Use token' }).click();
      }
      const frame = page.frameLocator('iframe.elm-frame');
      await frame.getByRole('heading', { name: 'Fake Elm editor' }).waitFor();
      await frame.getByText('1 kompositions').waitFor();
      await page.getByText('Watching live').waitFor();
      await frame.getByRole('button', { name: `Render ${kompositionId}` }).click();
      await frame.getByText(/Render started: /).waitFor();
      const panel = page.getByRole('complementary', { name: 'Renders started' });
      await panel.getByRole('link', { name: kompositionId }).waitFor();
      await panel.locator('.badge[data-state="succeeded"]').waitFor({ timeout: RENDER_TIMEOUT });
      await shot(page, '10-elm-editor');
    });

    await step('phone-sized viewport: the render view shows the video and its steps', async () => {
      // The same person on their phone: the same session.
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: base, isMobile: true, hasTouch: true, storageState: await context.storageState() });
      phone.setDefaultTimeout(TIMEOUT);
      const p = await phone.newPage();
      p.on('pageerror', (e) => pageErrors.push(e));
      await p.goto(`/renders/${encodeURIComponent(renderId)}`);
      await p.locator('video.player').waitFor();
      await p.getByRole('link', { name: 'Download video' }).waitFor();
      const fits = await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
      expect(fits, 'the render view is wider than the phone');
      await p.screenshot({ path: join(out, '11-render-phone.png'), fullPage: true });
      await phone.close();
    });

    await step('no script errors in the pages', async () => {
      expect(pageErrors.length === 0, `page errors:\n${pageErrors.map((e) => e.stack ?? e).join('\n')}`);
    });
  } catch (e) {
    failed = true;
    results.push({ name: 'setup', status: 'failed', ms: 0, error: e });
    console.log(`  ✗ setup\n    ${e?.stack ?? e}`);
  } finally {
    await browser?.close();
    const code = await server.stop();
    if (code !== 0) console.log(`web e2e: kompo serve exited with ${code} (log: ${join(out, 'server.log')})`);
    rmSync(scratch, { recursive: true, force: true });
  }

  const count = (status) => results.filter((r) => r.status === status).length;
  console.log(`web e2e: ${Math.round((performance.now() - t0) / 100) / 10} s; screenshots in ${out}`);
  console.log(`${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
  process.exit(count('passed') === results.length ? 0 : 1);
}

await main();

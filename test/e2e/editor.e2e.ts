/**
 * ConvLens in a real VS Code: the packaged .vsix in code-server, driven in
 * Chromium. Each step saves a screenshot to test-results/e2e/, and a failing
 * step says what it saw. Run with `npm run test:e2e`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixTitles } from '../../src/language/messages';
import { aaMinimum, textContrasts } from './contrast';
import { checkPrerequisites, chromiumArgs, chromiumPath, repoRoot, startCodeServer, type CodeServer, type Manifest } from './harness';
import { Workbench } from './workbench';

const resultsDir = join(repoRoot, 'test-results/e2e');

/** User settings for the fresh profile: no welcome page, no chat panel, nothing that phones home. */
const settings = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  // Top-level symbols only, so every block's row is rendered in a short pane.
  'outline.collapseItems': 'alwaysCollapse',
  // code-server saves edits after a delay by default, which made each step's "File: Revert File" a no-op:
  // the quick fix of step 6 and the relu of step 9 stayed in the files for the later steps.
  'files.autoSave': 'off',
};

interface CliDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  line: number;
  column: number;
  message: string;
}

/** What `convlens summary --json` says about a sample: the same analysis the server runs. */
function cliSummary(sample: string): { layers: unknown[]; diagnostics: CliDiagnostic[] } {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [join(repoRoot, 'bin/convlens.js'), 'summary', join(repoRoot, 'samples', sample), '--json'], { encoding: 'utf8' });
  } catch (error) {
    // Exit 1 on errors; the JSON is still on stdout.
    stdout = (error as { stdout: string }).stdout;
  }
  return JSON.parse(stdout) as { layers: unknown[]; diagnostics: CliDiagnostic[] };
}

/** The palette title of the preview command, if the installed extension contributes it. */
function previewTitle(manifest: Manifest): string | undefined {
  const command = manifest.contributes?.commands?.find((c) => /Preview Feature Maps/i.test(c.title));
  return command ? `${command.category ? `${command.category}: ` : ''}${command.title}` : undefined;
}

const timings: Record<string, number> = {};

describe('ConvLens in code-server', () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;

  /** Runs a step and saves its screenshot whether it passes or fails. */
  async function step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } finally {
      await wb.screenshot(name).catch(() => undefined);
    }
  }

  beforeAll(async () => {
    checkPrerequisites();
    const started = Date.now();
    server = await startCodeServer({ folder: join(repoRoot, 'samples'), settings });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, resultsDir);
    await wb.load(server.url);
    timings['code-server start to workbench ready (ms)'] = Date.now() - started;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    writeFileSync(join(resultsDir, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log('e2e timings:', timings);
  });

  it('1. a correct sample: 0 problems, coloured by the grammar', async () => {
    await step('01-resnet18', async () => {
      const opened = await wb.openFile('resnet18.cnn');
      // The first inlay hint is the first thing the server sends back after activation.
      await wb.waitFor('inlay hints on resnet18.cnn', () => wb.viewLines(), (lines) => lines.some((l) => l.hints.length > 0), { timeout: 30_000 });
      timings['activation: open first .cnn file to first server result (inlay hints) (ms)'] = Date.now() - opened;
      await wb.waitForProblems({ errors: 0, warnings: 0 });

      const keyword = await wb.tokenAt(24, 'model');
      const layer = await wb.tokenAt(27, 'conv');
      const number = await wb.tokenAt(27, '64');
      expect(new Set([keyword.className, layer.className, number.className]).size, `token classes: ${JSON.stringify([keyword, layer, number])}`).toBe(3);
      expect(new Set([keyword.color, layer.color, number.color]).size, `token colours: ${JSON.stringify([keyword, layer, number])}`).toBe(3);

      // The scopes themselves, as VS Code's token inspector reports them.
      await wb.goTo(27, 4);
      await wb.command('Developer: Inspect Editor Tokens and Scopes');
      const inspector = await wb.waitFor(
        'the token inspector to show the grammar scopes of `conv`',
        () => wb.page.locator('.token-inspect-widget').innerText(),
        (text) => text.includes('support.function.layer.cnn') && text.includes('source.cnn'),
      );
      expect(inspector).toContain('conv');
      await wb.screenshot('01-resnet18-scopes');
      await wb.page.keyboard.press('Escape');
    });
  });

  it('2. the broken sample: the exact errors and warnings, with their messages', async () => {
    const expected = cliSummary('broken.cnn').diagnostics;
    const errors = expected.filter((d) => d.severity === 'error').length;
    const warnings = expected.filter((d) => d.severity === 'warning').length;
    expect([errors, warnings]).toEqual([10, 2]);
    await step('02-broken-diagnostics', async () => {
      const opened = await wb.openFile('broken.cnn');
      await wb.waitForProblems({ errors, warnings });
      timings['open broken.cnn to its 12 diagnostics in the status bar (ms)'] = Date.now() - opened;

      await wb.command('View: Focus Problems (Errors, Warnings, Infos)');
      await wb.page.waitForSelector('.markers-panel .monaco-list-row');
      await wb.screenshot('02-diagnostics');
      await wb.command('View: Toggle Maximized Panel');
      const rows = await wb.waitFor(
        `all ${expected.length} messages in the Problems panel`,
        () => wb.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' '))),
        (texts) => expected.every((d) => texts.some((t) => t.includes(d.message))),
      );
      for (const d of expected) {
        const row = rows.find((t) => t.includes(d.message));
        expect(row, `Problems row for ${d.code}`).toContain(`[Ln ${d.line}, Col ${d.column}]`);
      }
      await wb.screenshot('02-problems-panel');
      await wb.command('View: Toggle Maximized Panel');
      await wb.command('View: Toggle Panel Visibility');
      await wb.page.waitForSelector('.part.panel', { state: 'hidden' });
    });
  });

  it('3. hovering a conv layer shows its output shape and params', async () => {
    await step('03-hover', async () => {
      await wb.openFile('resnet18.cnn');
      await wb.goTo(27, 1);
      let moves = 0;
      const hover = await wb.waitFor(
        'a hover with `64×112×112` and the param count',
        async () => {
          // Nudge the pointer onto the token now and then, finding it afresh:
          // code lenses can still shift the lines, and hovers open after a delay.
          if (moves++ % 5 === 0) {
            const conv = await wb.tokenAt(27, 'conv');
            await wb.page.mouse.move(conv.x - 4, conv.y);
            await wb.page.mouse.move(conv.x, conv.y, { steps: 2 });
          }
          return (await wb.page.locator('.monaco-hover-content:visible').allInnerTexts()).join('\n');
        },
        (text) => text.includes('64×112×112') && /params/i.test(text),
      );
      await wb.screenshot('03-hover-open');
      expect(hover).toMatch(/9,408/);
    });
  });

  it('4. inlay hints show output shapes at the ends of layer lines', async () => {
    await step('04-inlay-hints', async () => {
      await wb.page.mouse.move(5, 5);
      await wb.page.keyboard.press('Escape');
      const lines = await wb.waitFor(
        'inlay hints `→ 64×112×112` and `→ 64×56×56` on lines 27 and 30',
        () => wb.viewLines(),
        (ls) => ls.find((l) => l.line === 27)?.hints.join('') === '→ 64×112×112' && ls.find((l) => l.line === 30)?.hints.join('') === '→ 64×56×56',
      );
      for (const line of lines.filter((l) => l.line >= 27 && l.line <= 30)) {
        expect(line.hints.join(''), `line ${line.line}`).toMatch(/^→ \d+×\d+×\d+$/);
        expect(line.text.trimEnd().endsWith(line.hints.join('').trimEnd()), `hint at the end of line ${line.line}: ${line.text}`).toBe(true);
      }
    });
  });

  it('5. typing a layer: completion offers the layer kinds, and diagnostics follow the edit', async () => {
    await step('05-completion', async () => {
      // The status bar counts every open file's problems (broken.cnn is open too).
      const before = await wb.problems();
      await wb.goTo(30, 1);
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.press('Control+Space');
      await wb.waitFor('the suggest widget', () => wb.page.locator('.suggest-widget .monaco-list-row').count(), (n) => n > 4);
      await wb.screenshot('05-completion-list');
      await wb.page.keyboard.press('Escape');
      // The list is virtualised, so each kind is looked up by its prefix.
      for (const kind of ['conv', 'batchnorm', 'maxpool', 'linear']) {
        await wb.page.keyboard.type(kind.slice(0, 3));
        await wb.page.keyboard.press('Control+Space');
        await wb.waitFor(
          `\`${kind}\` among the completions after \`${kind.slice(0, 3)}\``,
          () => wb.page.locator('.suggest-widget .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')),
          (labels) => labels.some((l) => l === kind || l.startsWith(`${kind},`)),
        );
        await wb.page.keyboard.press('Escape');
        for (let i = 0; i < 3; i++) await wb.page.keyboard.press('Backspace');
      }

      // A kernel larger than the 56×56 input is an error as soon as it is typed...
      await wb.page.keyboard.type('conv 64, k=99', { delay: 20 });
      await wb.page.keyboard.press('Escape');
      await wb.waitForProblems({ errors: before.errors + 1, warnings: before.warnings });
      await wb.screenshot('05-typed-error');
      // ...and gone once it is fixed.
      for (let i = 0; i < 2; i++) await wb.page.keyboard.press('Backspace');
      await wb.page.keyboard.type('3, padding=1', { delay: 20 });
      await wb.page.keyboard.press('Escape');
      await wb.waitForProblems(before);
      await wb.waitFor('the hint `→ 64×56×56` on the typed line', () => wb.viewLines(), (ls) => ls.find((l) => l.line === 31)?.hints.join('') === '→ 64×56×56');
      await wb.command('File: Revert File');
    });
  });

  it('6. a quick fix changes the file, and its error disappears', async () => {
    await step('06-quick-fix', async () => {
      await wb.openFile('broken.cnn');
      const before = await wb.problems();
      await wb.goTo(10, 11);
      await wb.page.keyboard.press('Control+.');
      const title = fixTitles.replace('batchnrm', 'batchnorm');
      const action = wb.page.locator('.action-widget .monaco-list-row', { hasText: title });
      await wb.waitFor(`the quick fix "${title}"`, () => wb.page.locator('.action-widget .monaco-list-row').allInnerTexts(), (ts) => ts.some((t) => t.includes(title)));
      await wb.screenshot('06-quick-fix-menu');
      await action.click();
      await wb.waitFor('line 10 to read `stem | batchnorm`', () => wb.lineText(10), (text) => /stem \| batchnorm\b/.test(text ?? ''));
      await wb.waitForProblems({ errors: before.errors - 1, warnings: before.warnings });
      await wb.command('File: Revert File');
    });
  });

  it('7. the outline shows the blocks, and LeNet-5’s layers with their output shapes', async () => {
    await step('07-outline', async () => {
      await wb.openFile('resnet18.cnn');
      await wb.command('Explorer: Focus on Outline View');
      const rows = await wb.waitFor(
        'outline rows for the blocks basic and stage and the model ResNet18',
        () => wb.page.locator('.outline-pane .monaco-list-row .label-name').allInnerTexts(),
        (ts) => ['basic', 'stage', 'ResNet18'].every((name) => ts.some((t) => t === name || t.startsWith(`${name}(`))),
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);

      // Under a model, each layer with its output shape: LeNet-5's first conv makes 6×28×28.
      await wb.openFile('lenet5.cnn');
      // The file list folded away, so the outline has the sidebar's height for the layers' rows.
      const folders = wb.page.locator('.pane-header[aria-expanded="true"]', { hasText: /^workspace$/i });
      if ((await folders.count()) > 0) await folders.first().click();
      await wb.command('Explorer: Focus on Outline View');
      const model = wb.page.locator('.outline-pane .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^LeNet5$/ }) });
      await model.waitFor({ timeout: 20_000 });
      if ((await model.getAttribute('aria-expanded')) !== 'true') await model.locator('.monaco-tl-twistie').click();
      const layers = await wb.waitFor(
        'outline rows for LeNet-5’s layers, `conv 6, k=5` with `6×28×28` first',
        () =>
          wb.page.locator('.outline-pane .monaco-list-row').evaluateAll((els) =>
            els.map((e) => `${e.querySelector('.label-name')?.textContent ?? ''} ${e.querySelector('.label-description')?.textContent ?? ''}`.trim()),
          ),
        (ts) => ts.includes('conv 6, k=5 6×28×28') && ts.includes('conv 16, k=5 16×10×10') && ts.includes('linear 10 10'),
      );
      await wb.screenshot('07-outline-lenet5');
      await wb.page.locator('.pane-header[aria-expanded="false"]', { hasText: /^workspace$/i }).first().click().catch(() => undefined);
      expect(layers.filter((t) => /^(conv|tanh|avgpool|flatten|linear)\b/.test(t)).length).toBeGreaterThanOrEqual(8);
    });
  });

  describe('the feature-map preview (skipped unless the installed extension contributes "Preview Feature Maps")', () => {
    let preview: Frame | undefined;
    let title: string | undefined;
    beforeAll(() => {
      title = previewTitle(server!.installedManifest());
    });

    /** Per layer section: its name, kind, and the largest luminance variance among its canvases. */
    async function sectionStats(frame: Frame): Promise<{ layer: string; kind: string; canvases: number; variance: number }[]> {
      return frame.locator('#app section.layer').evaluateAll((sections) =>
        sections.map((section) => {
          let best = 0;
          const canvases = [...section.querySelectorAll('canvas')];
          for (const canvas of canvases) {
            const context = canvas.getContext('2d');
            if (!context || canvas.width === 0 || canvas.height === 0) continue;
            const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
            let sum = 0;
            let sumSquares = 0;
            const n = data.length / 4;
            for (let i = 0; i < data.length; i += 4) {
              const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
              sum += luma;
              sumSquares += luma * luma;
            }
            best = Math.max(best, sumSquares / n - (sum / n) ** 2);
          }
          return {
            layer: (section as HTMLElement).dataset.layer ?? '',
            kind: section.querySelector('.kind')?.textContent ?? '',
            canvases: canvases.length,
            variance: Math.round(best),
          };
        }),
      );
    }

    /** True once the preview has shown "run failed" for `ms` on end (a rerun could still recover before). */
    function failedFor(ms: number): (probe: { messages: string[] }) => boolean {
      let since: number | undefined;
      return ({ messages }) => {
        if (!messages.some((m) => /run failed/i.test(m))) since = undefined;
        else since ??= Date.now();
        return since !== undefined && Date.now() - since > ms;
      };
    }

    /** The preview's status line and weights note, which say why a run failed. */
    async function previewMessages(frame: Frame): Promise<string[]> {
      const texts = await frame.locator('[data-testid="status"], [data-testid="weights"]').allInnerTexts();
      return texts.map((t) => t.trim()).filter((t) => t !== '');
    }

    async function runState(frame: Frame): Promise<{ state?: string; prediction?: string; random?: string; text: string }> {
      return frame.locator('#app').evaluate((app) => {
        const prediction = app.querySelector<HTMLElement>('[data-testid="prediction"]');
        return {
          state: (app as HTMLElement).dataset.runState,
          prediction: prediction && !prediction.hidden ? prediction.dataset.class : undefined,
          random: prediction?.dataset.random,
          text: prediction?.textContent ?? '',
        };
      });
    }

    it('8. the preview shows one section per layer, canvases with real variance, and the LeNet-5 prediction', async (context) => {
      if (title === undefined) return context.skip();
      const layers = cliSummary('lenet5.cnn').layers.length;
      await step('08-preview', async () => {
        await wb.openFile('lenet5.cnn');
        const started = Date.now();
        await wb.command(title!);
        const entered = Date.now();
        // The webview's document is a nested iframe; the workbench's own frame has canvases too (the minimap).
        const frame = (await wb.waitFor(
          'a webview frame with the preview (#app)',
          async () => {
            for (const f of wb.page.frames()) {
              if (f === wb.page.mainFrame()) continue;
              if ((await f.locator('#app section.layer').count().catch(() => 0)) > 0) return f;
            }
            return undefined;
          },
          (f) => f !== undefined,
          { timeout: 60_000, interval: 250 },
        )) as Frame;
        preview = frame;
        const drawn = await wb.waitFor(
          `${layers} layer sections, each with a canvas of real variance (> 1), and no error in the preview`,
          async () => ({ sections: await sectionStats(frame), messages: await previewMessages(frame) }),
          ({ sections }) => sections.length === layers && sections.every((s) => s.canvases > 0 && s.variance > 1),
          { timeout: 60_000, interval: 250, hopeless: failedFor(5_000) },
        );
        timings['preview: command to every layer drawn (ms)'] = Date.now() - started;
        expect(drawn.sections.length).toBe(layers);
        // The webview stamps its first maps in its own clock (ms since its document started); its timeOrigin puts that on the wall clock.
        const firstMaps = await frame.locator('#app').evaluate((app) => ({ ms: Number((app as HTMLElement).dataset.firstMapsMs), origin: performance.timeOrigin }));
        expect(firstMaps.ms, '#app[data-first-maps-ms]').toBeGreaterThan(0);
        timings['preview: Enter on the command to first maps (ms)'] = Math.round(firstMaps.origin + firstMaps.ms - entered);
        // VS Code's webview host is the frame around ours: when it started splits the workbench's part from the host's.
        const hostOrigin = await frame.parentFrame()?.evaluate(() => performance.timeOrigin).catch(() => undefined);
        if (hostOrigin !== undefined) timings['preview: Enter on the command to the webview host frame starting (ms)'] = Math.round(hostOrigin - entered);
        timings['preview: Enter on the command to the webview document starting (ms)'] = Math.round(firstMaps.origin - entered);
        timings['preview: webview document start to first maps (ms)'] = firstMaps.ms;

        // The trained LeNet-5 names the digit in each sample image it is shown.
        const digits = await frame.locator('[data-testid="image-option"]').evaluateAll((items) =>
          items.map((i) => (i as HTMLElement).dataset.imageId ?? '').filter((id) => /digit-\d\b/.test(id)),
        );
        expect(digits.length, 'digit thumbnails in the preview').toBeGreaterThan(0);
        for (const id of digits.slice(0, 3)) {
          const digit = /digit-(\d)\b/.exec(id)![1];
          const clicked = Date.now();
          await frame.locator(`[data-testid="image-option"][data-image-id="${id}"]`).click();
          const state = await wb.waitFor(
            `a trained-weights prediction of ${digit} for ${id}`,
            () => runState(frame),
            (r) => r.state === 'done' && r.prediction === digit && r.random === 'false',
            { timeout: 30_000, interval: 100 },
          );
          timings[`preview: new input to prediction (${id.split('/').pop()}) (ms)`] = Date.now() - clicked;
          expect(state.text).toContain(`class ${digit}`);
        }
        const workerMs = await frame.locator('#app').getAttribute('data-last-run-ms');
        if (workerMs) timings['preview: last run, as the webview measured it (ms)'] = Number(workerMs);
      });
    });

    it('9. editing the spec updates the preview', async (context) => {
      if (title === undefined) return context.skip();
      if (preview === undefined) throw new Error('no preview: step 8 failed');
      const frame = preview;
      await step('09-preview-update', async () => {
        const kindsBefore = (await sectionStats(frame)).map((s) => s.kind);
        expect(kindsBefore).not.toContain('relu');
        const source = readFileSync(join(server!.workspace, 'lenet5.cnn'), 'utf8').split('\n');
        const line = source.findIndex((l) => /^\s*tanh\b/.test(l)) + 1;
        expect(line, 'a `tanh` line in lenet5.cnn').toBeGreaterThan(0);
        // Focus the editor (keys pressed now would go to the webview, which had the last click), then turn the first tanh into a relu.
        await wb.page.locator('.tab[data-resource-name="lenet5.cnn"]').click();
        await wb.page.waitForSelector('.editor-group-container.active .monaco-editor.focused');
        await wb.goTo(line, source[line - 1].indexOf('tanh') + 1);
        await wb.page.keyboard.press('Shift+End');
        await wb.page.keyboard.type('relu');
        const edited = Date.now();
        await wb.waitFor(
          'a `relu` section in the preview, drawn',
          async () => ({ sections: await sectionStats(frame), messages: await previewMessages(frame) }),
          ({ sections }) => sections.some((s) => s.kind === 'relu' && s.variance > 1),
          { timeout: 30_000, interval: 100, hopeless: failedFor(5_000) },
        );
        timings['preview: edit to updated section (ms)'] = Date.now() - edited;
        await wb.screenshot('09-preview-updated');
        await wb.command('File: Revert File');
      });
    });

    it('10. one preview follows the active .cnn editor: no new column, and its title follows the file', async (context) => {
      if (title === undefined) return context.skip();
      await step('10-preview-follows', async () => {
        const previewTabs = async () => (await wb.tabLabels()).filter((t) => t.startsWith('Feature maps'));
        expect(await wb.editorGroups(), 'editor groups: lenet5.cnn and its preview').toBe(2);
        // A newcomer's way to a second column: open another file in the preview's group (Quick Open's "to the side"), preview it.
        await wb.openFile('resnet18.cnn', { toSide: true });
        await wb.command(title!);
        await wb.waitFor(
          'still 2 editor groups, and one preview, now of resnet18.cnn',
          async () => ({ groups: await wb.editorGroups(), previews: await previewTabs() }),
          ({ groups, previews }) => groups === 2 && previews.length === 1 && previews[0] === 'Feature maps: resnet18.cnn',
        );
        // Switching to another .cnn editor retargets the preview, with no command.
        await wb.page.locator('.tab[data-resource-name="lenet5.cnn"]').first().click();
        await wb.waitFor(
          'the preview to follow lenet5.cnn, in the same 2 groups',
          async () => ({ groups: await wb.editorGroups(), previews: await previewTabs() }),
          ({ groups, previews }) => groups === 2 && previews.length === 1 && previews[0] === 'Feature maps: lenet5.cnn',
        );
        const layers = cliSummary('lenet5.cnn').layers.length;
        await wb.waitFor(
          `the preview drawing lenet5.cnn's ${layers} layers`,
          async () => {
            const frame = await wb.frameWith('#app section.layer');
            return frame ? (await sectionStats(frame)).length : 0;
          },
          (n) => n === layers,
          { timeout: 60_000, interval: 250 },
        );
      });
    });

    it('11. an image for the 1D audio model is refused with the reason, as the CLI refuses it', async (context) => {
      if (title === undefined) return context.skip();
      await step('11-preview-audio-image', async () => {
        await wb.openFile('audio_m5.cnn');
        // Without a preview that follows the editor, this is where a newcomer asks for one.
        if (!(await wb.tabLabels()).includes('Feature maps: audio_m5.cnn')) await wb.command(title!);
        const frame = (await wb.waitFor(
          'the preview of audio_m5.cnn, its input 1×8000',
          async () => {
            for (const f of wb.page.frames()) {
              const shape = await f.locator('[data-testid="input-row"] .shape').innerText({ timeout: 200 }).catch(() => '');
              if (shape === '1×8000') return f;
            }
            return undefined;
          },
          (f) => f !== undefined,
          { timeout: 60_000, interval: 250 },
        )) as Frame;
        const chelsea = frame.locator('[data-testid="image-option"][data-image-id$="chelsea.jpg"]').first();
        await chelsea.waitFor({ timeout: 20_000 });
        await chelsea.click();
        const seen = await wb.waitFor(
          'the preview to refuse the photo, saying it needs a C×H×W input and the model takes 1×8000',
          async () => ({ messages: await previewMessages(frame), input: await frame.locator('[data-testid="input-row"]').innerText().catch(() => '') }),
          ({ messages }) => messages.some((m) => m.includes('C×H×W') && m.includes('1×8000')),
          { timeout: 20_000 },
        );
        // Nothing claims the photo was fed to the model.
        expect(seen.input).not.toContain('chelsea');
        await wb.screenshot('11-preview-audio-refused');
        await frame.locator('[data-testid="pattern-option"]').first().click();
        await wb.waitFor('a pattern run without the refusal', () => previewMessages(frame), (messages) => !messages.some((m) => m.includes('C×H×W')));
      });
    });

    it('12. a locked preview stays on its file while the following one moves, in the same column', async (context) => {
      if (title === undefined) return context.skip();
      await step('12-preview-locked', async () => {
        const previewTabs = async () => (await wb.tabLabels()).filter((t) => /Feature maps/.test(t)).sort();
        await wb.openFile('lenet5.cnn');
        await wb.command('ConvLens: Preview Feature Maps (Locked)');
        await wb.waitFor(
          'a locked preview of lenet5.cnn beside the following one, in the same 2 groups',
          async () => ({ groups: await wb.editorGroups(), previews: await previewTabs() }),
          ({ groups, previews }) => groups === 2 && previews.join(' | ') === 'Feature maps: lenet5.cnn | [Locked] Feature maps: lenet5.cnn',
        );
        await wb.openFile('resnet18.cnn');
        await wb.waitFor(
          'the following preview on resnet18.cnn, the locked one still on lenet5.cnn',
          async () => ({ groups: await wb.editorGroups(), previews: await previewTabs() }),
          ({ groups, previews }) => groups === 2 && previews.join(' | ') === 'Feature maps: resnet18.cnn | [Locked] Feature maps: lenet5.cnn',
        );
        await wb.page.locator('.tab', { hasText: '[Locked] Feature maps: lenet5.cnn' }).click();
        await wb.page.keyboard.press('Control+W');
        await wb.waitFor('the locked preview closed', previewTabs, (previews) => previews.join(' | ') === 'Feature maps: resnet18.cnn');
      });
    });

  });

  it('13. the model summary is a plain-text view that is never diagnosed, open or closed', async () => {
    await step('13-summary', async () => {
      await wb.openFile('broken.cnn');
      const before = await wb.problems();
      expect(before.errors, 'broken.cnn has errors').toBeGreaterThan(0);
      await wb.command('ConvLens: Show Model Summary');
      const tab = wb.page.locator('.tab', { hasText: /summary/i });
      await tab.first().waitFor({ timeout: 20_000 });
      await tab.first().click();
      await wb.waitFor('the summary tab in Plain Text mode', () => wb.statusItem('status.editor.mode'), (mode) => mode === 'Plain Text');
      await wb.waitFor('the summary table of broken.cnn', () => wb.viewLines(), (lines) => lines.some((l) => /conv/.test(l.text)));
      // Diagnosing the table would take the server well under a second.
      await wb.problemsStay(before, 3_000, 'with the summary open');
      await wb.screenshot('13-summary-open');
      await wb.page.keyboard.press('Control+W');
      await tab.first().waitFor({ state: 'detached', timeout: 10_000 });
      await wb.problemsStay(before, 2_000, 'after closing the summary');
    });
  });

  it('14. a new .cnn file is indented with 2 spaces, as every sample is', async () => {
    await step('14-indentation', async () => {
      writeFileSync(join(server!.workspace, 'fresh.cnn'), '');
      await wb.openFile('fresh.cnn');
      await wb.waitFor('the status bar to say CNN and Spaces: 2', async () => [await wb.statusItem('status.editor.mode'), await wb.statusItem('status.editor.indentation')], ([mode, indent]) => mode === 'CNN' && indent === 'Spaces: 2');
      await wb.page.keyboard.press('Tab');
      await wb.waitFor('Tab to insert 2 spaces', () => wb.lineText(1), (text) => text === '  ');
      await wb.command('File: Revert File');
    });
  });

  /** A frame the user can see: its iframe and every iframe around it shown, with a box. */
  async function shown(frame: Frame): Promise<boolean> {
    for (let at: Frame | null = frame; at && at !== wb.page.mainFrame(); at = at.parentFrame()) {
      const element = await at.frameElement().catch(() => null);
      const box = element && (await element.isVisible()) ? await element.boundingBox() : null;
      if (!box || box.width === 0 || box.height === 0) return false;
    }
    return true;
  }

  /** The preview the user sees (a locked preview from an earlier step may be open too, hidden in its tab). */
  async function visiblePreview(): Promise<Frame | undefined> {
    for (const f of wb.page.frames()) {
      if (f === wb.page.mainFrame()) continue;
      if ((await f.locator('#app section.layer').count().catch(() => 0)) > 0 && (await shown(f))) return f;
    }
    return undefined;
  }

  /** Runs the palette row titled exactly `title` (wb.command needs it first, and recently used rows go ahead). */
  async function paletteRow(title: string): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    await wb.page.waitForSelector('.quick-input-widget input:focus');
    await wb.page.keyboard.type(title);
    const row = wb.page.locator('.quick-input-list .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    await row.first().click({ timeout: 10_000 });
  }

  /**
   * Picks a colour theme through "Preferences: Color Theme" and waits until
   * the webview at `frame` has it (VS Code stamps the theme on its body).
   */
  async function useTheme(label: string, kind: string, frame: () => Promise<Frame>): Promise<void> {
    // Not wb.command: "Preferences: Browse Color Themes in Marketplace" is listed first.
    await paletteRow('Preferences: Color Theme');
    await wb.page.waitForSelector('.quick-input-widget input:focus');
    await wb.page.keyboard.type(label);
    await wb.waitFor(
      `"${label}" first in the theme picker`,
      () => wb.page.locator('.quick-input-list .monaco-list-row').allInnerTexts(),
      (rows) => rows.length > 0 && rows[0].split('\n')[0].trim().startsWith(label),
      { timeout: 10_000 },
    );
    await wb.page.keyboard.press('Enter');
    await wb.page.waitForSelector('.quick-input-widget', { state: 'hidden' });
    await wb.waitFor(
      `the preview in a ${kind} theme`,
      async () => (await frame()).locator('body').evaluate((b) => `${b.className} ${b.dataset.vscodeThemeId ?? ''}`),
      (classes) => classes.split(' ').includes(kind),
    );
  }

  it('15. the preview in the light, dark and high-contrast themes: every text meets WCAG AA contrast', async (context) => {
    const themes = [
      { label: 'Light Modern', kind: 'vscode-light', shot: 'preview-light' },
      { label: 'Dark Modern', kind: 'vscode-dark', shot: 'preview-dark' },
      { label: 'Dark High Contrast', kind: 'vscode-high-contrast', shot: 'preview-hc' },
    ];
    const findPreview = async (): Promise<Frame> =>
      (await wb.waitFor('the preview webview with its layer sections, in sight', visiblePreview, (f) => f !== undefined, { timeout: 60_000, interval: 250 })) as Frame;
    const title = previewTitle(server!.installedManifest());
    if (title === undefined) return context.skip();
    await wb.openFile('lenet5.cnn');
    // The preview follows the active .cnn editor; without one in sight, ask for it.
    if (!(await visiblePreview())) await paletteRow(title);
    const failures: string[] = [];
    try {
      for (const theme of themes) {
        await step(theme.shot, async () => {
          await useTheme(theme.label, theme.kind, findPreview);
          const frame = await findPreview();
          await wb.waitFor('the run done and the controls upgraded', () => frame.locator('#app').evaluate((app) => `${(app as HTMLElement).dataset.runState}/${(app as HTMLElement).dataset.controls}`), (s) => s === 'done/ready');
          // Each group of the input picker (Samples, Workspace, Patterns) shows its first thumbnails, not just its caption.
          // The page is at its top, where the picker is (the earlier steps moved the cursor, which scrolls to its layer).
          await frame.evaluate(() => window.scrollTo(0, 0));
          const groups = await frame.locator('[data-testid="input-thumbnails"] .picker-group').evaluateAll((list) =>
            list.map((group) => {
              const first = group.querySelector('[role="option"]');
              const inside = (e: Element) => {
                const box = e.getBoundingClientRect();
                const x = box.left + box.width / 2;
                const y = box.top + box.height / 2;
                // Whatever is painted at the thumbnail's centre is the thumbnail (not scrolled away or covered).
                return box.width > 0 && e.contains(document.elementFromPoint(x, y));
              };
              return { group: group.getAttribute('aria-label'), visible: first ? inside(first) : false };
            }),
          );
          expect(groups.map((g) => g.group)).toEqual(['Samples', 'Workspace', 'Patterns']);
          expect(groups.filter((g) => !g.visible), 'picker groups whose first thumbnail is out of sight').toEqual([]);
          // Both tabs: the maps' headers and toolbar, then the summary table.
          for (const tab of ['summary', 'maps']) {
            await frame.locator(`[data-testid="tab-${tab}"]`).click();
            await wb.waitFor(`the ${tab} tab shown`, () => frame.locator(`[data-testid="tab-${tab}"]`).getAttribute('aria-selected'), (v) => v === 'true');
            if (tab === 'summary') await wb.screenshot(`${theme.shot}-summary`);
            const texts = await textContrasts(frame, '#app');
            writeFileSync(join(resultsDir, `${theme.shot}-${tab}-contrast.json`), `${JSON.stringify(texts, null, 1)}\n`);
            expect(texts.length, `texts measured on the ${tab} tab`).toBeGreaterThan(tab === 'maps' ? 30 : 5);
            for (const t of texts) {
              if (t.ratio < aaMinimum(t)) failures.push(`${theme.label}, ${tab} tab: ${t.element} "${t.text}" ${t.color} on ${t.background} = ${t.ratio}:1 (needs ${aaMinimum(t)}:1)`);
            }
          }
        });
      }
    } finally {
      await useTheme('Dark Modern', 'vscode-dark', findPreview).catch(() => undefined);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('16. the colormap control recolours the maps, and its choice outlives a reload of the preview', async (context) => {
    const title = previewTitle(server!.installedManifest());
    if (title === undefined) return context.skip();
    await step('16-colormap', async () => {
      await wb.openFile('lenet5.cnn');
      if (!(await visiblePreview())) await paletteRow(title);
      const preview = async (): Promise<Frame> =>
        (await wb.waitFor('the preview in sight, its run done', async () => {
          const frame = await visiblePreview();
          const state = await frame?.locator('#app').evaluate((app) => `${(app as HTMLElement).dataset.runState}/${(app as HTMLElement).dataset.controls}`).catch(() => '');
          return state === 'done/ready' ? frame : undefined;
        }, (f) => f !== undefined, { timeout: 60_000, interval: 250 })) as Frame;
      /** The conv1 legend's colours, left to right, and the control's value. */
      const look = async (frame: Frame) => ({
        value: await frame.locator('[data-testid="colormap"]').evaluate((d) => (d as HTMLElement & { value: string }).value),
        gradient: await frame.locator('section[data-layer="conv1"] .legend .bar').evaluate((bar) => (bar as HTMLElement).style.backgroundImage),
      });
      let frame = await preview();
      const before = await look(frame);
      expect(before.value).toBe('auto');
      await frame.locator('[data-testid="colormap"]').click();
      await frame.locator('[data-testid="colormap"] vscode-option[value="gray"]').click();
      const grey = await wb.waitFor('conv1\'s legend in grey', () => look(frame), (l) => l.value === 'gray' && /rgb\(0, 0, 0\)/.test(l.gradient) && /rgb\(255, 255, 255\)/.test(l.gradient));
      expect(grey.gradient).not.toBe(before.gradient);
      const loadedAt = await frame.evaluate(() => performance.timeOrigin);
      await paletteRow('Developer: Reload Webviews');
      frame = (await wb.waitFor('a new preview document', async () => {
        const next = await preview();
        return (await next.evaluate(() => performance.timeOrigin).catch(() => loadedAt)) > loadedAt ? next : undefined;
      }, (f) => f !== undefined, { timeout: 60_000, interval: 250 })) as Frame;
      await wb.waitFor('the reloaded preview still in grey', () => look(frame), (l) => l.value === 'gray' && l.gradient === grey.gradient, { timeout: 20_000 });
      await frame.locator('[data-testid="colormap"]').click();
      await frame.locator('[data-testid="colormap"] vscode-option[value="auto"]').click();
      await wb.waitFor('the legend back in its own colours', () => look(frame), (l) => l.value === 'auto' && l.gradient === before.gradient);
    });
  });

  it('17. a spec whose weights path climbs out of the workspace (`/<workspace>/../outside/…`): the preview refuses, and no byte of the outside file reaches it; workspace thumbnails come as bytes', async (context) => {
    // Last: it leaves a locked preview and a rewritten vgg16.cnn behind.
    const title = previewTitle(server!.installedManifest());
    if (title === undefined) return context.skip();
    await step('17-preview-weights-outside', async () => {
      // A valid weights file beside the workspace (so reading it would give trained weights), and a spec that names it.
      const outside = join(dirname(server!.workspace), 'outside');
      mkdirSync(outside, { recursive: true });
      const secret = readFileSync(join(repoRoot, 'samples/lenet5.safetensors'));
      writeFileSync(join(outside, 'secret.safetensors'), secret);
      // An absolute path that starts inside the workspace and climbs out: a check on the path's prefix alone lets it through.
      const escaping = `${server!.workspace}/../outside/secret.safetensors`;
      const spec = readFileSync(join(server!.workspace, 'lenet5.cnn'), 'utf8').replace(/weights "[^"]*"/, `weights ${JSON.stringify(escaping)}`);
      expect(spec).toContain(escaping);
      // Into a sample no other step opens: Quick Open may not list a file made after the window opened.
      writeFileSync(join(server!.workspace, 'vgg16.cnn'), spec);
      // Every weightsData message that reaches a webview frame opened from now on, as the frame receives it. VS Code's
      // webview host writes the page into the frame with document.open(), which drops the window's listeners: listen again after it.
      await wb.page.context().addInitScript(() => {
        const seen: { path: unknown; bytes: number | null; error: unknown }[] = [];
        (window as unknown as { __weightsSeen: typeof seen }).__weightsSeen = seen;
        const listener = (event: MessageEvent) => {
          const data = event.data as { type?: unknown; path?: unknown; bytes?: { byteLength?: number }; error?: unknown } | null;
          if (data && data.type === 'weightsData') seen.push({ path: data.path, bytes: data.bytes ? (data.bytes.byteLength ?? -1) : null, error: data.error });
        };
        window.addEventListener('message', listener);
        const open = Document.prototype.open;
        Document.prototype.open = function (this: Document, ...args: unknown[]) {
          const opened = (open as (...a: unknown[]) => Document).apply(this, args);
          window.addEventListener('message', listener);
          return opened;
        } as typeof Document.prototype.open;
      });
      // The following preview moves to the file; a locked one is a new panel, whose frame is made after the init script was added.
      await wb.openFile('vgg16.cnn');
      await wb.command('ConvLens: Preview Feature Maps (Locked)');
      const frame = (await wb.waitFor(
        'the locked vgg16.cnn preview frame, with its weights note',
        async () => {
          for (const f of wb.page.frames()) {
            if (f === wb.page.mainFrame()) continue;
            const note = await f.locator('[data-testid="weights"]').innerText({ timeout: 200 }).catch(() => '');
            const listening = await f.evaluate(() => '__weightsSeen' in window).catch(() => false);
            if (note.includes('secret.safetensors') && listening) return f;
          }
          return undefined;
        },
        (f) => f !== undefined,
        { timeout: 60_000, interval: 250 },
      )) as Frame;
      const note = await wb.waitFor(
        'the weights note saying the path is refused, and a random init',
        () => frame.locator('[data-testid="weights"]').innerText(),
        (text) => /must be relative/.test(text) && /RANDOM init/i.test(text),
        { timeout: 30_000, interval: 250 },
      );
      expect(note).toContain(`${escaping}: the weights path must be relative to this file’s folder`);
      const seen = await frame.evaluate(() => (window as unknown as { __weightsSeen?: { path: unknown; bytes: number | null; error: unknown }[] }).__weightsSeen);
      expect(seen, 'the init script ran in the preview frame').toBeDefined();
      expect(seen!.length).toBeGreaterThan(0);
      for (const m of seen!) expect(m, JSON.stringify(m)).toMatchObject({ path: escaping, bytes: null, error: expect.stringMatching(/must be relative/) });

      // The webview may load only the extension's bundles and samples: a workspace image's thumbnail is drawn from bytes the extension posts.
      const thumbnail = frame.locator('[data-testid="image-option"] img[data-image-id]').first();
      await thumbnail.scrollIntoViewIfNeeded();
      const drawn = await wb.waitFor(
        'a workspace image thumbnail drawn from a blob: URL',
        () => thumbnail.evaluate((img) => ({ scheme: (img as HTMLImageElement).src.split(':')[0], width: (img as HTMLImageElement).naturalWidth })),
        (t) => t.scheme === 'blob' && t.width > 0,
        { timeout: 15_000, interval: 250 },
      );
      expect(drawn.width).toBeGreaterThan(0);
      // Leave the window as step 12 left it for the later steps: close the locked preview, focus the files' group.
      await wb.page.locator('.tab', { hasText: '[Locked] Feature maps: vgg16.cnn' }).click();
      await wb.command('View: Close Editor');
      await wb.command('View: Focus First Editor Group');
    });
  });
});

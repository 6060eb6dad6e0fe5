/**
 * Driving the VS Code workbench in code-server through playwright-core, with
 * waits that poll a condition and, on timeout, say what they saw last.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

export interface ViewLine {
  /** 1-based line number, from the gutter. */
  line: number;
  /** Rendered text, including inlay hints (non-breaking spaces made plain). */
  text: string;
  /** The texts of the inlay-hint spans on the line. */
  hints: string[];
}

export interface WaitOptions<T> {
  timeout?: number;
  interval?: number;
  /** Stops waiting at once when this holds: the state cannot turn good any more. */
  hopeless?: (value: T) => boolean;
}

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly resultsDir: string,
  ) {
    mkdirSync(resultsDir, { recursive: true });
  }

  /**
   * Polls `probe` until `accept` holds. On timeout, throws `expected <what>;
   * saw: <last probe result>`, which is what a failing step reports.
   */
  async waitFor<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, options: WaitOptions<T> = {}): Promise<T> {
    const deadline = Date.now() + (options.timeout ?? 20_000);
    let last: T | undefined;
    let lastError: unknown;
    for (;;) {
      try {
        last = await probe();
        lastError = undefined;
        if (accept(last)) return last;
      } catch (error) {
        lastError = error;
      }
      const hopeless = lastError === undefined && options.hopeless?.(last as T) === true;
      if (hopeless || Date.now() > deadline) {
        const saw = lastError !== undefined ? `error ${String(lastError)}` : JSON.stringify(last, null, 1);
        throw new Error(`expected ${what}; saw: ${saw}`);
      }
      await this.page.waitForTimeout(options.interval ?? 100);
    }
  }

  async screenshot(name: string): Promise<string> {
    const path = join(this.resultsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async load(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The explorer lists the folder once the workspace is fully restored.
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  }

  /**
   * Opens a workspace file through Quick Open (`toSide`: Ctrl+Enter, into
   * the group to the right) and waits for its tab. Returns
   * when Enter was pressed. Quick Open refreshes its list while the file
   * search runs, and an Enter during a refresh can be lost, so it retries.
   * Quick Open may also not list a file made after the window opened, or lose
   * the Enter while a webview holds the focus: the last try clicks the file's
   * row in the Explorer instead, as a user would.
   */
  async openFile(name: string, options: { toSide?: boolean } = {}): Promise<number> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press('Escape');
      try {
        const opened =
          attempt < 2 || options.toSide
            ? await this.quickOpen(name, `.quick-input-list .monaco-list-row.focused:has-text("${name}")`, options.toSide ? 'Control+Enter' : 'Enter')
            : await this.openFromExplorer(name);
        await this.page.waitForSelector(`.tab.active[data-resource-name="${name}"]`, { timeout: 5_000 });
        await this.page.waitForSelector('.editor-group-container.active .monaco-editor .view-line');
        return opened;
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`expected ${name} to open in the active tab; saw tabs ${JSON.stringify(await this.page.locator('.tab').allInnerTexts())}: ${String(lastError)}`);
  }

  /** Clicks a top-level workspace file's row in the Explorer; returns when it clicked. */
  private async openFromExplorer(name: string): Promise<number> {
    await this.page.keyboard.press('Escape');
    const row = this.page.locator('.explorer-folders-view .monaco-list-row').filter({ has: this.page.getByText(name, { exact: true }) });
    await row.first().click({ timeout: 5_000 });
    return Date.now();
  }

  /** Moves the cursor with Go to Line (Ctrl+G) to `line:column`. */
  async goTo(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.waitForSelector('.quick-input-widget input:focus');
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector('.quick-input-widget', { state: 'hidden' });
    await this.waitFor(
      `the cursor at Ln ${line}, Col ${column}`,
      () => this.page.locator('#status\\.editor\\.selection').innerText(),
      (text) => text.includes(`Ln ${line}, Col ${column}`),
      { timeout: 5_000 },
    );
  }

  /**
   * Runs a command by its palette title. The row must read exactly that title;
   * it is not always first ("recently used" ranks a longer title like
   * "… (Locked)" above it), so another row is picked with the arrow keys.
   */
  async command(title: string): Promise<void> {
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    await this.page.waitForSelector('.quick-input-widget input:focus');
    await this.page.keyboard.type(title);
    const rows = await this.waitFor(
      `"${title}" in the command palette`,
      () => this.page.locator('.quick-input-list .monaco-list-row').allInnerTexts(),
      (texts) => texts.some((row) => row.split('\n')[0] === title),
      { timeout: 10_000 },
    );
    const index = rows.findIndex((row) => row.split('\n')[0] === title);
    for (let i = 0; i < index; i++) await this.page.keyboard.press('ArrowDown');
    await this.waitFor(
      `"${title}" focused in the command palette`,
      () => this.page.locator('.quick-input-list .monaco-list-row.focused').innerText(),
      (text) => text.split('\n')[0] === title,
      { timeout: 5_000 },
    );
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector('.quick-input-widget', { state: 'hidden' });
  }

  /**
   * Takes the keyboard focus out of a webview. Keys pressed while the
   * preview's iframe has the focus go to its document, and code-server does
   * not always pass them on to the workbench, so Ctrl+P or F1 then does nothing.
   */
  private async focusWorkbench(): Promise<void> {
    await this.page.evaluate(() => {
      if (document.activeElement instanceof HTMLIFrameElement) document.activeElement.blur();
    });
  }

  private async quickOpen(text: string, ready: string, key = 'Enter'): Promise<number> {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    await this.page.waitForSelector('.quick-input-widget input:focus');
    await this.page.keyboard.type(text);
    // Enter before the row exists silently does nothing.
    await this.page.waitForSelector(ready, { timeout: 15_000 });
    const pressed = Date.now();
    await this.page.keyboard.press(key);
    await this.page.waitForSelector('.quick-input-widget', { state: 'hidden' });
    return pressed;
  }

  /** The status bar's problem counts. */
  async problems(): Promise<ProblemCounts> {
    const text = await this.page.locator('#status\\.problems').innerText();
    const numbers = text.match(/\d+/g)?.map(Number) ?? [];
    if (numbers.length < 2) throw new Error(`unreadable problems item: ${JSON.stringify(text)}`);
    return { errors: numbers[0], warnings: numbers[1] };
  }

  async waitForProblems(expected: ProblemCounts, timeout = 20_000): Promise<void> {
    await this.waitFor(
      `${expected.errors} errors and ${expected.warnings} warnings in the status bar`,
      () => this.problems(),
      (p) => p.errors === expected.errors && p.warnings === expected.warnings,
      { timeout },
    );
  }

  /**
   * Checks that the problem counts stay `expected` for `ms`: for what must not
   * happen (a generated view being diagnosed), there is no event to wait for.
   */
  async problemsStay(expected: ProblemCounts, ms: number, what: string): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const seen = await this.problems();
      if (seen.errors !== expected.errors || seen.warnings !== expected.warnings) {
        throw new Error(`expected the problems to stay at ${expected.errors} errors and ${expected.warnings} warnings ${what}; saw ${seen.errors} and ${seen.warnings}`);
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** The text of a status bar item by its id (`status.editor.mode`, `status.editor.indentation`). */
  async statusItem(id: string): Promise<string> {
    return (await this.page.locator(`[id="${id}"]`).innerText()).trim();
  }

  /** How many editor groups (columns) the workbench shows. */
  async editorGroups(): Promise<number> {
    return this.page.locator('.part.editor .editor-group-container').count();
  }

  /** The labels of every open tab, in every group. */
  async tabLabels(): Promise<string[]> {
    return (await this.page.locator('.tab .label-name').allInnerTexts()).map((t) => t.trim());
  }

  /** The active editor's rendered lines, in line order. */
  async viewLines(): Promise<ViewLine[]> {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return [];
      const lineAt = new Map<string, number>();
      for (const number of editor.querySelectorAll<HTMLElement>('.margin-view-overlays .line-numbers')) {
        const top = (number.parentElement as HTMLElement).style.top;
        lineAt.set(top, Number(number.textContent));
      }
      const lines = [];
      for (const view of editor.querySelectorAll<HTMLElement>('.view-lines .view-line')) {
        const line = lineAt.get(view.style.top);
        if (line === undefined) continue;
        const hints = [...view.querySelectorAll<HTMLElement>('span[class*="dyn-rule"]')].map((s) => (s.textContent ?? '').replace(/\u00a0/g, ' ')).filter((t) => t.trim() !== '');
        lines.push({ line, text: (view.textContent ?? '').replace(/\u00a0/g, ' '), hints });
      }
      return lines.sort((a, b) => a.line - b.line);
    });
  }

  async lineText(line: number): Promise<string | undefined> {
    return (await this.viewLines()).find((l) => l.line === line)?.text;
  }

  /**
   * The centre of the span that renders `token` on `line` (which must be
   * visible), and that span's colour and token class.
   */
  async tokenAt(line: number, token: string): Promise<{ x: number; y: number; color: string; className: string }> {
    return this.waitFor(`\`${token}\` rendered on line ${line}`, () =>
      this.page.evaluate(
        ({ line, token }) => {
          const editor = document.querySelector('.editor-group-container.active .monaco-editor');
          if (!editor) return undefined;
          let top: string | undefined;
          for (const number of editor.querySelectorAll<HTMLElement>('.margin-view-overlays .line-numbers')) {
            if (Number(number.textContent) === line) top = (number.parentElement as HTMLElement).style.top;
          }
          const view = [...editor.querySelectorAll<HTMLElement>('.view-lines .view-line')].find((v) => v.style.top === top);
          const span = [...(view?.querySelectorAll<HTMLElement>('span > span') ?? [])].find((s) => s.textContent === token);
          if (!span) return undefined;
          const box = span.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2, color: getComputedStyle(span).color, className: span.className };
        },
        { line, token },
      ),
    (found) => found !== undefined,
    ) as Promise<{ x: number; y: number; color: string; className: string }>;
  }

  /** Finds the frame (webviews are nested iframes) that holds `selector`. */
  async frameWith(selector: string): Promise<Frame | undefined> {
    for (const frame of this.page.frames()) {
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // Frames come and go while a webview loads.
      }
    }
    return undefined;
  }
}

import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import type { SigningKey } from "#local/token-issuer.ts";
import { ensureWebBuilt, WEB_DIST } from "../../packages/web/build.ts";

/** Where browser tests save screenshots (docs/screenshots/ holds copies of the ones the docs show). */
export const SCREENSHOTS = "test-output/screenshots";
/** Generous: a loaded 2-core machine may take seconds to project an event or paint a page. */
export const WAIT = { timeout: 30_000 };
/** `SESSION_KEY` of packages/web/src/ui/staff/session.ts (browser code, outside the Node type check). */
export const SESSION_KEY = "khuyenhoc.staff";

/**
 * A status a test provokes on purpose at a path (the exact pathname, or a pattern of it): Chromium logs
 * every 4xx a page fetches as a console error, and these are answers the page words, not faults.
 */
export interface Provoked {
  readonly status: number;
  readonly path: string | RegExp;
}

/** What a browser test file works with: the product's URL, the key staff tokens are signed with, pages. */
export interface BrowserStack {
  readonly url: string;
  readonly signingKey: SigningKey;
  /** A phone-sized page in a fresh profile, with every console error and uncaught exception it meets. */
  phone(provoked?: readonly Provoked[]): Promise<{ page: Page; errors: string[] }>;
  /** Saves a full-page screenshot as `test-output/screenshots/<name>.png`. */
  shoot(page: Page, name: string): Promise<Buffer>;
}

/**
 * For one test file: the whole local product in memory (gateway, handler modules, the projector on the
 * queue, the built app served on the API's port) and Debian's Chromium, started before the file's tests
 * and stopped after them. Nothing mocked.
 */
export const useBrowserStack = (): BrowserStack => {
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startLocalStack({ port: 0, batchWindowMs: 50, webDir: WEB_DIST });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  const started = () => {
    if (!stack || !browser) throw new Error("useBrowserStack: used outside a test");
    return { stack, browser };
  };
  return {
    get url() {
      return started().stack.url;
    },
    get signingKey() {
      return started().stack.auth.signingKey;
    },
    async phone(provoked = []) {
      const context = await started().browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT.timeout);
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const path = message.location().url ? new URL(message.location().url).pathname : "";
        const expected = provoked.some(
          (p) =>
            message.text().includes(`status of ${p.status}`) &&
            (typeof p.path === "string" ? path === p.path : p.path.test(path)),
        );
        if (!expected) errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      return { page, errors };
    },
    shoot: (page, name) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true }),
  };
};

/** A staff session as the sign-in callback stores it, put in the tab before the app loads. */
export const withSession = (
  page: Page,
  token: string,
  member: { readonly subject: string; readonly role: string; readonly unit?: string; readonly name?: string },
) =>
  page.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [
    SESSION_KEY,
    JSON.stringify({ idToken: token, expiresAt: Date.now() + 3_600_000, ...member }),
  ] as const);

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir: string | undefined;

/**
 * A stand-in for the built web app (`packages/web/dist`) that the stack deploys: infra tests synthesize
 * without running Vite, and do not depend on whether another test built the real one.
 */
export const builtWebApp = (): string => {
  if (dir) return dir;
  dir = join(tmpdir(), `khuyenhoc-web-app-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>khuyenhoc</title>");
  return dir;
};

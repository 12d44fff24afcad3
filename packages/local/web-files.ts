import { existsSync, readFileSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { webCsp } from "../web/csp.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * The headers CloudFront adds deployed (infra/constructs/web.ts), so the app meets its CSP locally too.
 * Locally the APIs and the sign-in stand-in are on the app's own origin: it may call nothing else.
 */
const SECURITY_HEADERS = {
  "content-security-policy": webCsp(),
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/**
 * Answers a GET for the built web app: a file of `dir`, or `index.html` for a page path (the app reads
 * the path itself). `config.json` is written at deploy time; locally `config` is answered (the API is the
 * app's own origin, so an empty base). Returns false when `dir` holds no build, for the caller's own 404.
 */
export const serveWebFile = (
  dir: string,
  pathname: string,
  res: ServerResponse,
  config: Readonly<Record<string, unknown>> = { apiUrl: "" },
): boolean => {
  const index = join(dir, "index.html");
  if (!existsSync(index)) return false;
  if (pathname === "/config.json" && !existsSync(join(dir, "config.json"))) {
    res.writeHead(200, {
      "content-type": TYPES[".json"] ?? "",
      "cache-control": "no-store",
      ...SECURITY_HEADERS,
    });
    res.end(JSON.stringify(config));
    return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  let file = normalize(join(dir, decoded));
  // Never outside the build, whatever `..` the path holds.
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) file = index;
  const isFile = existsSync(file) && statSync(file).isFile();
  // A path with an extension names a file: a missing one is a 404, not the app.
  if (!isFile && extname(pathname) !== "") return false;
  const served = isFile ? file : index;
  res.writeHead(200, {
    "content-type": TYPES[extname(served)] ?? "application/octet-stream",
    // Vite names assets by their content: they may be kept; pages and data are read afresh.
    "cache-control": served.includes(`${sep}assets${sep}`)
      ? "public, max-age=31536000, immutable"
      : "no-cache",
    ...SECURITY_HEADERS,
  });
  res.end(readFileSync(served));
  return true;
};

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "#local/gateway.ts";

let root: string;
let server: Server;
let url: string;

beforeAll(async () => {
  // Given a built app in dist/, and a file beside dist/ that must never be served
  root = mkdtempSync(join(tmpdir(), "khuyenhoc-web-files-"));
  const dist = join(root, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dist, "assets", "app-1234.js"), "console.log(1)");
  writeFileSync(join(root, "secret.txt"), "the-content-of-a-private-file");
  ({ server, url } = await startGateway(0, {}, () => undefined, dist));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${url}${path}`);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    response,
    text: await response.text(),
  };
};

describe("the local gateway serving the web app", () => {
  it("answers / and every page path with the app's index.html, under the deployed CSP", async () => {
    const home = await get("/");
    const page = await get("/campaigns/quy-khuyen-tai-xa-2026/donate");
    expect(home.text).toContain("<title>app</title>");
    expect(page.text).toBe(home.text);
    expect(page.type).toContain("text/html");
    expect(page.response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("serves built files with their type, and a missing file as a 404, not the app", async () => {
    const asset = await get("/assets/app-1234.js");
    const missing = await get("/assets/gone.js");
    expect(asset.text).toBe("console.log(1)");
    expect(asset.type).toContain("text/javascript");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ error: "not_found" });
  });

  it("keeps API paths the API's: an unknown /v1/ path is the API's JSON 404", async () => {
    const answer = await get("/v1/nothing-here");
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ error: "not_found" });
  });

  it("never serves a file outside the build, whatever the path holds", async () => {
    for (const path of [
      // An encoded "/" survives URL parsing and becomes a separator once decoded.
      "/..%2fsecret.txt",
      "/assets%2f..%2f..%2fsecret.txt",
      "/%2e%2e%2fsecret.txt",
      "/%E0%A4%A",
    ]) {
      const answer = await get(path);
      expect(answer.text).not.toContain("the-content-of-a-private-file");
    }
  });

  it("tells the app locally that the API is its own origin", async () => {
    const config = await get("/config.json");
    expect(JSON.parse(config.text)).toEqual({ apiUrl: "" });
  });
});

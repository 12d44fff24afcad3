import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CampaignView } from "#domain/projection.ts";
import { freePort, pidFile } from "#local/emulators.ts";
import { aDonationForm } from "../helpers/events.ts";

const dataDir = mkdtempSync(join(tmpdir(), "khuyenhoc-restart-"));
const running: ChildProcess[] = [];

/** Runs `npm start`'s script as a user would, and resolves with its URL once it prints `ready`. */
const start = async (port: number): Promise<{ child: ChildProcess; url: string }> => {
  const child = spawn(process.execPath, ["scripts/start.ts"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, VISIBILITY_TIMEOUT_SECONDS: "3" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^ready (\S+)/m.exec(out);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once("exit", (code) => reject(new Error(`the stack exited (${code}) before ready:\n${out}`)));
  });
  return { child, url };
};

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  pidFile(dataDir).killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the local stack after kill -9", () => {
  it("given events answered 202 when the stack was killed, when it restarts, then each is counted exactly once", async () => {
    // Given: a stack taking posts from 8 concurrent clients, each event in its own campaign so it can be checked alone
    const port = await freePort();
    const first = await start(port);
    const accepted: string[] = [];
    const uncertain: string[] = [];
    let killed = false;
    const client = async () => {
      while (!killed) {
        const campaignId = `r-${randomUUID().slice(0, 12)}`;
        try {
          const response = await fetch(`${first.url}/v1/donations`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(aDonationForm({ campaignId })),
          });
          (response.status === 202 ? accepted : uncertain).push(campaignId);
        } catch {
          uncertain.push(campaignId); // no answer: it may or may not have been queued
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 1_500));
    // When: the stack dies without warning mid-stream, then starts again on the same data
    first.child.kill("SIGKILL");
    killed = true;
    await Promise.all(clients);
    const second = await start(port);
    // Then
    expect(accepted.length).toBeGreaterThan(20);
    const countOf = async (id: string): Promise<number> =>
      ((await (await fetch(`${second.url}/v1/campaigns/${id}`)).json()) as CampaignView).pledged.count;
    const deadline = Date.now() + 30_000;
    let missing = accepted;
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const counts = await Promise.all(missing.map(countOf));
      missing = missing.filter((_, i) => counts[i] === 0);
    }
    expect(missing).toEqual([]);
    const counts = await Promise.all([...accepted, ...uncertain].map(countOf));
    expect(counts.slice(0, accepted.length).every((c) => c === 1)).toBe(true);
    expect(counts.slice(accepted.length).every((c) => c <= 1)).toBe(true);
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
  });
});

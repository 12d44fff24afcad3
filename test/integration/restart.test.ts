import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contentHashOf } from "#domain/donation.ts";
import type { CampaignView } from "#domain/projection.ts";
import type { DonationForm } from "#events/donation.ts";
import { freePort, pidFile } from "#local/emulators.ts";
import { aDonationForm } from "../helpers/events.ts";

/** The campaign the local stack defines at start, which `aDonationForm` pledges to. */
const EXAMPLE_CAMPAIGN = "thang-9-khuyen-hoc-2026";

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
    // Given: a stack taking posts to the example campaign from 8 concurrent clients; each pledge's own status
    // route says whether it is counted, and the campaign's count says how many times in all
    const port = await freePort();
    const first = await start(port);
    const accepted: DonationForm[] = [];
    const uncertain: DonationForm[] = [];
    let killed = false;
    const client = async () => {
      while (!killed) {
        const form = aDonationForm();
        try {
          const response = await fetch(`${first.url}/v1/donations`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(form),
          });
          (response.status === 202 ? accepted : uncertain).push(form);
        } catch {
          uncertain.push(form); // no answer: it may or may not have been queued
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    // Killed once enough pledges were answered, not after a fixed time: a busy machine answers fewer a second.
    const enough = Date.now() + 60_000;
    while (accepted.length < 25 && Date.now() < enough) await new Promise((r) => setTimeout(r, 50));
    // When: the stack dies without warning mid-stream, then starts again on the same data
    first.child.kill("SIGKILL");
    killed = true;
    await Promise.all(clients);
    const second = await start(port);
    // Then: every accepted pledge comes to be counted, and the campaign counts each counted pledge once
    expect(accepted.length).toBeGreaterThanOrEqual(25);
    const isCounted = async (form: DonationForm): Promise<boolean> => {
      const response = await fetch(
        `${second.url}/v1/donations/${form.eventId}?receipt=${contentHashOf(form)}`,
      );
      return response.status === 200 && ((await response.json()) as { status: string }).status === "counted";
    };
    const deadline = Date.now() + 30_000;
    let missing = accepted;
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const counted = await Promise.all(missing.map(isCounted));
      missing = missing.filter((_, i) => !counted[i]);
    }
    expect(missing).toEqual([]);
    const uncertainCounted = (await Promise.all(uncertain.map(isCounted))).filter(Boolean).length;
    const view = (await (
      await fetch(`${second.url}/v1/campaigns/${EXAMPLE_CAMPAIGN}`)
    ).json()) as CampaignView;
    expect(view.pledged.count).toBe(accepted.length + uncertainCounted);
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
  });
});

import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unitsOn } from "#domain/units.ts";
import { exampleCampaigns } from "#local/campaigns.ts";

/** The web app's sources and where `npm run build:web` puts the built files. */
export const WEB_ROOT = fileURLToPath(new URL(".", import.meta.url));
export const WEB_DIST = join(WEB_ROOT, "dist");
const CAMPAIGNS_DIR = fileURLToPath(new URL("../../data/campaigns/", import.meta.url));
/** The assessment schemes the staff forms bundle (src/assessment-body.ts imports them). */
const SCHEMES_DIR = fileURLToPath(new URL("../../data/assessment-schemes/", import.meta.url));

/** Newest modification time under a path (a file or a directory tree), 0 when it is missing. */
const newest = (path: string): number => {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};

/** True when dist is missing or older than any source the app is built from, data it bundles included. */
export const webIsStale = (): boolean => {
  const built = newest(join(WEB_DIST, "index.html"));
  const sources = ["index.html", "src", "build.ts", "unit-names.ts"].map((p) => newest(join(WEB_ROOT, p)));
  return built === 0 || Math.max(newest(CAMPAIGNS_DIR), newest(SCHEMES_DIR), ...sources) > built;
};

/**
 * The slices of the registries the browser needs, written beside the app at build time so it never loads
 * them whole: the example campaigns, and the provinces and communes in force on the build day (names
 * for the campaign page, choices for the donation form).
 */
const writeData = (today: string) => {
  const dir = join(WEB_DIST, "data");
  mkdirSync(dir, { recursive: true });
  const campaigns = exampleCampaigns(CAMPAIGNS_DIR).map((c) => ({
    id: c.id,
    name: c.name,
    window: c.window,
    goals: c.goals,
    units: c.units,
  }));
  writeFileSync(join(dir, "campaigns.json"), JSON.stringify(campaigns));
  const units = [...unitsOn(today, "province"), ...unitsOn(today, "commune")].map((u) => ({
    code: u.code,
    name: u.name,
    ...(u.level === "commune" && u.parent ? { parent: u.parent } : {}),
  }));
  writeFileSync(join(dir, "units.json"), JSON.stringify(units));
};

/** Builds the app into dist with Vite (Preact's preset), then writes its data files. */
export const buildWeb = async (): Promise<void> => {
  const [{ build }, { default: preact }] = await Promise.all([import("vite"), import("@preact/preset-vite")]);
  await build({
    root: WEB_ROOT,
    configFile: false,
    logLevel: "warn",
    plugins: [preact()],
    build: { outDir: WEB_DIST, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 300 },
  });
  writeData(new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date()));
};

/** Builds the app only when its sources changed since the last build, so a start stays quick. */
export const ensureWebBuilt = async (say: (line: string) => void = () => undefined): Promise<void> => {
  if (!webIsStale()) return;
  say("building the web app (packages/web/dist)");
  await buildWeb();
};

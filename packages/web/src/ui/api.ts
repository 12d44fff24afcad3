import type { CampaignAnswer } from "../campaign-view.ts";

/** A campaign as the build wrote it from data/campaigns/ (the index page's list). */
export interface CampaignSummary {
  readonly id: string;
  readonly name: { readonly vi: string; readonly en: string };
  readonly window: { readonly from: string; readonly to: string };
  readonly goals: { readonly moneyVnd?: number };
  readonly units: readonly string[];
}

/** A province (no parent) or a commune (its province as parent) in force on the build day. */
export interface UnitEntry {
  readonly code: string;
  readonly name: string;
  readonly parent?: string;
}

const getJson = async <T>(url: string | URL): Promise<T> => {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${response.status}`);
  return (await response.json()) as T;
};

/** `config.json`, written at deploy time beside the app (one build serves every stage). */
export interface AppConfig {
  readonly apiUrl?: string;
  /** The staff HTTP API, deployed apart from the public one; the public API's URL when absent. */
  readonly staffApiUrl?: string;
  /** The hosted sign-in (Cognito's domain, or the local stack's own origin) and the app's client id. */
  readonly auth?: { readonly domain?: string; readonly clientId?: string };
}

let config: Promise<AppConfig> | undefined;

/** The app's configuration, read once. */
export const loadConfig = (): Promise<AppConfig> => {
  config ??= getJson<AppConfig>("/config.json");
  return config;
};

const baseOf = (url: string | undefined) => {
  const href = new URL(url || "/", location.origin).href;
  return href.endsWith("/") ? href : `${href}/`;
};

/**
 * The API's base URL: deployed, `config.json` names it; locally `npm start` serves the API on the app's
 * own origin.
 */
export const apiUrl = (): Promise<string> => loadConfig().then((c) => baseOf(c.apiUrl));

/** The staff routes' base URL: `staffApiUrl` deployed (its own HTTP API), else the API's. */
export const staffApiUrl = (): Promise<string> => loadConfig().then((c) => baseOf(c.staffApiUrl || c.apiUrl));

export const loadCampaigns = () => getJson<CampaignSummary[]>("/data/campaigns.json");
export const loadUnits = () => getJson<UnitEntry[]>("/data/units.json");

/** `GET /v1/campaigns/{id}`; undefined when there is no such campaign. */
export const loadCampaign = async (id: string): Promise<CampaignAnswer | undefined> => {
  // The API lets browsers keep the answer 5 s; a donor back from giving should see their gift counted.
  const response = await fetch(new URL(`v1/campaigns/${encodeURIComponent(id)}`, await apiUrl()), {
    cache: "no-cache",
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${response.status}`);
  return (await response.json()) as CampaignAnswer;
};

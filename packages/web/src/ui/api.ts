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

let apiBase: Promise<string> | undefined;

/**
 * The API's base URL: deployed, `config.json` names it (written at deploy time, so one build serves
 * every stage); locally `npm start` serves the API on the app's own origin.
 */
export const apiUrl = (): Promise<string> => {
  apiBase ??= getJson<{ apiUrl?: string }>("/config.json")
    .then((c) => new URL(c.apiUrl || "/", location.origin).href)
    .then((url) => (url.endsWith("/") ? url : `${url}/`));
  return apiBase;
};

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

/**
 * The public HTTP surface, declared once: the CDK HTTP API and the local gateway both build their
 * routes and CORS rules from this list, so the two cannot drift apart.
 */
export type FunctionName = "ingest" | "campaign-query" | "donation-status";

export interface Route {
  readonly method: "GET" | "POST";
  /** API Gateway v2 path, with `{name}` parameters. */
  readonly path: string;
  readonly function: FunctionName;
}

export const routes: readonly Route[] = [
  { method: "POST", path: "/v1/donations", function: "ingest" },
  { method: "GET", path: "/v1/campaigns/{campaignId}", function: "campaign-query" },
  { method: "GET", path: "/v1/donations/{eventId}", function: "donation-status" },
];

/** Web forms are served from other origins (the association's sites), so the API is open to all. */
export const cors = {
  allowOrigins: ["*"],
  allowMethods: ["GET", "POST", "OPTIONS"],
  allowHeaders: ["content-type"],
  /** A form reads Retry-After from a 503 to know when to try again. */
  exposeHeaders: ["retry-after"],
  maxAgeSeconds: 600,
} as const;

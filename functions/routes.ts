/**
 * The public HTTP surface, declared once: the CDK HTTP API and the local gateway both build their
 * routes and CORS rules from this list, so the two cannot drift apart.
 */
export type FunctionName =
  | "ingest"
  | "campaign-query"
  | "donation-status"
  | "beneficiaries"
  | "audit"
  | "unit-figures"
  | "payments"
  | "reports";

export interface Route {
  readonly method: "GET" | "POST" | "DELETE";
  /** API Gateway v2 path, with `{name}` parameters. */
  readonly path: string;
  readonly function: FunctionName;
  /** `staff`: a Cognito JWT authorizer deployed, and the handler verifies the token again. Public when absent. */
  readonly access?: "staff";
}

export const routes: readonly Route[] = [
  { method: "POST", path: "/v1/donations", function: "ingest" },
  { method: "GET", path: "/v1/campaigns/{campaignId}", function: "campaign-query" },
  { method: "GET", path: "/v1/public/funds/{code}", function: "campaign-query" },
  { method: "GET", path: "/v1/donations/{eventId}", function: "donation-status" },
  { method: "GET", path: "/v1/donations/{eventId}/receipt", function: "donation-status" },
  { method: "POST", path: "/v1/beneficiaries", function: "beneficiaries", access: "staff" },
  { method: "GET", path: "/v1/beneficiaries/{beneficiaryId}", function: "beneficiaries", access: "staff" },
  {
    method: "DELETE",
    path: "/v1/beneficiaries/{beneficiaryId}/personal-data",
    function: "beneficiaries",
    access: "staff",
  },
  { method: "GET", path: "/v1/audit", function: "audit", access: "staff" },
  { method: "GET", path: "/v1/units/{code}/support", function: "unit-figures", access: "staff" },
  { method: "GET", path: "/v1/units/{code}/assessments", function: "unit-figures", access: "staff" },
  { method: "GET", path: "/v1/units/{code}/sponsorships", function: "unit-figures", access: "staff" },
  { method: "GET", path: "/v1/public/units/{code}/support", function: "unit-figures" },
  { method: "POST", path: "/v1/support", function: "beneficiaries", access: "staff" },
  {
    method: "POST",
    path: "/v1/support/{supportId}/corrections",
    function: "beneficiaries",
    access: "staff",
  },
  {
    method: "POST",
    path: "/v1/support/{supportId}/revocations",
    function: "beneficiaries",
    access: "staff",
  },
  { method: "POST", path: "/v1/sponsorships", function: "beneficiaries", access: "staff" },
  {
    method: "POST",
    path: "/v1/sponsorships/{sponsorshipId}/end",
    function: "beneficiaries",
    access: "staff",
  },
  { method: "POST", path: "/v1/assessments/registrations", function: "beneficiaries", access: "staff" },
  { method: "POST", path: "/v1/assessments/results", function: "beneficiaries", access: "staff" },
  // Campaign commands are staff commands like the above, so the staff command function serves them.
  { method: "POST", path: "/v1/campaigns", function: "beneficiaries", access: "staff" },
  { method: "POST", path: "/v1/campaigns/{campaignId}/updates", function: "beneficiaries", access: "staff" },
  { method: "POST", path: "/v1/campaigns/{campaignId}/close", function: "beneficiaries", access: "staff" },
  // The notifier signs its calls (functions/payments/bank-transfer.ts): public to the HTTP API, not open.
  { method: "POST", path: "/v1/payments/bank-transfer", function: "payments" },
  // Resolving the review list is a staff command like the above.
  { method: "GET", path: "/v1/payments/review", function: "beneficiaries", access: "staff" },
  { method: "POST", path: "/v1/payments/{transferId}/match", function: "beneficiaries", access: "staff" },
  // Staff receipts of cash and goods, and reversals of income (docs/fund-ledger.md).
  { method: "POST", path: "/v1/receipts/cash", function: "beneficiaries", access: "staff" },
  { method: "POST", path: "/v1/receipts/goods", function: "beneficiaries", access: "staff" },
  { method: "POST", path: "/v1/receipts/{eventId}/reversals", function: "beneficiaries", access: "staff" },
  { method: "GET", path: "/v1/reports", function: "reports", access: "staff" },
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

/** CORS rules as both the CDK HTTP API and the local gateway apply them. */
export interface CorsRules {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly ("GET" | "POST" | "DELETE" | "OPTIONS")[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds: number;
}

/** Where the staff web app runs during development; deployed, the `webAppUrl` context names it. */
export const defaultStaffOrigin = "http://localhost:5173";

/**
 * Staff routes are served to the association's web app alone: its origin only, with the bearer token
 * header. They form an HTTP API of their own, since an HTTP API has one CORS configuration.
 */
export const staffCors = (origin: string): CorsRules => ({
  allowOrigins: [origin],
  allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
  allowHeaders: ["authorization", "content-type"],
  exposeHeaders: ["retry-after", "www-authenticate"],
  maxAgeSeconds: 600,
});

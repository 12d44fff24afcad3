/**
 * The staff sign-in, OAuth 2.0 authorization code with PKCE (RFC 7636) against Cognito's hosted UI, or the
 * local stack's stand-in at the same paths. The app is a public client: no secret, the verifier proves
 * that whoever redeems the code is who asked for it. Pure parts only; the browser glue is in ui/staff/.
 */

/** The sign-in settings `config.json` gives the app: the hosted sign-in's origin and the app's client id. */
export interface AuthConfig {
  /** Like `https://<prefix>.auth.<region>.amazoncognito.com`, or the local stack's own origin. */
  readonly domain: string;
  readonly clientId: string;
}

/**
 * A signed-in member as `ui/staff/session.ts` keeps it (`StaffSession`), restated here so that this module
 * stays free of the browser-only UI code and runs in the unit tests.
 */
export interface SignedIn {
  readonly idToken: string;
  readonly expiresAt: number;
  readonly subject: string;
  readonly role: string;
  readonly unit?: string;
  readonly name?: string;
}

/** What the app keeps between leaving for the sign-in page and coming back to `/auth/callback`. */
export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** The staff page to open after signing in. */
  readonly returnTo: string;
}

/** The scopes the Cognito web client allows (infra/constructs/identity.ts). */
export const SCOPES = "openid email profile";

/** The path the Cognito client names as its callback: `<webAppUrl>/auth/callback`. */
export const CALLBACK_PATH = "/auth/callback";

const base64url = (bytes: Uint8Array): string => {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

/** A fresh random string of 32 bytes, base64url (43 characters): a PKCE verifier, or a state. */
export const randomToken = (
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b),
) => base64url(random(new Uint8Array(32)));

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export const challengeOf = async (verifier: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));

/** Where the browser goes to sign in. */
export const authorizeUrl = (
  config: AuthConfig,
  request: { readonly redirectUri: string; readonly state: string; readonly challenge: string },
): string => {
  const url = new URL("/oauth2/authorize", config.domain);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: request.redirectUri,
    scope: SCOPES,
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.href;
};

/** The token endpoint and the form body that redeems a code with its verifier. */
export const tokenRequest = (
  config: AuthConfig,
  request: { readonly code: string; readonly verifier: string; readonly redirectUri: string },
): { readonly url: string; readonly body: URLSearchParams } => ({
  url: new URL("/oauth2/token", config.domain).href,
  body: new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.clientId,
    code: request.code,
    code_verifier: request.verifier,
    redirect_uri: request.redirectUri,
  }),
});

/** Where the browser goes to end the hosted session too, coming back to `logoutUri` (the app's origin). */
export const logoutUrl = (config: AuthConfig, logoutUri: string): string => {
  const url = new URL("/logout", config.domain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: logoutUri }).toString();
  return url.href;
};

/** What the query string of `/auth/callback` says. */
export type CallbackOutcome =
  | { readonly kind: "code"; readonly code: string; readonly pending: PendingSignIn }
  /** The sign-in page refused or the member cancelled (`error=access_denied`, …). */
  | { readonly kind: "refused"; readonly error: string }
  /** No sign-in was started in this tab, or the state differs: never redeem such a code (CSRF). */
  | { readonly kind: "unexpected" };

/** Reads the callback's query against the sign-in this tab started. */
export const callbackOutcome = (search: string, pending: PendingSignIn | undefined): CallbackOutcome => {
  const query = new URLSearchParams(search);
  const error = query.get("error");
  const state = query.get("state");
  const code = query.get("code");
  if (pending === undefined || state === null || state !== pending.state) return { kind: "unexpected" };
  if (error !== null) return { kind: "refused", error };
  if (code === null || code === "") return { kind: "unexpected" };
  return { kind: "code", code, pending };
};

/** Only a staff path may be returned to after signing in: never another site. */
export const safeReturnTo = (path: string | null | undefined): string =>
  path && /^\/staff(\/[\w\-/]*)?$/.test(path) ? path : "/staff";

/**
 * The claims of a JWT's payload, read without verifying it: the app shows them, the API verifies the token
 * on every call and decides scope from it. Undefined when the token is not a JWT.
 */
export const claimsOf = (jwt: string): Record<string, unknown> | undefined => {
  const payload = jwt.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * The session a token answer makes: the ID token (what the staff routes verify) and, for display, who it
 * names. It ends at the token's `exp` or after `expires_in`, whichever comes first. Undefined when the
 * answer holds no ID token with a subject and one role.
 */
export const sessionOf = (answer: unknown, now: number): SignedIn | undefined => {
  if (typeof answer !== "object" || answer === null) return undefined;
  const { id_token: idToken, expires_in: expiresIn } = answer as Record<string, unknown>;
  if (typeof idToken !== "string") return undefined;
  const claims = claimsOf(idToken);
  const subject = text(claims?.sub);
  const groups = claims?.["cognito:groups"];
  const role = Array.isArray(groups) && groups.length === 1 ? text(groups[0]) : undefined;
  if (claims === undefined || subject === undefined || role === undefined) return undefined;
  const limits = [
    typeof claims.exp === "number" ? claims.exp * 1000 : undefined,
    typeof expiresIn === "number" ? now + expiresIn * 1000 : undefined,
  ].filter((t): t is number => t !== undefined);
  if (limits.length === 0) return undefined;
  const unit = text(claims["custom:unit"]);
  const name = text(claims.name) ?? text(claims.email) ?? text(claims["cognito:username"]);
  return {
    idToken,
    expiresAt: Math.min(...limits),
    subject,
    role,
    ...(unit === undefined ? {} : { unit }),
    ...(name === undefined ? {} : { name }),
  };
};

import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { FetchError, NonRetryableFetchError } from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { InvalidToken } from "#domain/auth-errors.ts";
import { type Principal, principalFromClaims } from "#domain/principal.ts";
import { ConfigError } from "#storage/config.ts";

/**
 * Who issues staff tokens: Cognito when deployed; the local issuer (packages/local/token-issuer.ts)
 * on one machine. Both are verified by aws-jwt-verify, the same call on the same claims.
 */
export type AuthSettings =
  | { readonly kind: "cognito"; readonly userPoolId: string; readonly clientId: string }
  | { readonly kind: "local"; readonly issuer: string; readonly audience: string; readonly jwksUri: string };

/** The environment variables the staff handlers read; the CDK stack and the local stack set them. */
export const AUTH_ENV = {
  userPoolId: "USER_POOL_ID",
  userPoolClientId: "USER_POOL_CLIENT_ID",
  issuer: "AUTH_ISSUER",
  audience: "AUTH_AUDIENCE",
  jwksUri: "AUTH_JWKS_URI",
} as const;

/** Reads the settings once at cold start; throws {@link ConfigError} when neither issuer is configured. */
export const authSettingsFrom = (env: NodeJS.ProcessEnv = process.env): AuthSettings => {
  const pool = env[AUTH_ENV.userPoolId];
  const client = env[AUTH_ENV.userPoolClientId];
  if (pool && client) return { kind: "cognito", userPoolId: pool, clientId: client };
  const issuer = env[AUTH_ENV.issuer];
  const audience = env[AUTH_ENV.audience];
  const jwksUri = env[AUTH_ENV.jwksUri];
  if (issuer && audience && jwksUri) return { kind: "local", issuer, audience, jwksUri };
  throw new ConfigError(
    `set ${AUTH_ENV.userPoolId} and ${AUTH_ENV.userPoolClientId} (Cognito), or ${AUTH_ENV.issuer}, ${AUTH_ENV.audience} and ${AUTH_ENV.jwksUri} (local issuer)`,
  );
};

/**
 * aws-jwt-verify fetches JWKS over HTTPS only; the local issuer serves plain HTTP on the loopback
 * interface, so locally (and only for loopback addresses) the JWKS is fetched with Node's fetch.
 */
const loopbackFetcher: Fetcher = {
  fetch: async (uri) => {
    const { hostname, protocol } = new URL(uri);
    if (protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(hostname)) {
      throw new NonRetryableFetchError(uri, "only a loopback JWKS may be fetched over plain HTTP");
    }
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    } catch (error) {
      throw new FetchError(uri, error instanceof Error ? error.message : String(error));
    }
    if (response.status !== 200) throw new NonRetryableFetchError(uri, `status ${response.status}`);
    return response.arrayBuffer();
  },
};

/** A token without an expiry would be valid forever; aws-jwt-verify checks `exp` only when present. */
const requireExpiry = ({ payload }: { payload: { exp?: number } }) => {
  if (typeof payload.exp !== "number") throw new Error("the token has no expiry");
};

/** Verifies a compact JWT and returns its payload; throws on any invalid token. */
type Verify = (token: string) => Promise<unknown>;

const verifierFor = (settings: AuthSettings): Verify => {
  if (settings.kind === "cognito") {
    // ID tokens: they carry the groups, the custom:unit attribute and the app client as audience.
    const verifier = CognitoJwtVerifier.create({
      userPoolId: settings.userPoolId,
      clientId: settings.clientId,
      tokenUse: "id",
    });
    return (token) => verifier.verify(token);
  }
  const verifier = JwtVerifier.create(
    {
      issuer: settings.issuer,
      audience: settings.audience,
      jwksUri: settings.jwksUri,
      customJwtCheck: requireExpiry,
    },
    { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
  );
  return (token) => verifier.verify(token);
};

/** Base64url segments, and a sane upper bound: anything else is not worth parsing. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Turns a request into the principal its bearer token proves, or throws {@link InvalidToken}. */
export type Authenticate = (event: Pick<APIGatewayProxyEventV2, "headers">) => Promise<Principal>;

/**
 * The one place a staff request's identity is established. The HTTP API's JWT authorizer has already
 * checked the token when deployed; this checks it again (defence in depth, and the same path locally).
 * An unreachable JWKS is the server's problem (a 500), not the caller's; everything else is a 401.
 */
export const createAuthenticator = (settings: AuthSettings): Authenticate => {
  const verify = verifierFor(settings);
  return async (event) => {
    const header = event.headers?.authorization ?? event.headers?.Authorization ?? "";
    const match = /^Bearer +(\S+)$/i.exec(header);
    const token = match?.[1];
    if (token === undefined || token.length > 8192 || !COMPACT_JWT.test(token)) throw new InvalidToken();
    let payload: unknown;
    try {
      payload = await verify(token);
    } catch (error) {
      // The JWKS address is configuration, never taken from the token: failing to fetch it is ours.
      if (error instanceof FetchError) throw error;
      throw new InvalidToken();
    }
    const principal = principalFromClaims(payload);
    if (principal === undefined) throw new InvalidToken();
    return principal;
  };
};

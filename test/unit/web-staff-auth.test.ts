import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  authorizeUrl,
  callbackOutcome,
  challengeOf,
  claimsOf,
  logoutUrl,
  randomToken,
  safeReturnTo,
  sessionOf,
  tokenRequest,
} from "#web/staff-auth.ts";

const config = { domain: "https://khuyenhoc.auth.ap-southeast-1.amazoncognito.com", clientId: "abc123" };
const pending = { state: "s-1", verifier: "v".repeat(43), returnTo: "/staff" };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: "RS256" })}.${b64(claims)}.sig`;

describe("PKCE", () => {
  it("given RFC 7636's example verifier, when its challenge is made, then it is the RFC's S256 challenge", async () => {
    // Given / When
    const challenge = await challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    // Then
    expect(challenge).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("given any random bytes, when made a verifier, then it is 43 base64url characters", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const token = randomToken((b) => {
          b.set(bytes);
          return b;
        });
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(token, "base64url")).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe("the URLs of the flow", () => {
  it("given a Cognito domain, when the sign-in is started, then the authorize URL carries code, client, callback, state and S256 challenge", () => {
    // Given / When
    const url = new URL(
      authorizeUrl(config, {
        redirectUri: "https://staff.example.org/auth/callback",
        state: "s-1",
        challenge: "c-1",
      }),
    );
    // Then
    expect(url.origin + url.pathname).toBe(`${config.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "abc123",
      redirect_uri: "https://staff.example.org/auth/callback",
      scope: "openid email profile",
      state: "s-1",
      code_challenge: "c-1",
      code_challenge_method: "S256",
    });
  });

  it("given a code, when redeemed, then the token request posts the grant, verifier and the same callback", () => {
    // Given / When
    const request = tokenRequest(config, {
      code: "k",
      verifier: "v",
      redirectUri: "https://staff.example.org/auth/callback",
    });
    // Then
    expect(request.url).toBe(`${config.domain}/oauth2/token`);
    expect(Object.fromEntries(request.body)).toEqual({
      grant_type: "authorization_code",
      client_id: "abc123",
      code: "k",
      code_verifier: "v",
      redirect_uri: "https://staff.example.org/auth/callback",
    });
  });

  it("given the app's origin, when signing out, then Cognito's logout names the client and the way back", () => {
    const url = new URL(logoutUrl(config, "https://staff.example.org"));
    expect(url.origin + url.pathname).toBe(`${config.domain}/logout`);
    expect(url.searchParams.get("client_id")).toBe("abc123");
    expect(url.searchParams.get("logout_uri")).toBe("https://staff.example.org");
  });
});

describe("the callback", () => {
  it("given the state this tab sent, when a code comes back, then it may be redeemed", () => {
    expect(callbackOutcome("?code=k-1&state=s-1", pending)).toEqual({ kind: "code", code: "k-1", pending });
  });

  it("given another state, no pending sign-in, or no code, when the callback is read, then nothing is redeemed", () => {
    expect(callbackOutcome("?code=k-1&state=forged", pending)).toEqual({ kind: "unexpected" });
    expect(callbackOutcome("?code=k-1&state=s-1", undefined)).toEqual({ kind: "unexpected" });
    expect(callbackOutcome("?code=k-1", pending)).toEqual({ kind: "unexpected" });
    expect(callbackOutcome("?state=s-1", pending)).toEqual({ kind: "unexpected" });
  });

  it("given a refusal with the right state, when read, then the error is reported", () => {
    expect(callbackOutcome("?error=access_denied&state=s-1", pending)).toEqual({
      kind: "refused",
      error: "access_denied",
    });
  });

  it("given any return path, when kept, then only a staff path survives", () => {
    expect(safeReturnTo("/staff/support/new")).toBe("/staff/support/new");
    expect(safeReturnTo("/staff")).toBe("/staff");
    fc.assert(
      fc.property(fc.string(), (path) => {
        const kept = safeReturnTo(path);
        expect(kept === "/staff" || kept === path).toBe(true);
        expect(kept.startsWith("/staff")).toBe(true);
      }),
    );
    expect(safeReturnTo("//evil.example/staff")).toBe("/staff");
    expect(safeReturnTo("/staff/../../x")).toBe("/staff");
  });
});

describe("the session a token answer makes", () => {
  const now = 1_800_000_000_000;
  const claims = {
    sub: "u-1",
    "cognito:groups": ["unit-staff"],
    "custom:unit": "02683",
    name: "Nguyễn Thị Lan",
    exp: now / 1000 + 3600,
  };

  it("given an ID token, when read, then who it names is kept for display and it ends at the earlier limit", () => {
    // Given / When
    const session = sessionOf({ id_token: jwt(claims), expires_in: 600 }, now);
    // Then
    expect(session).toEqual({
      idToken: jwt(claims),
      expiresAt: now + 600_000,
      subject: "u-1",
      role: "unit-staff",
      unit: "02683",
      name: "Nguyễn Thị Lan",
    });
    expect(sessionOf({ id_token: jwt(claims), expires_in: 7200 }, now)?.expiresAt).toBe(now + 3_600_000);
  });

  it("given a Cognito token without a name, when read, then the email stands for it", () => {
    const { name: _name, ...rest } = claims;
    expect(sessionOf({ id_token: jwt({ ...rest, email: "lan@example.org" }) }, now)?.name).toBe(
      "lan@example.org",
    );
  });

  it("given answers that name nobody or several roles, when read, then there is no session", () => {
    expect(sessionOf({}, now)).toBeUndefined();
    expect(sessionOf({ id_token: "not-a-jwt" }, now)).toBeUndefined();
    expect(sessionOf({ id_token: jwt({ ...claims, "cognito:groups": ["a", "b"] }) }, now)).toBeUndefined();
    expect(sessionOf({ id_token: jwt({ ...claims, sub: "" }) }, now)).toBeUndefined();
    const { exp: _exp, ...noExpiry } = claims;
    expect(sessionOf({ id_token: jwt(noExpiry) }, now)).toBeUndefined();
  });

  it("given Vietnamese in the claims, when decoded, then it reads back intact", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (name) => {
        expect(claimsOf(jwt({ name }))?.name).toBe(name);
      }),
    );
  });
});

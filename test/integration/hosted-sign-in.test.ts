import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator } from "#functions/shared/auth.ts";
import { startGateway } from "#local/gateway.ts";
import { createHostedSignIn, SIGN_IN_DEFAULTS } from "#local/hosted-sign-in.ts";
import {
  generateSigningKey,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIssuer,
  startIssuer,
} from "#local/token-issuer.ts";

/**
 * The local hosted sign-in on a real gateway, and the tokens it issues checked by the real verifier
 * against the issuer's JWKS: the same flow the web app runs against Cognito.
 */
const key = generateSigningKey();
let clock = Date.now();
let gateway: { server: Server; url: string };
let issuer: LocalIssuer;
const authenticate = () =>
  createAuthenticator({
    kind: "local",
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwksUri: issuer.jwksUri,
  });

beforeAll(async () => {
  issuer = await startIssuer(0, key);
  gateway = await startGateway(
    0,
    {},
    () => undefined,
    undefined,
    createHostedSignIn(key, { now: () => clock }),
  );
});
afterAll(async () => {
  gateway.server.closeAllConnections();
  await new Promise((r) => gateway.server.close(r));
  await issuer.stop();
});

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const challenge = createHash("sha256").update(verifier).digest("base64url");
const callback = () => `${gateway.url}/auth/callback`;
const flow = (overrides: Record<string, string> = {}) => ({
  response_type: "code",
  client_id: LOCAL_AUDIENCE,
  redirect_uri: callback(),
  scope: "openid email profile",
  state: "st-1",
  code_challenge: challenge,
  code_challenge_method: "S256",
  ...overrides,
});

/** Posts the sign-in page's form as the developer would, and returns where it redirects. */
const signIn = async (choice: Record<string, string> = {}, params = flow()) => {
  const response = await fetch(`${gateway.url}/oauth2/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...params, ...SIGN_IN_DEFAULTS, action: "sign-in", ...choice }),
  });
  return { status: response.status, location: response.headers.get("location") ?? "" };
};

const codeOf = async (choice: Record<string, string> = {}) => {
  const { location } = await signIn(choice);
  return new URL(location).searchParams.get("code") ?? "";
};

const redeem = async (fields: Record<string, string>) => {
  const response = await fetch(`${gateway.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: LOCAL_AUDIENCE,
      redirect_uri: callback(),
      code_verifier: verifier,
      ...fields,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("the local hosted sign-in", () => {
  it("given the app's request, when the page is opened, then it offers a Vietnamese form with a commune officer by default", async () => {
    // When
    const response = await fetch(`${gateway.url}/oauth2/authorize?${new URLSearchParams(flow())}`);
    const html = await response.text();
    // Then
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("form-action 'self'");
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('<label for="unit">Mã đơn vị</label>');
    expect(html).toContain(`value="${SIGN_IN_DEFAULTS.unit}"`);
    expect(html).toContain('<option value="unit-staff" selected>');
    expect(html).toContain("máy phát triển");
  });

  it("given a signed-in choice, when the code is redeemed with its verifier, then the ID token verifies with that role, unit and name", async () => {
    // Given
    const { status, location } = await signIn({ name: "Trần Văn Bình" });
    expect(status).toBe(302);
    const back = new URL(location);
    expect(back.origin + back.pathname).toBe(callback());
    expect(back.searchParams.get("state")).toBe("st-1");
    // When
    const answer = await redeem({ code: back.searchParams.get("code") ?? "" });
    // Then
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(typeof answer.body.access_token).toBe("string");
    const principal = await authenticate()({
      headers: { authorization: `Bearer ${String(answer.body.id_token)}` },
    } as never);
    expect(principal).toMatchObject({ role: "unit-staff", scope: SIGN_IN_DEFAULTS.unit });
    const claims = JSON.parse(
      Buffer.from(String(answer.body.id_token).split(".")[1] ?? "", "base64url").toString(),
    );
    expect(claims.name).toBe("Trần Văn Bình");
  });

  it("given a wrong verifier, when redeemed, then 400 invalid_grant, and the code is spent", async () => {
    // Given
    const code = await codeOf();
    // When
    const wrong = await redeem({ code, code_verifier: "x".repeat(43) });
    // Then
    expect(wrong).toEqual({ status: 400, body: expect.objectContaining({ error: "invalid_grant" }) });
    expect((await redeem({ code })).status).toBe(400);
  });

  it("given a code already redeemed, when redeemed again, then 400 invalid_grant", async () => {
    const code = await codeOf();
    expect((await redeem({ code })).status).toBe(200);
    expect(await redeem({ code })).toEqual({
      status: 400,
      body: expect.objectContaining({ error: "invalid_grant" }),
    });
  });

  it("given a code, when redeemed for another redirect_uri, then 400 invalid_grant", async () => {
    const code = await codeOf();
    expect(await redeem({ code, redirect_uri: `${gateway.url}/elsewhere` })).toEqual({
      status: 400,
      body: expect.objectContaining({ error: "invalid_grant" }),
    });
  });

  it("given a code older than a minute, when redeemed, then 400 invalid_grant", async () => {
    // Given
    const code = await codeOf();
    // When: the issuer's clock moves on
    clock += 61_000;
    const late = await redeem({ code });
    // Then
    expect(late).toEqual({ status: 400, body: expect.objectContaining({ error: "invalid_grant" }) });
  });

  it("given a redirect_uri off this machine or another client, when the page is asked, then 400 and no redirect", async () => {
    for (const params of [
      flow({ redirect_uri: "https://evil.example/auth/callback" }),
      flow({ redirect_uri: `${gateway.url}/staff` }),
      flow({ client_id: "someone-else" }),
    ]) {
      const page = await fetch(`${gateway.url}/oauth2/authorize?${new URLSearchParams(params)}`, {
        redirect: "manual",
      });
      expect(page.status).toBe(400);
      expect((await signIn({}, params)).status).toBe(400);
    }
  });

  it("given no PKCE challenge, when the page is asked, then the app is sent back invalid_request", async () => {
    const page = await fetch(
      `${gateway.url}/oauth2/authorize?${new URLSearchParams(flow({ code_challenge: "" }))}`,
      { redirect: "manual" },
    );
    expect(page.status).toBe(302);
    expect(new URL(page.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
  });

  it("given a role and a unit that do not fit, when signing in, then the page says so and issues no code", async () => {
    const { status, location } = await signIn({ role: "unit-staff", unit: "15" });
    expect(status).toBe(400);
    expect(location).toBe("");
  });

  it("given a cancel, when posted, then the app is sent back access_denied with its state", async () => {
    const { location } = await signIn({ action: "cancel" });
    expect(Object.fromEntries(new URL(location).searchParams)).toEqual({
      error: "access_denied",
      state: "st-1",
    });
  });

  it("given a sign-out, when the logout_uri is this machine, then back to it; elsewhere, 400", async () => {
    const ok = await fetch(
      `${gateway.url}/logout?${new URLSearchParams({ client_id: LOCAL_AUDIENCE, logout_uri: gateway.url })}`,
      { redirect: "manual" },
    );
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(gateway.url);
    const bad = await fetch(
      `${gateway.url}/logout?${new URLSearchParams({ client_id: LOCAL_AUDIENCE, logout_uri: "https://evil.example" })}`,
      { redirect: "manual" },
    );
    expect(bad.status).toBe(400);
  });

  it("given the built app, when config.json is asked by the origin the browser used, then it names that origin as the sign-in domain", async () => {
    // Given: a gateway serving an app build, with the sign-in
    const dir = mkdtempSync(join(tmpdir(), "khuyenhoc-web-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html>");
    const web = await startGateway(0, {}, () => undefined, dir, createHostedSignIn(key));
    const port = new URL(web.url).port;
    const configFor = (host: string) =>
      new Promise<unknown>((resolve, reject) =>
        get(`${web.url}/config.json`, { headers: { host } }, (res) => {
          let text = "";
          res.on("data", (chunk) => {
            text += chunk;
          });
          res.on("end", () => resolve(JSON.parse(text)));
        }).on("error", reject),
      );
    try {
      // When / Then
      expect(await configFor(`localhost:${port}`)).toEqual({
        apiUrl: "",
        auth: { domain: `http://localhost:${port}`, clientId: LOCAL_AUDIENCE },
      });
      expect(await configFor(`127.0.0.1:${port}`)).toEqual({
        apiUrl: "",
        auth: { domain: web.url, clientId: LOCAL_AUDIENCE },
      });
      // A Host naming another site never becomes the sign-in domain.
      expect(await configFor("evil.example")).toEqual({
        apiUrl: "",
        auth: { domain: web.url, clientId: LOCAL_AUDIENCE },
      });
    } finally {
      web.server.closeAllConnections();
      await new Promise((r) => web.server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

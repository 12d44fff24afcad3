import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidToken } from "#domain/auth-errors.ts";
import { type Authenticate, createAuthenticator } from "#functions/shared/auth.ts";
import {
  generateSigningKey,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIssuer,
  loadSigningKey,
  mintToken,
  type SigningKey,
  signJwt,
  startIssuer,
} from "#local/token-issuer.ts";

/** The real local issuer on a free port and the real aws-jwt-verify verifier pointed at it. */
let issuer: LocalIssuer;
let authenticate: Authenticate;
const key: SigningKey = generateSigningKey();
const stranger: SigningKey = generateSigningKey();

beforeAll(async () => {
  issuer = await startIssuer(0, key);
  authenticate = createAuthenticator({
    kind: "local",
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwksUri: issuer.jwksUri,
  });
});
afterAll(async () => {
  await issuer?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: LOCAL_ISSUER,
  aud: LOCAL_AUDIENCE,
  sub: "3b9a0c1e-0000-4000-8000-000000000001",
  token_use: "id",
  "cognito:groups": ["unit-staff"],
  "custom:unit": "04252",
  iat: now(),
  nbf: now(),
  exp: now() + 600,
  ...overrides,
});
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a valid local token", () => {
  it("given a minted staff token, when authenticated, then it yields subject, role and scope", async () => {
    // Given
    const token = mintToken(key, { subject: "u-1", role: "unit-staff", unit: "04252", name: "Nguyễn Văn A" });
    // When
    const principal = await authenticate(bearer(token));
    // Then
    expect(principal).toEqual({ subject: "u-1", role: "unit-staff", scope: "04252" });
  });
});

describe("every token that is not valid is refused with InvalidToken", () => {
  const cases: [string, () => { headers: Record<string, string> }][] = [
    ["missing", () => ({ headers: {} })],
    ["another scheme", () => ({ headers: { authorization: `Basic ${b64("u:p")}` } })],
    ["malformed", () => bearer("not-a-jwt")],
    ["three garbage segments", () => bearer("abc.def.ghi")],
    [
      "expired",
      () => bearer(signJwt(key, {}, claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 60 }))),
    ],
    ["not yet valid", () => bearer(signJwt(key, {}, claims({ nbf: now() + 600, exp: now() + 1200 })))],
    ["from another issuer", () => bearer(signJwt(key, {}, claims({ iss: "https://evil.example" })))],
    ["for another audience", () => bearer(signJwt(key, {}, claims({ aud: "another-app" })))],
    ["without expiry", () => bearer(signJwt(key, {}, claims({ exp: undefined })))],
    ["alg none", () => bearer(`${b64({ alg: "none", typ: "JWT", kid: key.kid })}.${b64(claims())}.`)],
    ["alg HS256", () => bearer(`${b64({ alg: "HS256", typ: "JWT", kid: key.kid })}.${b64(claims())}.c2ln`)],
    ["signed by another key under our kid", () => bearer(signJwt(stranger, { kid: key.kid }, claims()))],
    ["signed by an unknown key", () => bearer(signJwt(stranger, {}, claims()))],
    ["with no role", () => bearer(signJwt(key, {}, claims({ "cognito:groups": [] })))],
    ["with a scope its role cannot have", () => bearer(signJwt(key, {}, claims({ "custom:unit": "VN" })))],
  ];

  it.each(cases)("given a token %s, when authenticated, then InvalidToken", async (_name, request) => {
    // When
    const outcome = authenticate(request());
    // Then
    await expect(outcome).rejects.toBeInstanceOf(InvalidToken);
  });

  it("given a valid token with one character changed anywhere, then InvalidToken (property)", async () => {
    // Given
    const token = mintToken(key, { subject: "u-2", role: "association-admin", unit: "VN" });
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.nat({ max: alphabet.length - 1 }),
        async (at, c) => {
          const replacement = alphabet[c] ?? "A";
          fc.pre(token[at] !== "." && token[at] !== replacement);
          // The last character of a base64url segment may carry unused bits: changing them changes nothing.
          const tampered = `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`;
          fc.pre(
            Buffer.from(tampered.split(".")[2] ?? "", "base64url").toString("base64url") ===
              tampered.split(".")[2],
          );
          fc.pre(
            Buffer.from(tampered.split(".")[1] ?? "", "base64url").toString("base64url") ===
              tampered.split(".")[1],
          );
          fc.pre(
            Buffer.from(tampered.split(".")[0] ?? "", "base64url").toString("base64url") ===
              tampered.split(".")[0],
          );
          // When / Then
          await expect(authenticate(bearer(tampered))).rejects.toBeInstanceOf(InvalidToken);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("given any claims that are not exactly valid, then InvalidToken (property)", async () => {
    // Given: each generated token breaks at least one rule, chosen at random. Times stay 6 s or more
    // from now: a token that expires while it is being checked is neither valid nor invalid.
    const offset = fc.oneof(fc.integer({ min: -100_000, max: -6 }), fc.integer({ min: 6, max: 100_000 }));
    const broken = fc.record({
      iss: fc.oneof(fc.constant(LOCAL_ISSUER), fc.string()),
      aud: fc.oneof(fc.constant(LOCAL_AUDIENCE), fc.string()),
      expOffset: offset,
      nbfOffset: offset,
      signer: fc.constantFrom("ours", "stranger-our-kid", "stranger"),
      groups: fc.oneof(fc.constant(["unit-staff"]), fc.array(fc.string(), { maxLength: 3 })),
    });
    await fc.assert(
      fc.asyncProperty(broken, async (b) => {
        const valid =
          b.iss === LOCAL_ISSUER &&
          b.aud === LOCAL_AUDIENCE &&
          b.expOffset > 0 &&
          b.nbfOffset < 0 &&
          b.signer === "ours" &&
          b.groups.length === 1 &&
          b.groups[0] === "unit-staff";
        fc.pre(!valid);
        const payload = claims({
          iss: b.iss,
          aud: b.aud,
          exp: now() + b.expOffset,
          nbf: now() + b.nbfOffset,
          "cognito:groups": b.groups,
        });
        const token =
          b.signer === "ours"
            ? signJwt(key, {}, payload)
            : signJwt(stranger, b.signer === "stranger-our-kid" ? { kid: key.kid } : {}, payload);
        // When / Then
        await expect(authenticate(bearer(token))).rejects.toBeInstanceOf(InvalidToken);
      }),
      { numRuns: 200 },
    );
  });

  it("given any Authorization header at all, then a principal or InvalidToken, never another error (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (header) => {
        // When / Then
        await expect(authenticate({ headers: { authorization: header } })).rejects.toBeInstanceOf(
          InvalidToken,
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe("a JWKS that cannot be reached", () => {
  it("given the issuer is down, when a token is checked, then it is a server error, not the caller's 401", async () => {
    // Given
    const down = await startIssuer(0, key);
    const jwksUri = down.jwksUri;
    await down.stop();
    const orphan = createAuthenticator({
      kind: "local",
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      jwksUri,
    });
    // When
    const outcome = orphan(bearer(mintToken(key, { subject: "u", role: "auditor" })));
    // Then
    await expect(outcome).rejects.not.toBeInstanceOf(InvalidToken);
    await expect(outcome).rejects.toThrow();
  });
});

describe("npm run token", () => {
  it("given a data dir, when a token is minted, then stdout holds only a token the issuer of that dir vouches for", async () => {
    // Given
    const dataDir = mkdtempSync(join(tmpdir(), "khuyenhoc-token-"));
    const run = (args: string[]) =>
      execFileSync(process.execPath, ["scripts/token.ts", ...args], {
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    try {
      // When
      const stdout = run(["--role", "unit-staff", "--unit", "04252", "--name", "Nguyễn Văn A"]);
      const served = await startIssuer(0, loadSigningKey(dataDir));
      const check = createAuthenticator({
        kind: "local",
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        jwksUri: served.jwksUri,
      });
      const principal = await check(bearer(stdout.trimEnd())).finally(() => served.stop());
      // Then
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      expect(principal).toMatchObject({ role: "unit-staff", scope: "04252" });
      expect(() => run(["--role", "unit-staff", "--unit", "04"])).toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  sign,
} from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import type { Role } from "#domain/principal.ts";

/** The `iss` and `aud` of local tokens; the local stack hands the same two to the verifier. */
export const LOCAL_ISSUER = "urn:khuyenhoc:local-issuer";
export const LOCAL_AUDIENCE = "khuyenhoc-local-web";

/** An RS256 signing key and the id (`kid`) its tokens name. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

/** Where the signing key lives: beside the local stack's data, never in the repository. */
export const signingKeyFile = (dataDir: string): string => join(dataDir, "auth", "signing-key.json");

/** A fresh RSA key pair, its kid derived from the public key so a new key never reuses an old kid. */
export const generateSigningKey = (): SigningKey => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64url")
    .slice(0, 16);
  return { kid, privateKey };
};

/** The signing key in `dataDir`, generated (readable by its owner only) on first use. */
export const loadSigningKey = (dataDir: string): SigningKey => {
  const file = signingKeyFile(dataDir);
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { kid: string; jwk: JsonWebKey };
    return { kid: stored.kid, privateKey: createPrivateKey({ key: stored.jwk, format: "jwk" }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = generateSigningKey();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ kid: key.kid, jwk: key.privateKey.export({ format: "jwk" }) }), {
    mode: 0o600,
    flag: "wx",
  });
  return key;
};

/** The public half as a JWKS, what the verifier downloads. */
export const jwksOf = (...keys: SigningKey[]) => ({
  keys: keys.map((k) => ({
    ...createPublicKey(k.privateKey).export({ format: "jwk" }),
    kid: k.kid,
    alg: "RS256",
    use: "sig",
  })),
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** Signs any header and payload with RS256: the issuer's one primitive, and how tests forge bad tokens. */
export const signJwt = (
  key: SigningKey,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
) => {
  const input = `${b64({ alg: "RS256", typ: "JWT", kid: key.kid, ...header })}.${b64(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key.privateKey).toString("base64url")}`;
};

export interface TokenRequest {
  readonly subject: string;
  readonly role: Role;
  /** `VN`, a province or a commune code; omitted for roles that work nationwide. */
  readonly unit?: string;
  readonly name?: string;
  readonly ttlSeconds?: number;
  /** Seconds since the epoch; now by default. */
  readonly issuedAt?: number;
}

/**
 * A token shaped like a Cognito ID token (`cognito:groups`, `custom:unit`, `token_use`), so the
 * deployed and the local path read the same claims.
 */
export const mintToken = (key: SigningKey, request: TokenRequest): string => {
  const iat = request.issuedAt ?? Math.floor(Date.now() / 1000);
  return signJwt(
    key,
    {},
    {
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      sub: request.subject,
      token_use: "id",
      "cognito:groups": [request.role],
      ...(request.unit === undefined ? {} : { "custom:unit": request.unit }),
      ...(request.name === undefined ? {} : { name: request.name }),
      iat,
      nbf: iat,
      exp: iat + (request.ttlSeconds ?? 3600),
    },
  );
};

export interface LocalIssuer {
  readonly jwksUri: string;
  readonly server: Server;
  stop(): Promise<void>;
}

/** Serves the JWKS on the loopback interface at `/.well-known/jwks.json`; port 0 picks a free one. */
export const startIssuer = async (port: number, key: SigningKey): Promise<LocalIssuer> => {
  const body = JSON.stringify(jwksOf(key));
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=300" });
      res.end(body);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    jwksUri: `http://127.0.0.1:${actual}/.well-known/jwks.json`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { principalFromClaims, type Role, roles } from "#domain/principal.ts";
import { LOCAL_AUDIENCE, LOCAL_ISSUER, mintToken, type SigningKey, signJwt } from "./token-issuer.ts";

/**
 * A development stand-in for Cognito's hosted sign-in, at Cognito's paths (`/oauth2/authorize`,
 * `/oauth2/token`, `/logout`), so the web app runs the one authorization-code-with-PKCE flow everywhere.
 * The developer picks who to be; nobody proves anything. Served on the local gateway's port, on the
 * loopback interface only, never deployed.
 */
export interface HostedSignIn {
  /** The client id the app must send: the audience of local tokens. */
  readonly clientId: string;
  /** Answers a request on one of the sign-in paths; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export interface HostedSignInOptions {
  /** Milliseconds since the epoch; a test moves it to see a code expire. */
  readonly now?: () => number;
  /** How long a code may wait to be redeemed. */
  readonly codeTtlMs?: number;
  /** Lifetime of the tokens, as the Cognito client's (infra/constructs/identity.ts). */
  readonly tokenTtlSeconds?: number;
}

/** The choices the page starts with: a commune officer of Xã Bát Xát, Lào Cai. */
export const SIGN_IN_DEFAULTS = { role: "unit-staff", unit: "02683", name: "Nguyễn Thị Lan" } as const;

const ROLE_NAMES: Record<Role, string> = {
  "unit-staff": "Cán bộ Hội cấp xã (unit-staff)",
  "association-admin": "Quản trị Hội cấp tỉnh hoặc Trung ương (association-admin)",
  auditor: "Kiểm toán (auditor)",
  reporter: "Báo cáo tự động (reporter)",
};

interface Grant {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly role: Role;
  readonly unit?: string;
  readonly name: string;
  readonly expiresAt: number;
}

/** The app's callback, on this machine only: a code is never sent anywhere else. */
const isLocalRedirect = (value: string | null): value is string => {
  if (value === null) return false;
  try {
    const url = new URL(value);
    return (
      url.protocol === "http:" &&
      ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) &&
      url.pathname === "/auth/callback" &&
      url.search === "" &&
      url.hash === ""
    );
  } catch {
    return false;
  }
};

/** The logout's return address: an origin of this machine, as the Cognito client's logout URL. */
const isLocalOrigin = (value: string | null): value is string => {
  if (value === null) return false;
  try {
    const url = new URL(value);
    return (
      url.protocol === "http:" &&
      ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) &&
      (url.pathname === "/" || url.pathname === "")
    );
  } catch {
    return false;
  }
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;color:#1f2933;background:#f3f6f9;margin:0;padding:1rem}" +
  "main{max-width:30rem;margin:0 auto;background:#fff;padding:1rem 1.25rem;border-radius:8px}" +
  ".note{background:#fff4ce;border-left:4px solid #8a6100;padding:.5rem .75rem}" +
  "label{display:block;font-weight:600;margin-top:1rem}" +
  "input,select{display:block;width:100%;box-sizing:border-box;min-height:44px;font:inherit;" +
  "border:1px solid #6b7785;border-radius:4px;padding:.4rem}" +
  ".hint{color:#4a5561;margin:.25rem 0 0}.error{color:#b00020;font-weight:600}" +
  "button{min-height:44px;font:inherit;margin:1.25rem .5rem 0 0;padding:.5rem 1rem;border-radius:4px;" +
  "border:2px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}" +
  "button.secondary{background:#fff;color:#0b5cad}" +
  ":focus-visible{outline:3px solid #1f2933;outline-offset:2px}";
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/**
 * The page's own policy: its one style block, no script, a form that posts here; Chromium holds the
 * redirect that follows the post to form-action too, so the app's origin is named.
 */
const pageHeaders = (appOrigin = "") => ({
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self' ${appOrigin}; base-uri 'none'; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
});

const page = (res: ServerResponse, status: number, body: string, appOrigin?: string): true => {
  res.writeHead(status, pageHeaders(appOrigin));
  res.end(
    `<!doctype html><html lang="vi"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>Đăng nhập (máy phát triển)</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`,
  );
  return true;
};

const problemPage = (res: ServerResponse, message: string) =>
  page(res, 400, `<h1>Không thể đăng nhập</h1><p class="error">${escapeHtml(message)}</p>`);

const redirect = (res: ServerResponse, location: string): true => {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
  return true;
};

const oauthError = (res: ServerResponse, status: number, error: string, description: string): true => {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    pragma: "no-cache",
  });
  res.end(JSON.stringify({ error, error_description: description }));
  return true;
};

const readForm = async (req: IncomingMessage): Promise<URLSearchParams | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
};

const FLOW_FIELDS = [
  "client_id",
  "redirect_uri",
  "state",
  "code_challenge",
  "code_challenge_method",
] as const;

/** The flow's parameters as the app sent them, or what is wrong with them. */
const flowOf = (query: URLSearchParams) => {
  if (query.get("client_id") !== LOCAL_AUDIENCE) return { problem: "client_id không đúng." } as const;
  const redirectUri = query.get("redirect_uri");
  if (!isLocalRedirect(redirectUri))
    return { problem: "redirect_uri phải là http://127.0.0.1:<cổng>/auth/callback trên máy này." } as const;
  const challenge = query.get("code_challenge") ?? "";
  if (query.get("code_challenge_method") !== "S256" || !/^[\w-]{43,128}$/.test(challenge))
    return { redirectError: "invalid_request", redirectUri } as const;
  return { redirectUri, challenge, state: query.get("state") ?? "" } as const;
};

const withQuery = (uri: string, params: Record<string, string>) => {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== "") url.searchParams.set(k, v);
  return url.href;
};

const form = (
  query: URLSearchParams,
  choice: { role: string; unit: string; name: string },
  error?: string,
) => {
  const hidden = FLOW_FIELDS.map(
    (f) => `<input type="hidden" name="${f}" value="${escapeHtml(query.get(f) ?? "")}">`,
  ).join("");
  const options = roles
    .map(
      (r) =>
        `<option value="${r}"${r === choice.role ? " selected" : ""}>${escapeHtml(ROLE_NAMES[r])}</option>`,
    )
    .join("");
  return (
    `<h1>Đăng nhập khu vực cán bộ</h1>` +
    `<p class="note" role="note">Trang đăng nhập thay thế trên máy phát triển: chọn vai trò và đơn vị để thử. ` +
    `Khi triển khai, cán bộ đăng nhập bằng tài khoản Amazon Cognito.</p>` +
    (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : "") +
    `<form method="post" action="/oauth2/authorize">${hidden}` +
    `<label for="role">Vai trò</label><select id="role" name="role">${options}</select>` +
    `<label for="unit">Mã đơn vị</label>` +
    `<input id="unit" name="unit" inputmode="numeric" autocomplete="off" value="${escapeHtml(choice.unit)}" aria-describedby="unit-hint">` +
    `<p id="unit-hint" class="hint">Mã xã, phường (5 chữ số) cho cán bộ cấp xã; VN hoặc mã tỉnh (2 chữ số) cho quản trị; để trống cho kiểm toán.</p>` +
    `<label for="name">Họ và tên</label>` +
    `<input id="name" name="name" autocomplete="name" value="${escapeHtml(choice.name)}">` +
    `<button type="submit" name="action" value="sign-in">Đăng nhập</button>` +
    `<button type="submit" name="action" value="cancel" class="secondary">Huỷ</button></form>`
  );
};

/** A subject that stays the same for the same person, role and unit, as a user pool's `sub` does. */
const subjectOf = (role: string, unit: string, name: string) =>
  `local-${createHash("sha256").update(`${role}|${unit}|${name}`).digest("hex").slice(0, 24)}`;

/** The local hosted sign-in, issuing tokens signed with the local issuer's key. */
export const createHostedSignIn = (key: SigningKey, options: HostedSignInOptions = {}): HostedSignIn => {
  const now = options.now ?? Date.now;
  const codeTtlMs = options.codeTtlMs ?? 60_000;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const grants = new Map<string, Grant>();

  const authorizePage = (res: ServerResponse, query: URLSearchParams) => {
    const flow = flowOf(query);
    if ("problem" in flow) return problemPage(res, flow.problem ?? "");
    if ("redirectError" in flow)
      return redirect(
        res,
        withQuery(flow.redirectUri, { error: flow.redirectError ?? "", state: query.get("state") ?? "" }),
      );
    return page(res, 200, form(query, SIGN_IN_DEFAULTS), new URL(flow.redirectUri).origin);
  };

  const signIn = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readForm(req);
    if (body === undefined) return problemPage(res, "Yêu cầu quá lớn.");
    const flow = flowOf(body);
    if ("problem" in flow) return problemPage(res, flow.problem ?? "");
    if ("redirectError" in flow)
      return redirect(res, withQuery(flow.redirectUri, { error: "invalid_request", state: "" }));
    if (body.get("action") === "cancel")
      return redirect(res, withQuery(flow.redirectUri, { error: "access_denied", state: flow.state }));
    const choice = {
      role: body.get("role") ?? "",
      unit: (body.get("unit") ?? "").trim(),
      name: (body.get("name") ?? "").trim(),
    };
    const principal = principalFromClaims({
      sub: "check",
      "cognito:groups": [choice.role],
      ...(choice.unit === "" ? {} : { "custom:unit": choice.unit }),
    });
    if (principal === undefined || choice.name === "" || choice.name.length > 100)
      return page(
        res,
        400,
        form(
          body,
          choice,
          choice.name === "" || choice.name.length > 100
            ? "Vui lòng nhập họ và tên (tối đa 100 ký tự)."
            : "Vai trò và mã đơn vị không khớp: xem hướng dẫn dưới ô mã đơn vị.",
        ),
        new URL(flow.redirectUri).origin,
      );
    const code = randomBytes(32).toString("base64url");
    grants.set(code, {
      challenge: flow.challenge,
      redirectUri: flow.redirectUri,
      role: principal.role,
      ...(choice.unit === "" ? {} : { unit: choice.unit }),
      name: choice.name,
      expiresAt: now() + codeTtlMs,
    });
    return redirect(res, withQuery(flow.redirectUri, { code, state: flow.state }));
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readForm(req);
    if (body === undefined) return oauthError(res, 400, "invalid_request", "the body is too large");
    if (body.get("grant_type") !== "authorization_code")
      return oauthError(res, 400, "unsupported_grant_type", "only authorization_code is supported");
    if (body.get("client_id") !== LOCAL_AUDIENCE)
      return oauthError(res, 400, "invalid_client", "unknown client_id");
    const code = body.get("code") ?? "";
    const grant = grants.get(code);
    // A code is redeemed at most once, whatever the outcome: a second try with it is refused.
    grants.delete(code);
    for (const [other, g] of grants) if (g.expiresAt <= now()) grants.delete(other);
    if (grant === undefined || grant.expiresAt <= now())
      return oauthError(res, 400, "invalid_grant", "the code is unknown, used or expired");
    if (body.get("redirect_uri") !== grant.redirectUri)
      return oauthError(res, 400, "invalid_grant", "redirect_uri differs from the authorization request");
    const verifier = body.get("code_verifier") ?? "";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    if (!/^[\w.~-]{43,128}$/.test(verifier) || challenge !== grant.challenge)
      return oauthError(res, 400, "invalid_grant", "code_verifier does not match the code_challenge");
    const subject = subjectOf(grant.role, grant.unit ?? "", grant.name);
    const issuedAt = Math.floor(now() / 1000);
    const idToken = mintToken(key, {
      subject,
      role: grant.role,
      ...(grant.unit === undefined ? {} : { unit: grant.unit }),
      name: grant.name,
      ttlSeconds: tokenTtlSeconds,
      issuedAt,
    });
    const accessToken = signJwt(
      key,
      {},
      {
        iss: LOCAL_ISSUER,
        client_id: LOCAL_AUDIENCE,
        sub: subject,
        token_use: "access",
        scope: "openid email profile",
        "cognito:groups": [grant.role],
        iat: issuedAt,
        exp: issuedAt + tokenTtlSeconds,
      },
    );
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      pragma: "no-cache",
    });
    res.end(
      JSON.stringify({
        id_token: idToken,
        access_token: accessToken,
        expires_in: tokenTtlSeconds,
        token_type: "Bearer",
      }),
    );
    return true;
  };

  const logout = (res: ServerResponse, query: URLSearchParams) => {
    if (query.get("client_id") !== LOCAL_AUDIENCE) return problemPage(res, "client_id không đúng.");
    const back = query.get("logout_uri");
    if (!isLocalOrigin(back)) return problemPage(res, "logout_uri phải là một địa chỉ trên máy này.");
    return redirect(res, back);
  };

  return {
    clientId: LOCAL_AUDIENCE,
    async handle(req, res, url) {
      const method = (req.method ?? "GET").toUpperCase();
      if (url.pathname === "/oauth2/authorize") {
        if (method === "GET") return authorizePage(res, url.searchParams);
        if (method === "POST") return signIn(req, res);
      } else if (url.pathname === "/oauth2/token") {
        if (method === "POST") return token(req, res);
      } else if (url.pathname === "/logout") {
        if (method === "GET") return logout(res, url.searchParams);
      } else return false;
      res.writeHead(405, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: "method_not_allowed", message: `${url.pathname}: wrong method` }));
      return true;
    },
  };
};

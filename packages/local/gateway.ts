import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import {
  type CorsRules,
  cors,
  defaultStaffOrigin,
  type FunctionName,
  type Route,
  routes,
  staffCors,
} from "#functions/routes.ts";
import type { HostedSignIn } from "./hosted-sign-in.ts";
import { localContext } from "./poller.ts";
import { serveWebFile } from "./web-files.ts";

/**
 * Query parameters as API Gateway (payload 2.0) hands them to a function: a repeated name arrives once, its
 * values joined by commas, so `year=2026&year=2025` fails validation here as it does deployed.
 */
export const queryParametersOf = (params: URLSearchParams): Record<string, string> =>
  Object.fromEntries([...new Set(params.keys())].map((name) => [name, params.getAll(name).join(",")]));

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** API Gateway rejects larger payloads; locally we stop reading well before to protect the process. */
const MAX_READ_BYTES = 1024 * 1024;

const compile = (route: Route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, regex: new RegExp(`^${pattern}$`), names };
};

const send = (
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
) => {
  res.writeHead(status, headers);
  res.end(body);
};

/**
 * An answer the gateway gives itself, in the API's error shape `{error, message}` (README), so a client
 * parses every error the same way. Deployed, API Gateway's own answers differ: docs/local-runtime.md.
 */
const sendError = (
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
) =>
  send(
    res,
    status,
    { "content-type": "application/json; charset=utf-8", ...headers },
    JSON.stringify({ error, message }),
  );

/** Path parameters percent-decoded, or undefined if one is not valid percent-encoded UTF-8. */
const decodeParameters = (names: readonly string[], values: readonly (string | undefined)[]) => {
  try {
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i] ?? "")]));
  } catch {
    return undefined;
  }
};

/**
 * Request bytes as the handler receives them: text when they are UTF-8, as API Gateway hands a JSON
 * body to Lambda; otherwise base64-encoded with `isBase64Encoded`, so the handler sees exactly what was
 * sent and refuses it, instead of a string in which the bad bytes became U+FFFD.
 */
const bodyOf = (bytes: Buffer): { body: string; isBase64Encoded: boolean } => {
  try {
    return {
      body: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes),
      isBase64Encoded: false,
    };
  } catch {
    return { body: bytes.toString("base64"), isBase64Encoded: true };
  }
};

const headersOf = (rules: CorsRules) => ({
  "access-control-allow-origin": rules.allowOrigins.join(","),
  "access-control-allow-methods": rules.allowMethods.join(","),
  "access-control-allow-headers": rules.allowHeaders.join(","),
  "access-control-max-age": String(rules.maxAgeSeconds),
  ...(rules.exposeHeaders ? { "access-control-expose-headers": rules.exposeHeaders.join(",") } : {}),
});
const corsHeaders = headersOf(cors);
/** Staff routes answer CORS for the web app's origin only (STAFF_WEB_ORIGIN, as webAppUrl deployed). */
const staffRules = staffCors(process.env.STAFF_WEB_ORIGIN ?? defaultStaffOrigin);
const staffCorsHeaders = headersOf(staffRules);

/** Reads the body up to a limit; undefined when the client sent more than the limit. */
const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_READ_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });

/**
 * The HTTP API, run locally: matches the routes of functions/routes.ts, answers CORS preflights as the
 * deployed API does, turns each request into an API Gateway v2 (payload 2.0) event for the same handler
 * code. What it answers itself (unknown route, wrong method, body too large, malformed path) it answers
 * in the API's error shape. A caller that wires only some functions (a drill) serves only their routes.
 * Given `webDir`, a GET outside the API (`/v1/`) is answered with the built web app, on the same port;
 * given `signIn`, the local hosted sign-in answers its paths there too, and `config.json` names it.
 */
export const startGateway = async (
  port: number,
  handlers: Partial<Record<FunctionName, HttpHandler>>,
  onError: (error: unknown) => void,
  webDir?: string,
  signIn?: HostedSignIn,
): Promise<{ server: Server; url: string; inFlight: () => number }> => {
  const compiled = routes.filter((route) => handlers[route.function] !== undefined).map(compile);
  let inFlight = 0;
  // The sign-in is on the origin the browser used (127.0.0.1 or localhost), so the app's CSP needs no other.
  const webConfig = (req: IncomingMessage) => {
    const host = req.headers.host ?? "";
    const origin = /^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/.test(host) ? `http://${host}` : ownUrl;
    return { apiUrl: "", ...(signIn ? { auth: { domain: origin, clientId: signIn.clientId } } : {}) };
  };
  let ownUrl = "";
  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://localhost");
      } catch {
        return sendError(res, 400, "malformed_path", "the request path is not a valid URL path");
      }
      if (signIn && (await signIn.handle(req, res, url))) return;
      const method = (req.method ?? "GET").toUpperCase();
      const onPath = compiled
        .map((c) => ({ c, m: c.regex.exec(url.pathname) }))
        .filter((x): x is { c: ReturnType<typeof compile>; m: RegExpExecArray } => x.m !== null);
      if (method === "OPTIONS" && onPath.length > 0) {
        return send(
          res,
          204,
          onPath.some((x) => x.c.route.access === "staff") ? staffCorsHeaders : corsHeaders,
          "",
        );
      }
      const isPage = (method === "GET" || method === "HEAD") && !url.pathname.startsWith("/v1/");
      if (onPath.length === 0 && isPage && webDir && serveWebFile(webDir, url.pathname, res, webConfig(req)))
        return;
      if (onPath.length === 0) return sendError(res, 404, "not_found", `no route for ${url.pathname}`);
      const match = onPath.find((x) => x.c.route.method === method);
      if (match === undefined) {
        const allowed = [...new Set(onPath.map((x) => x.c.route.method))].join(", ");
        return sendError(res, 405, "method_not_allowed", `${url.pathname} answers only ${allowed}`, {
          allow: allowed,
        });
      }
      const pathParameters = decodeParameters(match.c.names, match.m.slice(1));
      if (pathParameters === undefined) {
        return sendError(res, 400, "malformed_path", "the request path holds malformed percent-encoding");
      }
      const bytes = await readBody(req);
      if (bytes === undefined) {
        return sendError(
          res,
          413,
          "payload_too_large",
          `the body must be at most ${MAX_READ_BYTES} bytes at the gateway`,
        );
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
      const now = new Date();
      const event: APIGatewayProxyEventV2 = {
        version: "2.0",
        routeKey: `${match.c.route.method} ${match.c.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(url.search ? { queryStringParameters: queryParametersOf(url.searchParams) } : {}),
        ...(match.c.names.length > 0 ? { pathParameters } : {}),
        requestContext: {
          accountId: "000000000000",
          apiId: "local",
          domainName: headers.host ?? "localhost",
          domainPrefix: "local",
          http: {
            method,
            path: url.pathname,
            protocol: `HTTP/${req.httpVersion}`,
            sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
            userAgent: headers["user-agent"] ?? "",
          },
          requestId: randomUUID(),
          routeKey: `${match.c.route.method} ${match.c.route.path}`,
          stage: "$default",
          time: now.toISOString(),
          timeEpoch: now.getTime(),
        },
        ...(bytes.length > 0 ? bodyOf(bytes) : { isBase64Encoded: false }),
      };
      const handler = handlers[match.c.route.function];
      if (handler === undefined) throw new Error(`no handler for ${match.c.route.function}`);
      const result = await handler(event, localContext(match.c.route.function));
      if (typeof result === "string") return send(res, 200, { "content-type": "application/json" }, result);
      const outHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k.toLowerCase()] = String(v);
      // As the deployed staff API does: its CORS answer goes on every response, to the web app alone.
      if (match.c.route.access === "staff" && staffRules.allowOrigins.includes(headers.origin ?? "")) {
        outHeaders["access-control-allow-origin"] = headers.origin ?? "";
      }
      const outBody = result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : (result.body ?? "");
      return send(res, result.statusCode ?? 200, outHeaders, outBody);
    } catch (error) {
      onError(error);
      return sendError(res, 500, "internal", "something went wrong; please try again");
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  ownUrl = `http://127.0.0.1:${actualPort}`;
  return { server, url: ownUrl, inFlight: () => inFlight };
};

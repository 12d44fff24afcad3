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
import { localContext } from "./poller.ts";

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

const headersOf = (rules: CorsRules) => ({
  "access-control-allow-origin": rules.allowOrigins.join(","),
  "access-control-allow-methods": rules.allowMethods.join(","),
  "access-control-allow-headers": rules.allowHeaders.join(","),
  "access-control-max-age": String(rules.maxAgeSeconds),
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
 * code, and unknown routes into the API's own `404 {"message":"Not Found"}`.
 */
export const startGateway = async (
  port: number,
  /** Routes whose function is not given answer 404, as if absent (harnesses that run only donations). */
  handlers: Partial<Record<FunctionName, HttpHandler>>,
  onError: (error: unknown) => void,
): Promise<{ server: Server; url: string; inFlight: () => number }> => {
  const compiled = routes.filter((r) => handlers[r.function] !== undefined).map(compile);
  let inFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const method = (req.method ?? "GET").toUpperCase();
      const preflight = method === "OPTIONS" ? compiled.find((c) => c.regex.test(url.pathname)) : undefined;
      if (preflight !== undefined) {
        return send(res, 204, preflight.route.access === "staff" ? staffCorsHeaders : corsHeaders, "");
      }
      const match = compiled
        .filter((c) => c.route.method === method)
        .map((c) => ({ c, m: c.regex.exec(url.pathname) }))
        .find((x) => x.m !== null);
      if (!match?.m) return send(res, 404, { "content-type": "application/json" }, '{"message":"Not Found"}');
      const body = await readBody(req);
      if (body === undefined) {
        return send(
          res,
          413,
          { "content-type": "application/json" },
          '{"message":"Request Entity Too Large"}',
        );
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
      const pathParameters = Object.fromEntries(
        match.c.names.map((n, i) => [n, decodeURIComponent(match.m?.[i + 1] ?? "")]),
      );
      const now = new Date();
      const event: APIGatewayProxyEventV2 = {
        version: "2.0",
        routeKey: `${match.c.route.method} ${match.c.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
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
        ...(body.length > 0 ? { body: body.toString("utf8") } : {}),
        isBase64Encoded: false,
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
      return send(res, 500, { "content-type": "application/json" }, '{"message":"Internal Server Error"}');
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
  return { server, url: `http://127.0.0.1:${actualPort}`, inFlight: () => inFlight };
};

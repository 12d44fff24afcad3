import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { z } from "zod";
import {
  ClientError,
  type Issue,
  MalformedJson,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationFailed,
} from "#domain/errors.ts";
import type { Log } from "#storage/log.ts";

/** Web forms post small bodies; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 32 * 1024;

type HttpResult = Exclude<APIGatewayProxyResultV2, string>;

export const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body),
});

/** zod issues as the client reads them: where, and what is wrong. */
export const issuesOf = (error: z.ZodError): Issue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));

/** zod says "expected string, received undefined" for a missing field; a form author wants "required". */
const requiredMessage = (issue: { code?: string; input?: unknown }) =>
  issue.code === "invalid_type" && issue.input === undefined ? "is required" : undefined;

/**
 * Reads a JSON body, refusing what is not JSON, too large, or not valid against `schema`. The only
 * place a request body is trusted into a type.
 */
export const parseJsonBody = <S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> => {
  const contentType = event.headers?.["content-type"] ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaType("the body must be JSON, sent with content-type: application/json");
  }
  const raw = event.body ?? "";
  const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) {
    throw new PayloadTooLarge(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedJson("the body is not valid JSON");
  }
  const parsed = schema.safeParse(value, { error: requiredMessage });
  if (!parsed.success) throw new ValidationFailed("the body is not a valid request", issuesOf(parsed.error));
  return parsed.data;
};

/**
 * The one edge where errors become responses: client errors with their code, message and issues;
 * anything else a bare 500, logged here and never echoed.
 */
export const httpErrors = (
  log: Log,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  onError: async (request) => {
    const error = request.error;
    if (error instanceof ClientError) {
      const response = json(error.status, {
        error: error.code,
        message: error.message,
        ...(error.issues.length > 0 ? { issues: error.issues } : {}),
      });
      request.response = { ...response, headers: { ...response.headers, ...error.headers } };
      return;
    }
    log.error("request failed", { error });
    request.response = json(500, { error: "internal", message: "something went wrong; please try again" });
  },
});

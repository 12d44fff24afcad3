import middy from "@middy/core";
import httpCors from "@middy/http-cors";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { z } from "zod";
import {
  Busy,
  ClientError,
  type Issue,
  MalformedJson,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationFailed,
} from "#domain/errors.ts";
import { NOT_BLANK, WELL_FORMED } from "#events/text.ts";
import type { Log } from "#storage/log.ts";
import { cors } from "../routes.ts";

/** Web forms post small bodies; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 32 * 1024;

type HttpResult = Exclude<APIGatewayProxyResultV2, string>;

export const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body),
});

const REQUIRED = "is required";

/**
 * zod says "expected string, received undefined" for a missing field, "invalid option" for a missing
 * choice (an enum) and "invalid discriminator value" for a missing kind (`contribution.kind`); a form
 * author wants "required" for all three.
 */
const requiredMessage = (issue: { code?: string; input?: unknown; discriminator?: string }) => {
  const missing =
    issue.code === "invalid_union" && issue.discriminator !== undefined
      ? (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator] === undefined
      : (issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined;
  return missing ? REQUIRED : undefined;
};

/** Size words by what was measured, so a form can say "too long" of text and "too large" of a number. */
const SIZE: Record<string, readonly [small: string, big: string]> = {
  string: ["too_short", "too_long"],
  number: ["too_small", "too_large"],
  int: ["too_small", "too_large"],
  bigint: ["too_small", "too_large"],
  array: ["too_few", "too_many"],
  set: ["too_few", "too_many"],
};

/**
 * A stable code for a zod issue, so a client can word it in the reader's language without parsing the
 * English message. The messages stay as they are; codes are only ever added, never renamed.
 */
export const issueCode = (issue: z.core.$ZodIssue): string => {
  // A missing value reads "is required" whatever zod called it (a missing enum is an invalid_value).
  if (issue.message === REQUIRED) return "required";
  switch (issue.code) {
    case "invalid_type":
      return "invalid_type";
    case "too_small":
      return SIZE[issue.origin]?.[0] ?? "too_small";
    case "too_big":
      return SIZE[issue.origin]?.[1] ?? "too_large";
    case "invalid_format":
      if (issue.format === "date") return "invalid_date";
      if (issue.format === "datetime") return "invalid_datetime";
      if (issue.format === "regex" && issue.pattern === NOT_BLANK.toString()) return "blank";
      if (issue.format === "regex" && issue.pattern === WELL_FORMED.toString()) return "not_unicode";
      return "invalid_format";
    case "invalid_value":
      return "invalid_value";
    case "unrecognized_keys":
      return "unknown_field";
    default:
      return "invalid";
  }
};

/** zod issues as the client reads them: where, what is wrong, and a stable code for it. */
export const issuesOf = (error: z.ZodError): Issue[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issueCode(issue),
  }));

/** U+FFFD: what a lenient decoder puts where bytes were not UTF-8. */
const REPLACEMENT = "\uFFFD";

/**
 * The body as text, decoded strictly: JSON between systems is UTF-8 (RFC 8259 §8.1), and a decoder that
 * replaced bad bytes with U+FFFD would store a donor's name with `�` in it.
 *
 * Where the bytes are at hand (a base64 body; the local gateway passes any body that is not UTF-8 so)
 * they are decoded with a fatal decoder. The deployed HTTP API hands a JSON body to Lambda as a string it
 * has already decoded, and AWS does not document what it does with bytes that are not UTF-8; the one
 * trace a lenient decoding can leave is U+FFFD. So a body whose text holds U+FFFD is refused as not
 * valid UTF-8 too, naming each field where it appears: locally and deployed alike. A client that truly
 * means U+FFFD can send it escaped (`\ufffd`), which no decoder produces.
 */
const textOf = (event: APIGatewayProxyEventV2): string => {
  const raw = event.body ?? "";
  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(raw, "utf8") > MAX_BODY_BYTES) throw tooLarge();
    return raw;
  }
  const bytes = Buffer.from(raw, "base64");
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new MalformedJson("the body is not valid UTF-8");
  }
};

const tooLarge = () => new PayloadTooLarge(`the body must be at most ${MAX_BODY_BYTES} bytes`);

/** Deeper than any request the API knows; a body nested past it is refused before anything walks it. */
export const MAX_BODY_DEPTH = 32;

/**
 * What is wrong with the shape of `text` (valid JSON) that JSON.parse lets through, in one pass over it:
 * - nesting deeper than `MAX_BODY_DEPTH`: a 32 KB body of `[[[[...` nests some 16 000 deep, and a recursive
 *   walk of it (the checks below, a schema) overflows the stack, a 500. Said first, whatever else is wrong;
 * - a name an object holds twice: JSON.parse keeps the last value, another parser (a proxy, a log reader)
 *   may keep the first, so a body that means two things to two readers is refused rather than guessed at.
 *   Names compare decoded, so `"a"` and `"\u0061"` are one.
 */
const shapeProblemOf = (text: string): string | undefined => {
  const open: (Set<string> | "array")[] = [];
  let duplicate: string | undefined;
  let nameNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const names = open.at(-1);
      if (nameNext && names instanceof Set && duplicate === undefined) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (names.has(name)) duplicate = name;
        names.add(name);
      }
      nameNext = false;
      i = end;
    } else if (c === "{" || c === "[") {
      open.push(c === "{" ? new Set() : "array");
      if (open.length > MAX_BODY_DEPTH)
        return `the body nests arrays or objects more than ${MAX_BODY_DEPTH} levels deep`;
      nameNext = c === "{";
    } else if (c === "}" || c === "]") {
      open.pop();
    } else if (c === ",") {
      nameNext = open.at(-1) instanceof Set;
    }
  }
  return duplicate === undefined
    ? undefined
    : `the body names the field ${JSON.stringify(duplicate)} twice in one object`;
};

/** Every string in a parsed body, with its path, for checks that hold in every field. */
const stringsOf = (value: unknown, path: string[] = []): { path: string; text: string }[] => {
  if (typeof value === "string") return [{ path: path.join("."), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, [...path, String(i)]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => stringsOf(v, [...path, k]));
  }
  return [];
};

/**
 * Strings JSON can carry but Unicode text cannot: an unpaired surrogate (`"\ud800"`) has no UTF-8
 * encoding, so no system downstream (DynamoDB, SQS, a receipt, an export) could hold it faithfully.
 */
const illFormedIssues = (value: unknown): Issue[] =>
  stringsOf(value)
    .filter((s) => !s.text.isWellFormed())
    .map((s) => ({
      path: s.path,
      message: "must be valid Unicode text: it holds an unpaired surrogate",
      code: "not_unicode",
    }));

/**
 * Reads a JSON body, refusing what is not UTF-8, not JSON, too large, or not valid against `schema`. The
 * only place a request body is trusted into a type.
 */
export const parseJsonBody = <S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> => {
  const contentType = event.headers?.["content-type"] ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaType("the body must be JSON, sent with content-type: application/json");
  }
  const text = textOf(event);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedJson("the body is not valid JSON");
  }
  const shapeProblem = shapeProblemOf(text);
  if (shapeProblem !== undefined) throw new MalformedJson(shapeProblem);
  if (text.includes(REPLACEMENT)) {
    throw new MalformedJson(
      "the body is not valid UTF-8: it holds U+FFFD, the mark of bytes that were not (send it as \\ufffd if meant)",
      stringsOf(value)
        .filter((s) => s.text.includes(REPLACEMENT))
        .map((s) => ({
          path: s.path,
          message: "holds U+FFFD, the mark of bytes that were not UTF-8",
          code: "not_utf8",
        })),
    );
  }
  const parsed = schema.safeParse(value, { error: requiredMessage });
  // The schema refuses unpaired surrogates in the fields it knows; this check covers every other string.
  // Where both see one, the client reads it once.
  const schemaIssues = parsed.success ? [] : issuesOf(parsed.error);
  const seen = new Set(schemaIssues.map((i) => `${i.path}\n${i.message}`));
  const issues = [
    ...illFormedIssues(value).filter((i) => !seen.has(`${i.path}\n${i.message}`)),
    ...schemaIssues,
  ];
  if (!parsed.success || issues.length > 0) {
    throw new ValidationFailed("the body is not a valid request", issues);
  }
  return parsed.data;
};

/**
 * Error names AWS gives throttling, from DynamoDB (per table and per account), SQS (its query and JSON
 * protocols, and KMS behind an encrypted queue) and the SDK's generic classification. Reaching the
 * handler means the SDK's own retries with backoff are spent.
 */
const THROTTLING = new Set([
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "KmsThrottled",
  "TooManyRequestsException",
  "SlowDown",
]);

/** Seconds a throttled client is asked to wait: long enough for DynamoDB and SQS to catch up. */
export const RETRY_AFTER_SECONDS = 2;

const isThrottling = (error: unknown): boolean =>
  error instanceof Error &&
  (THROTTLING.has(error.name) ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 429);

/**
 * The one edge where errors become responses: client errors with their code, message and issues;
 * AWS throttling a 503 with Retry-After, since the same request retried later will succeed (and is
 * idempotent by its eventId); anything else a bare 500, logged here and never echoed.
 */
export const httpErrors = (
  log: Log,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  onError: async (request) => {
    const thrown = request.error;
    if (isThrottling(thrown)) log.warn("throttled by AWS; asking the client to retry", { error: thrown });
    const error = isThrottling(thrown)
      ? new Busy("the service is busy; please retry in a moment", RETRY_AFTER_SECONDS)
      : thrown;
    if (error instanceof ClientError) {
      const response = json(error.status, {
        error: error.code,
        message: error.message,
        ...(error.issues.length > 0 ? { issues: error.issues } : {}),
      });
      request.response = {
        ...response,
        headers: {
          ...response.headers,
          ...error.headers,
          ...(error instanceof Busy ? { "retry-after": String(error.retryAfterSeconds) } : {}),
        },
      };
      return;
    }
    log.error("request failed", { error });
    request.response = json(500, { error: "internal", message: "something went wrong; please try again" });
  },
});

/**
 * A public route's handler chain: CORS for the association's web forms (the rules of functions/routes.ts,
 * exposing Retry-After) and errors mapped at the one edge. Each public handler adds only its `.handler`.
 */
export const publicRoute = (log: Log) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(
      httpCors({
        origins: [...cors.allowOrigins],
        methods: cors.allowMethods.join(","),
        exposeHeaders: cors.exposeHeaders.join(","),
      }),
    )
    .use(httpErrors(log));

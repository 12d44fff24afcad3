import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ForbiddenScope, InvalidToken, PersonalDataErased } from "#domain/auth-errors.ts";
import { httpErrors } from "#functions/shared/http.ts";
import type { Log } from "#storage/log.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const failingWith = (error: Error) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpErrors(silent))
    .handler(async () => {
      throw error;
    });
const call = async (error: Error) =>
  (await failingWith(error)(
    {} as APIGatewayProxyEventV2,
    {} as Context,
  )) as APIGatewayProxyStructuredResultV2;

describe("auth errors at the HTTP edge", () => {
  it("given an invalid token, then 401 with a Bearer challenge and only a code", async () => {
    // When
    const response = await call(new InvalidToken());
    // Then
    expect(response.statusCode).toBe(401);
    expect(response.headers?.["www-authenticate"]).toBe('Bearer realm="khuyenhoc", error="invalid_token"');
    expect(response.headers?.["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(response.body ?? "")).toEqual({
      error: "invalid_token",
      message: "a valid bearer token is required",
    });
  });

  it("given an out-of-scope action, then 403 forbidden_scope without a challenge", async () => {
    // When
    const response = await call(new ForbiddenScope());
    // Then
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body ?? "").error).toBe("forbidden_scope");
    expect(response.headers?.["www-authenticate"]).toBeUndefined();
  });

  it("given erased personal data, then 410 personal_data_erased", async () => {
    // When
    const response = await call(new PersonalDataErased());
    // Then
    expect(response.statusCode).toBe(410);
    expect(JSON.parse(response.body ?? "").error).toBe("personal_data_erased");
  });
});

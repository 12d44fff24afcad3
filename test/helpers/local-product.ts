import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import type { Role } from "#domain/principal.ts";
import { localCredentials, localRegion } from "#local/emulators.ts";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";

/** The whole local product for a test file, with its own token issuer: nothing about sign-in is mocked. */
export interface LocalProduct {
  readonly stack: LocalStack;
  /** A client of the product's DynamoDB Local, to look at what was (and was not) stored. */
  readonly ddb: DynamoDBDocumentClient;
  /** A token of this stack's issuer for a member with `role`, scoped to `unit` (none: the nation). */
  token(role: Role, unit?: string): string;
}

/** Starts the product before the file's tests and stops it after them. */
export const useLocalProduct = (): LocalProduct => {
  let stack: LocalStack | undefined;
  let ddb: DynamoDBDocumentClient | undefined;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
    ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamoEndpoint,
        region: localRegion,
        credentials: localCredentials,
      }),
    );
  });
  afterAll(async () => {
    ddb?.destroy();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the local product is started in beforeAll");
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get ddb() {
      return started(ddb);
    },
    token: (role, unit) =>
      mintToken(started(stack).auth.signingKey, {
        subject: `${role}-${unit ?? "VN"}`,
        role,
        ...(unit === undefined ? {} : { unit }),
        name: "Nguyễn Văn A",
      }),
  };
};

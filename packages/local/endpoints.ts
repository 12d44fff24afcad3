import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type Config, ENV, loadConfig, projectionVersionFrom } from "#storage/config.ts";
import { localConfig } from "./emulators.ts";

/** What a running `npm start` writes to `<data dir>/endpoints.json` for operator scripts. */
export interface LocalEndpoints {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly ledgerTable: string;
  readonly projectionTable: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** The projection version the stack serves; PROJECTION_VERSION is the fallback for older files. */
  readonly projectionVersion?: number;
}

export const endpointsFile = (dataDir: string): string => join(dataDir, "endpoints.json");

/**
 * Finds the local stack running on `DATA_DIR` (default `.local`) and checks that the emulator a script
 * needs answers. Returns what is wrong, in words, when it is not running.
 */
export const findRunningStack = async (
  needs: "dynamo" | "sqs",
): Promise<{ endpoints: LocalEndpoints; dataDir: string } | { problem: string }> => {
  const dataDir = resolve(process.env.DATA_DIR ?? ".local");
  const file = endpointsFile(dataDir);
  let endpoints: Partial<LocalEndpoints>;
  try {
    endpoints = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalEndpoints>;
  } catch {
    return { problem: `no running local stack: ${file} is missing.` };
  }
  const { dynamoEndpoint, sqsEndpoint, ledgerTable, projectionTable, queueUrl, deadLetterQueueUrl } =
    endpoints;
  if (
    !dynamoEndpoint ||
    !sqsEndpoint ||
    !ledgerTable ||
    !projectionTable ||
    !queueUrl ||
    !deadLetterQueueUrl
  ) {
    return { problem: `${file} does not name both emulators, both tables and both queues.` };
  }
  const probe = needs === "dynamo" ? dynamoEndpoint : sqsEndpoint;
  try {
    // Any HTTP answer will do: both emulators answer a bare GET (DynamoDB Local with an error document).
    await fetch(probe, { signal: AbortSignal.timeout(3_000) });
  } catch {
    return { problem: `the local stack in ${dataDir} does not answer at ${probe}.` };
  }
  return { endpoints: endpoints as LocalEndpoints, dataDir };
};

/** The configuration the stack's handlers run with, for a script working on the same data. */
export const configOf = (endpoints: LocalEndpoints): Config =>
  // An older file names no version: the environment's applies, read as the handlers read it.
  localConfig(endpoints, { projectionVersion: endpoints.projectionVersion ?? projectionVersionFrom() });

/**
 * The region the AWS CLI would use: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region` in
 * ~/.aws/config (AWS_PROFILE, or the default profile). The SDK's own resolution chain reads the same
 * places, so ask it rather than guess a default that may be another region's tables.
 */
export const regionAsTheCliFindsIt = async (env = process.env): Promise<string | undefined> => {
  const named = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (named) return named;
  const probe = new DynamoDBClient({});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
};

/**
 * Where an operator script works: the running local stack, or with `aws` the deployed tables and queues
 * named in the environment. `unused` are settings the script never touches, filled with placeholders so
 * the environment need not name them. Returns what is wrong, in words, when it cannot say.
 */
export const operatorConfig = async (options: {
  readonly aws: boolean;
  readonly needs: "dynamo" | "sqs";
  readonly verb: string;
  readonly unused: readonly (keyof typeof ENV)[];
}): Promise<{ config: Config; where: string } | { problem: string }> => {
  if (options.aws) {
    const placeholders = Object.fromEntries(options.unused.map((key) => [ENV[key], "-"]));
    const region = await regionAsTheCliFindsIt();
    if (region === undefined) {
      return {
        problem:
          "no AWS region: set AWS_REGION, or a region in the profile (aws configure set region ap-southeast-1)",
      };
    }
    const config = loadConfig({ ...placeholders, ...process.env, AWS_REGION: region });
    return { config, where: `AWS ${config.region}` };
  }
  const found = await findRunningStack(options.needs);
  if ("problem" in found) {
    return {
      problem: `${found.problem} start the local stack with npm start first (or use --aws to ${options.verb} in AWS)`,
    };
  }
  return { config: configOf(found.endpoints), where: `local stack (${found.dataDir})` };
};

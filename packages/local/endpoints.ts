import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Config, projectionVersionFrom } from "#storage/config.ts";
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

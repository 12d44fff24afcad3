import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse } from "aws-lambda";
import type { Store } from "#storage/store.ts";
import type { SqsHandler } from "./poller.ts";

/**
 * Fault injectors for drills and tests: a projector that dies between two of its writes, DynamoDB
 * calls that execute but whose answer is lost (so the SDK sends them again), DynamoDB
 * throttling where the SDK's retries see it, and a store slow enough that SQS redelivers messages that
 * are still being processed. Nothing here is used by the deployed code.
 */

/** A source of numbers in [0, 1): `Math.random`, or a seeded generator so a drill can be replayed. */
export type Random = () => number;

/** What a store throws once its process has "died". */
export class Crash extends Error {
  override readonly name = "Crash";
}

const WRITES = [
  "enqueue",
  "deadLetter",
  "insertLedger",
  "reclaim",
  "claimFirsts",
  "reclaimFirst",
  "fence",
  "apply",
  "putClaimRecord",
  "putBatchRecord",
] as const;
const READS = ["ledgerHash", "readLedger", "claimRecords", "readPartition"] as const;
/** A store method that goes to DynamoDB or SQS. */
export type StoreCall = (typeof WRITES)[number] | (typeof READS)[number];

/** The store with `before` run ahead of every call; a throw from `before` fails the call. */
const intercept = (store: Store, before: (call: StoreCall, isWrite: boolean) => void): Store => {
  const wrapped: Partial<Record<StoreCall, unknown>> = {};
  for (const [calls, isWrite] of [
    [WRITES, true],
    [READS, false],
  ] as const) {
    for (const call of calls) {
      const fn = store[call] as (...args: unknown[]) => Promise<unknown>;
      wrapped[call] = async (...args: unknown[]) => {
        before(call, isWrite);
        return fn.apply(store, args);
      };
    }
  }
  return { ...store, ...(wrapped as Pick<Store, StoreCall>) };
};

/**
 * A store whose process dies at its `crashAt`-th write (counting from 0): that write and every later
 * call fail with {@link Crash}, as if the Lambda container had been killed there. Reads before go through.
 */
export const dyingStore = (store: Store, crashAt: number): Store => {
  let writes = 0;
  let dead = false;
  return intercept(store, (_call, isWrite) => {
    if (!dead && isWrite && writes++ === crashAt) dead = true;
    if (dead) throw new Crash("the process died here");
  });
};

interface Doom {
  /** The write (counting from 0) at which this invocation dies. */
  readonly at: number;
  writes: number;
  /** Where it died, once it has. */
  point?: string;
}

export interface CrashStats {
  invocations: number;
  crashes: number;
  /** Crashes by where they happened: `before apply`, …, or `after its last write`. */
  readonly byPoint: Record<string, number>;
}

/**
 * Random projector crashes, one dice roll per invocation: with `probability`, the invocation dies at a
 * random one of its first `maxWrites` writes, or after its last write if it makes fewer (the Lambda is
 * killed before it could answer). Wrap the store the projector uses with `store` and the handler built
 * on it with `handler`: the handler then throws, so the poller deletes nothing of the batch and SQS
 * redelivers all of it after the visibility timeout, as it would after a real crash. Concurrent
 * invocations each get their own fate (tracked through AsyncLocalStorage).
 */
export const randomCrashes = (options: {
  readonly probability: number;
  readonly rng: Random;
  readonly maxWrites?: number;
}) => {
  const maxWrites = options.maxWrites ?? 8;
  const fate = new AsyncLocalStorage<Doom | undefined>();
  const stats: CrashStats = { invocations: 0, crashes: 0, byPoint: {} };
  let enabled = true;
  return {
    stats,
    /** No more crashes from the next invocation on. */
    stop() {
      enabled = false;
    },
    store: (store: Store): Store =>
      intercept(store, (call, isWrite) => {
        const doom = fate.getStore();
        if (doom === undefined) return;
        if (doom.point === undefined && isWrite && doom.writes++ === doom.at) doom.point = `before ${call}`;
        if (doom.point !== undefined) throw new Crash(`the projector died ${doom.point}`);
      }),
    handler:
      (handler: SqsHandler): SqsHandler =>
      async (event, context): Promise<SQSBatchResponse | undefined> => {
        stats.invocations++;
        const doom: Doom | undefined =
          enabled && options.rng() < options.probability
            ? { at: Math.floor(options.rng() * maxWrites), writes: 0 }
            : undefined;
        const response = await fate.run(doom, () => handler(event, context));
        if (doom === undefined) return response;
        const point = doom.point ?? "after its last write";
        stats.crashes++;
        stats.byPoint[point] = (stats.byPoint[point] ?? 0) + 1;
        throw new Crash(`the projector died ${point}`);
      },
  };
};

export interface SlowStats {
  delayed: number;
  /** Total delay added, in ms. */
  delayMs: number;
}

/**
 * A store that sometimes stalls before `apply` or `insertLedger` (each call with `probability`, for a
 * random time in `delayMs`): with a delay longer than the queue's visibility timeout, SQS hands the
 * batch to another worker while this one is still holding it, the "slow twin" of docs/exactly-once.md.
 */
export const slowStore = (options: {
  readonly probability: number;
  /**
   * The chance for each `apply` when it differs: a batch makes one ledger insert but one apply per item it
   * touches (a dozen for a batch of support events), so the same chance per call would stall most batches.
   */
  readonly applyProbability?: number;
  readonly delayMs: readonly [number, number];
  readonly rng: Random;
  readonly calls?: readonly ("apply" | "insertLedger")[];
}) => {
  const calls = new Set(options.calls ?? ["apply", "insertLedger"]);
  const stats: SlowStats = { delayed: 0, delayMs: 0 };
  let enabled = true;
  const [min, max] = options.delayMs;
  return {
    stats,
    stop() {
      enabled = false;
    },
    store(store: Store): Store {
      const stall = async (probability: number) => {
        if (!enabled || options.rng() >= probability) return;
        const ms = Math.round(min + options.rng() * (max - min));
        stats.delayed++;
        stats.delayMs += ms;
        await new Promise((r) => setTimeout(r, ms));
      };
      return {
        ...store,
        apply: async (...args) => {
          if (calls.has("apply")) await stall(options.applyProbability ?? options.probability);
          return store.apply(...args);
        },
        insertLedger: async (...args) => {
          if (calls.has("insertLedger")) await stall(options.probability);
          return store.insertLedger(...args);
        },
      };
    },
  };
};

export interface ThrottleStats {
  /** Whole calls refused with a throttling exception (each SDK attempt counts). */
  injected: number;
  /** PartiQL statements refused inside a BatchExecuteStatement that otherwise went through. */
  statements: number;
  readonly byError: Record<string, number>;
  readonly byCommand: Record<string, number>;
}

/** The error the service answers a throttled call with, as the SDK deserializes it (HTTP 400). */
export const throttlingError = (
  kind: "ProvisionedThroughputExceededException" | "ThrottlingException",
): ProvisionedThroughputExceededException | ThrottlingException => {
  // No `$retryable`: the DynamoDB model gives these errors no retryable trait, so a deserialized one has
  // none either; the SDK's retry strategy recognizes them by name (THROTTLING_ERROR_CODES).
  const $metadata = { httpStatusCode: 400, requestId: randomUUID().replace(/-/g, "").toUpperCase() };
  return kind === "ThrottlingException"
    ? new ThrottlingException({
        $metadata,
        message:
          "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically " +
          "scaling your table or index so please try again shortly.",
        throttlingReasons: [{ reason: "TableWriteKeyRangeThroughputExceeded" }],
      })
    : new ProvisionedThroughputExceededException({
        $metadata,
        message:
          "The level of configured provisioned throughput for the table was exceeded. Consider " +
          "increasing your provisioning level with the UpdateTable API.",
        ThrottlingReasons: [{ reason: "TableReadProvisionedThroughputExceeded" }],
      });
};

/**
 * Throttles random DynamoDB calls of a client (or of the DocumentClient built on it: they share one
 * middleware stack). Each attempt is refused with `probability`, half with
 * ProvisionedThroughputExceededException and half with ThrottlingException, before it is sent. The
 * middleware sits in the finalizeRequest step below the SDK's retry middleware, so the SDK backs off and
 * retries as it would against the service; only a call throttled on every attempt reaches the caller.
 * PartiQL statements of a BatchExecuteStatement are also refused one by one (`ThrottlingError` in the
 * statement's response), which the SDK does not retry.
 */
export const injectThrottling = (
  client: DynamoDBClient | DynamoDBDocumentClient,
  options: {
    /** A chance per attempt, or a function answering the chance now (throttling comes in storms). */
    readonly probability: number | (() => number);
    /** The chance for each PartiQL statement of a batch; `probability` when absent. */
    readonly statementProbability?: number;
    readonly rng: Random;
  },
) => {
  const stats: ThrottleStats = { injected: 0, statements: 0, byError: {}, byCommand: {} };
  let enabled = true;
  const chance =
    typeof options.probability === "number" ? () => options.probability as number : options.probability;
  const roll = () => enabled && options.rng() < chance();
  const rollStatement = () =>
    options.statementProbability === undefined
      ? roll()
      : enabled && options.rng() < options.statementProbability;
  const stack = client.middlewareStack as DynamoDBClient["middlewareStack"];

  stack.add(
    (next, context) => async (args) => {
      if (!roll()) return next(args);
      const error = throttlingError(
        options.rng() < 0.5 ? "ProvisionedThroughputExceededException" : "ThrottlingException",
      );
      const command = String(context.commandName);
      stats.injected++;
      stats.byError[error.name] = (stats.byError[error.name] ?? 0) + 1;
      stats.byCommand[command] = (stats.byCommand[command] ?? 0) + 1;
      throw error;
    },
    { step: "finalizeRequest", priority: "low", name: "chaosThrottling", override: true },
  );

  // Statement-level throttling: drop some statements from the request and answer them as refused.
  stack.add(
    (next, context) => async (args) => {
      const input = args.input as { Statements?: unknown[] };
      if (context.commandName !== "BatchExecuteStatementCommand" || !Array.isArray(input.Statements))
        return next(args);
      const statements = input.Statements;

      const refused = statements.map(() => rollStatement());
      // At least one statement goes through, so the call itself is real.
      if (!refused.includes(false)) refused[0] = false;
      if (!refused.includes(true)) return next(args);
      const result = await next({
        ...args,
        input: { ...input, Statements: statements.filter((_, i) => !refused[i]) },
      });
      const output = result.output as { Responses?: unknown[] };
      const kept = output.Responses ?? [];
      let j = 0;
      output.Responses = statements.map((_, i) =>
        refused[i]
          ? {
              Error: {
                Code: "ThrottlingError",
                Message: "Throughput exceeds the current capacity of your table.",
              },
            }
          : kept[j++],
      );
      stats.statements += refused.filter(Boolean).length;
      return result;
    },
    { step: "initialize", priority: "low", name: "chaosStatementThrottling", override: true },
  );

  return {
    stats,
    stop() {
      enabled = false;
    },
  };
};

export interface LostAnswerStats {
  /** Calls DynamoDB executed whose answer the caller never got (each SDK attempt counts). */
  lost: number;
  readonly byCommand: Record<string, number>;
}

/** One DynamoDB call as the lost-answer fault sees it: the command and its (marshalled) input. */
export interface DynamoCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/**
 * What the SDK sees when a connection is reset after the request was sent: a transient error, which its
 * retry strategy answers by sending the same request again.
 */
export const lostAnswerError = (): Error =>
  Object.assign(new Error("socket hang up: the request was sent, its answer was lost"), {
    name: "TimeoutError",
    code: "ECONNRESET",
    $metadata: {},
  });

/**
 * "Executed, answer lost": DynamoDB does the work of a call, and the answer never reaches the caller
 * (a timeout, a reset connection, a 5xx after the write). The middleware sits in the finalizeRequest
 * step below the SDK's retry middleware: it lets the attempt go to DynamoDB, then throws a transient
 * error instead of its answer, so the SDK sends the very same request again, as it does in production;
 * only when every attempt is lost does the caller see the error. Which answers are lost: each with
 * `probability`, or those `when` chooses (a test's schedule).
 */
export const loseAnswers = (
  client: DynamoDBClient | DynamoDBDocumentClient,
  options: {
    readonly probability?: number;
    readonly rng?: Random;
    readonly when?: (call: DynamoCall) => boolean;
  },
) => {
  const stats: LostAnswerStats = { lost: 0, byCommand: {} };
  let enabled = true;
  const rng = options.rng ?? Math.random;
  const lose = (call: DynamoCall) =>
    enabled && (options.when ? options.when(call) : rng() < (options.probability ?? 0));
  const stack = client.middlewareStack as DynamoDBClient["middlewareStack"];
  stack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const call = { command: String(context.commandName), input: args.input as Record<string, unknown> };
      if (!lose(call)) return result;
      stats.lost++;
      stats.byCommand[call.command] = (stats.byCommand[call.command] ?? 0) + 1;
      throw lostAnswerError();
    },
    { step: "finalizeRequest", priority: "low", name: "chaosLostAnswers", override: true },
  );
  return {
    stats,
    stop() {
      enabled = false;
    },
  };
};

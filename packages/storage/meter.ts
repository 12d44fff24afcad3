import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";

/**
 * Counts DynamoDB capacity units by AWS's on-demand billing rules from the requests the code sends,
 * because DynamoDB Local reports ConsumedCapacity wrongly for transactions and not at all for PartiQL
 * batches. Where the service does report ConsumedCapacity, that figure is kept beside ours so the two
 * can be compared (test/integration/meter.test.ts).
 *
 * Rules (developer guide, "Read/write capacity mode" and "Item sizes"):
 * - a write is 1 unit per started KB of the item; UpdateItem bills the larger of before and after;
 *   a failed conditional write still bills its units; transactional writes bill 2x per item;
 * - a strongly consistent read is 1 unit per started 4 KB (eventually consistent: half); Query and
 *   Scan round the sum of the items read, BatchGetItem and GetItem each item.
 */
export interface Units {
  write: number;
  read: number;
}

export interface Meter {
  /** Units since the last take (or since creation), by our rules and as the service reported them. */
  take(): { computed: Units; reported: Units };
  peek(): { computed: Units; reported: Units };
}

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** Size of a number as DynamoDB stores it: about one byte per two significant digits, plus one. */
const numberSize = (n: string): number => {
  const digits = n
    .replace(/^-/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
};

/** Size in bytes of one attribute value. */
export const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((s, v) => s + utf8(v), 0);
  if (value.NS !== undefined) return value.NS.reduce((s, v) => s + numberSize(v), 0);
  if (value.BS !== undefined) return value.BS.reduce((s, v) => s + v.byteLength, 0);
  if (value.M !== undefined) {
    return 3 + Object.entries(value.M).reduce((s, [k, v]) => s + utf8(k) + valueSize(v) + 1, 0);
  }
  if (value.L !== undefined) return 3 + value.L.reduce((s, v) => s + valueSize(v) + 1, 0);
  return 0;
};

const AV_KEYS = new Set(["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "M", "L"]);
const isAttributeValue = (v: unknown): v is AttributeValue =>
  v !== null &&
  typeof v === "object" &&
  !(v instanceof Uint8Array) &&
  !(v instanceof Set) &&
  Object.keys(v).length === 1 &&
  AV_KEYS.has(Object.keys(v)[0] ?? "");

/**
 * Size in bytes of an item: every attribute name plus its value. Takes DynamoDB's wire form or plain
 * values (the SDK hands responses to middleware already converted), so both are sized alike.
 */
export const itemSize = (item: Record<string, unknown> | undefined): number => {
  if (!item) return 0;
  const wire = Object.values(item).every(isAttributeValue)
    ? (item as Record<string, AttributeValue>)
    : marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true });
  return Object.entries(wire).reduce((s, [k, v]) => s + utf8(k) + valueSize(v), 0);
};

export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
export const readUnits = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** The attribute names of a PartiQL `INSERT … VALUE {'a': ?, …}`, in parameter order. */
const insertNames = (statement: string): string[] | undefined => {
  if (!/^\s*INSERT\s/i.test(statement)) return undefined;
  return [...statement.matchAll(/'([^']+)'\s*:\s*\?/g)].map((m) => m[1] ?? "");
};

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";

/** Units by our rules for one request and its response (or its error). */
const compute = (command: string, input: Input, output: Output | undefined, error: unknown): Units => {
  switch (command) {
    case "PutItemCommand": {
      if (error && !isConditionFailure(error)) return { write: 0, read: 0 };
      const item = input.Item as Record<string, AttributeValue>;
      const old = (output?.Attributes ?? (error as { Item?: Record<string, AttributeValue> })?.Item) as
        | Record<string, AttributeValue>
        | undefined;
      return { write: writeUnits(Math.max(itemSize(item), itemSize(old))), read: 0 };
    }
    case "UpdateItemCommand": {
      if (error && !isConditionFailure(error)) return { write: 0, read: 0 };
      // The meter asked for ALL_NEW (or ALL_OLD on a failed condition). REMOVEd attributes made the
      // item bigger before: add their names plus a number's worth, an upper bound for our markers.
      const seen = (output?.Attributes ?? (error as { Item?: Record<string, AttributeValue> })?.Item) as
        | Record<string, AttributeValue>
        | undefined;
      const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const removeClause = /\bREMOVE\s+([\s\S]*?)(?=\b(?:SET|ADD|DELETE)\b|$)/i.exec(
        String(input.UpdateExpression ?? ""),
      );
      const removed = removeClause?.[1]
        ? removeClause[1]
            .split(",")
            .reduce((s, token) => s + utf8(names[token.trim()] ?? token.trim()) + 21, 0)
        : 0;
      const key = itemSize(input.Key as Record<string, AttributeValue>);
      return { write: writeUnits(Math.max(itemSize(seen) + removed, key)), read: 0 };
    }
    case "DeleteItemCommand":
      return { write: error && !isConditionFailure(error) ? 0 : 1, read: 0 };
    case "BatchWriteItemCommand": {
      let write = 0;
      const unprocessed = (output?.UnprocessedItems ?? {}) as Record<string, unknown[]>;
      for (const [table, requests] of Object.entries(input.RequestItems as Record<string, Input[]>)) {
        const skipped = new Set((unprocessed[table] ?? []).map((r) => JSON.stringify(r)));
        for (const request of requests) {
          if (skipped.has(JSON.stringify(request))) continue;
          const put = request.PutRequest as { Item: Record<string, AttributeValue> } | undefined;
          write += put ? writeUnits(itemSize(put.Item)) : 1;
        }
      }
      return { write: error ? 0 : write, read: 0 };
    }
    case "TransactWriteItemsCommand": {
      if (error && error instanceof Error && error.name !== "TransactionCanceledException")
        return { write: 0, read: 0 };
      let write = 0;
      for (const item of input.TransactItems as Input[]) {
        const put = item.Put as { Item: Record<string, AttributeValue> } | undefined;
        write += 2 * writeUnits(put ? itemSize(put.Item) : 0);
      }
      return { write, read: 0 };
    }
    case "BatchExecuteStatementCommand": {
      if (error) return { write: 0, read: 0 };
      let write = 0;
      const statements = input.Statements as { Statement: string; Parameters?: AttributeValue[] }[];
      const responses = (output?.Responses ?? []) as { Error?: { Code?: string } }[];
      statements.forEach((s, i) => {
        const names = insertNames(s.Statement);
        const code = responses[i]?.Error?.Code;
        // A refused INSERT is a failed conditional write: it bills too. Throttled ones do not.
        if (!names || (code !== undefined && code !== "DuplicateItem")) return;
        const item = Object.fromEntries(names.map((n, j) => [n, s.Parameters?.[j] ?? { NULL: true }]));
        write += writeUnits(itemSize(item));
      });
      return { write, read: 0 };
    }
    case "GetItemCommand":
      return error
        ? { write: 0, read: 0 }
        : {
            write: 0,
            read: output?.Item
              ? readUnits(
                  itemSize(output.Item as Record<string, AttributeValue>),
                  input.ConsistentRead === true,
                )
              : readUnits(0, input.ConsistentRead === true),
          };
    case "BatchGetItemCommand": {
      if (error) return { write: 0, read: 0 };
      let read = 0;
      const requests = input.RequestItems as Record<string, { ConsistentRead?: boolean }>;
      for (const [table, items] of Object.entries(
        (output?.Responses ?? {}) as Record<string, Record<string, AttributeValue>[]>,
      )) {
        for (const item of items) read += readUnits(itemSize(item), requests[table]?.ConsistentRead === true);
      }
      return { write: 0, read };
    }
    case "QueryCommand":
    case "ScanCommand": {
      if (error) return { write: 0, read: 0 };
      const items = (output?.Items ?? []) as Record<string, AttributeValue>[];
      return {
        write: 0,
        read: readUnits(
          items.reduce((s, i) => s + itemSize(i), 0),
          input.ConsistentRead === true,
        ),
      };
    }
    default:
      return { write: 0, read: 0 };
  }
};

const WRITES = new Set([
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
  "TransactWriteItemsCommand",
  "BatchExecuteStatementCommand",
  "ExecuteStatementCommand",
]);

/** What the service itself said it consumed (`ReturnConsumedCapacity: TOTAL`), when it says anything. */
const reportedOf = (command: string, output: Output | undefined): Units => {
  const raw = output?.ConsumedCapacity as
    | { CapacityUnits?: number }
    | { CapacityUnits?: number }[]
    | undefined;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  return WRITES.has(command) ? { write: units, read: 0 } : { write: 0, read: units };
};

/**
 * Attaches a meter to a DynamoDB client. It asks the service for what billing depends on (the item after
 * an update, the old item on a failed condition, ConsumedCapacity) by adding those fields to the request
 * body after serialization, and hands the caller only what it asked for.
 */
export const attachMeter = (client: DynamoDBClient): Meter => {
  const computed: Units = { write: 0, read: 0 };
  const reported: Units = { write: 0, read: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const input = args.input as Input;
      const request = args.request as { body?: unknown; headers?: Record<string, string> } | undefined;
      // The JSON protocol's body is a string or a string-like adapter; String() gives its text either way.
      const raw = request?.body;
      const text =
        raw === undefined
          ? undefined
          : raw instanceof Uint8Array
            ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8")
            : String(raw);
      if (request && text?.startsWith("{")) {
        const body = JSON.parse(text) as Input;
        if (command === "UpdateItemCommand" && body.ReturnValues === undefined) body.ReturnValues = "ALL_NEW";
        if (
          (command === "UpdateItemCommand" || command === "PutItemCommand") &&
          !body.ReturnValuesOnConditionCheckFailure
        ) {
          body.ReturnValuesOnConditionCheckFailure = "ALL_OLD";
        }
        if (body.ReturnConsumedCapacity === undefined) body.ReturnConsumedCapacity = "TOTAL";
        const rewritten = JSON.stringify(body);
        request.body = rewritten;
        if (request.headers) request.headers["content-length"] = String(Buffer.byteLength(rewritten));
      }
      try {
        const result = await next(args);
        const output = result.output as unknown as Output;
        const units = compute(command, input, output, undefined);
        const said = reportedOf(command, output);
        computed.write += units.write;
        computed.read += units.read;
        reported.write += said.write;
        reported.read += said.read;
        if (input.ReturnValues === undefined && command === "UpdateItemCommand") delete output.Attributes;
        if (input.ReturnConsumedCapacity === undefined) delete output.ConsumedCapacity;
        return result;
      } catch (error) {
        const units = compute(command, input, undefined, error);
        computed.write += units.write;
        computed.read += units.read;
        throw error;
      }
    },
    { step: "build", name: "capacityMeter", override: true },
  );
  const snapshot = () => ({ computed: { ...computed }, reported: { ...reported } });
  return {
    peek: snapshot,
    take() {
      const out = snapshot();
      computed.write = computed.read = reported.write = reported.read = 0;
      return out;
    },
  };
};

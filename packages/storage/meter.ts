import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";

/**
 * Counts DynamoDB capacity units by AWS's on-demand billing rules from the requests the code sends,
 * because DynamoDB Local reports ConsumedCapacity wrongly for transactions, for missing keys in a
 * BatchGetItem, and not at all for PartiQL batches. Where the service does report ConsumedCapacity,
 * that figure is kept beside ours so the two can be compared (test/integration/meter.test.ts).
 *
 * Rules (developer guide, "Read/write capacity mode" and "Item sizes"):
 * - a write is 1 unit per started KB of the item; PutItem, UpdateItem and DeleteItem bill the larger of
 *   the item before and after; a refused conditional write (and a refused PartiQL `INSERT`) bills the
 *   size of the item it found; transactional writes bill 2x per item, a condition check included;
 * - a strongly consistent read is 1 unit per started 4 KB (eventually consistent: half), a key that is
 *   not there included; a projection does not make a read cheaper: the whole item is billed; Query and
 *   Scan round the sum of the items read, BatchGetItem and GetItem each key.
 *
 * What the request does not say, the meter learns without changing what the caller sees: it asks the
 * service for the item after an update, the old item of a put or delete, the item a refused condition
 * found, and whole items instead of projections; then hands the caller only what it asked for. The
 * size of an item before an update comes from the last time this meter saw that item (it remembers
 * every item's size it writes or reads), else from the service's own ConsumedCapacity (right for
 * UpdateItem on AWS and on Local). What neither can tell (a refused `INSERT` of an item this meter never
 * saw: DynamoDB Local returns no old item for PartiQL) is estimated from the request and counted in
 * `estimated`, so a run can show how much of its figure is a guess.
 */
export interface Units {
  write: number;
  read: number;
}

export interface Reading {
  /** Units by the rules above. */
  computed: Units;
  /** Units the service said it consumed, where it says anything (not PartiQL, not failed conditions). */
  reported: Units;
  /** Calls whose billed size the meter had to estimate from the request (see above). */
  estimated: number;
}

/** Calls and units of one kind of request: a command on a table, for items of one key prefix. */
export interface KindReading {
  calls: number;
  write: number;
  read: number;
}

export interface Meter {
  /** Units since the last take (or since creation). */
  take(): Reading;
  /**
   * The units since the last take, by kind: `<command> <table> <prefix>`, where the prefix is the item's
   * partition key up to its first `#` (`m` for member rows, `sup` for support figures), and `<table> index`
   * for what new items cost in the table's global secondary indexes. Where a figure's units go.
   */
  byKind(): Record<string, KindReading>;
  peek(): Reading;
  /** Units computed since the meter was attached, whatever was taken: one process's whole spend. */
  lifetime(): Units;
}

export interface MeterOptions {
  /**
   * Key attribute names by table, so that items written by a put or an `INSERT` can be remembered by
   * key. Without them, a table's key is learned from the first request that names one.
   */
  readonly keys?: Readonly<Record<string, readonly string[]>>;
  /** Item sizes remembered at most (the least recently seen are forgotten), so a warm Lambda stays small. */
  readonly remember?: number;
  /**
   * Global secondary indexes by table: a new item that carries an index's keys is written to the index
   * too, billed by the size of what the index keeps (the table's and the index's keys and the projected
   * attributes). Only for new items (`INSERT`, and puts of new items): the code never updates an indexed
   * attribute of an existing item.
   */
  readonly indexes?: Readonly<Record<string, readonly IndexShape[]>>;
}

/** What a global secondary index keeps of an item: all its attributes, or these. */
export interface IndexShape {
  /** Every attribute the index entry holds: the table's keys, the index's keys and projected attributes. */
  readonly keeps: readonly string[];
  /** The index's own key attributes: an item without them is not in the index. */
  readonly keys: readonly string[];
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

type Item = Record<string, AttributeValue>;

const wireOf = (item: Record<string, unknown>): Item =>
  Object.values(item).every(isAttributeValue)
    ? (item as Item)
    : marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true });

/**
 * Size in bytes of an item: every attribute name plus its value. Takes DynamoDB's wire form or plain
 * values (the SDK hands responses to middleware already converted), so both are sized alike.
 */
export const itemSize = (item: Record<string, unknown> | undefined): number => {
  if (!item) return 0;
  return Object.entries(wireOf(item)).reduce((s, [k, v]) => s + utf8(k) + valueSize(v), 0);
};

export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
export const readUnits = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** The attribute names of a PartiQL `INSERT … VALUE {'a': ?, …}`, in parameter order. */
const insertNames = (statement: string): string[] | undefined => {
  if (!/^\s*INSERT\s/i.test(statement)) return undefined;
  const names = [...statement.matchAll(/'([^']+)'\s*:\s*\?/g)].map((m) => m[1] ?? "");
  // Literal values in the statement cannot be sized from the parameters.
  const pairs = [...statement.matchAll(/'[^']+'\s*:/g)].length;
  return names.length === pairs ? names : undefined;
};

/** The table a PartiQL statement names, e.g. `INSERT INTO "ledger" …` or `UPDATE "ledger" …`. */
const statementTable = (statement: string): string => /"([^"]+)"/.exec(statement)?.[1] ?? "";

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const errorName = (error: unknown) => (error instanceof Error ? error.name : "");
const isConditionFailure = (error: unknown) => errorName(error) === "ConditionalCheckFailedException";

/**
 * The top-level attributes a projection keeps, or undefined when it reaches into maps or lists (then the
 * meter leaves the projection alone and bills what comes back, as an estimate).
 */
const projectedNames = (projection: string, names: Record<string, string> | undefined) => {
  const paths = projection.split(",").map((p) => p.trim());
  if (paths.some((p) => /[.[]/.test(p))) return undefined;
  return new Set(paths.map((p) => names?.[p] ?? p));
};

const project = (item: Item, keep: Set<string>): Item =>
  Object.fromEntries(Object.entries(item).filter(([name]) => keep.has(name)));

/** `#names` an expression uses, so that dropping a projection also drops names only it used. */
const namesUsedBy = (...expressions: unknown[]) =>
  new Set(expressions.flatMap((e) => (typeof e === "string" ? (e.match(/#[A-Za-z0-9_]+/g) ?? []) : [])));

const dropProjection = (request: Input, otherExpressions: unknown[]) => {
  delete request.ProjectionExpression;
  const names = request.ExpressionAttributeNames as Record<string, string> | undefined;
  if (!names) return;
  const used = namesUsedBy(...otherExpressions);
  for (const name of Object.keys(names)) if (!used.has(name)) delete names[name];
  if (Object.keys(names).length === 0) delete request.ExpressionAttributeNames;
};

/** Names of the attributes an update expression REMOVEs (top-level only). */
const removedNames = (expression: unknown, names: Record<string, string> | undefined): string[] => {
  const clause = /\bREMOVE\s+([\s\S]*?)(?=\b(?:SET|ADD|DELETE)\b|$)/i.exec(String(expression ?? ""));
  return clause?.[1]
    ? clause[1]
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== "")
        .map((t) => names?.[t] ?? t)
    : [];
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

/** Remembers item sizes by table and key, so an item's size before a write is known without a read. */
const sizeMemory = (keys: Readonly<Record<string, readonly string[]>>, limit: number) => {
  const keyNames = new Map<string, readonly string[]>(Object.entries(keys));
  const sizes = new Map<string, number>();
  const keyOf = (table: string, item: Item | undefined): string | undefined => {
    const names = keyNames.get(table);
    if (!names || !item) return undefined;
    const wire = wireOf(item);
    const parts = names.map((n) => wire[n]);
    if (parts.some((p) => p === undefined)) return undefined;
    return `${table}\u0000${JSON.stringify(parts)}`;
  };
  return {
    /** Learns a table's key names from a request's `Key`. */
    learn(table: string, key: Item | undefined) {
      if (key && !keyNames.has(table)) keyNames.set(table, Object.keys(key).sort());
    },
    get(table: string, keyOrItem: Item | undefined): number | undefined {
      const k = keyOf(table, keyOrItem);
      return k === undefined ? undefined : sizes.get(k);
    },
    /** Records an item as it now is; `undefined` when it is gone. */
    set(table: string, keyOrItem: Item | undefined, item: Item | undefined) {
      const k = keyOf(table, keyOrItem);
      if (k === undefined) return;
      sizes.delete(k); // a Map iterates in insertion order: re-inserting makes this the newest
      sizes.set(k, item === undefined ? 0 : itemSize(item));
      if (sizes.size > limit) {
        const oldest = sizes.keys().next().value;
        if (oldest !== undefined) sizes.delete(oldest);
      }
    },
    /** Forgets an item whose size after a write is not known. */
    forget(table: string, keyOrItem: Item | undefined) {
      const k = keyOf(table, keyOrItem);
      if (k !== undefined) sizes.delete(k);
    },
  };
};

/**
 * Attaches a meter to a DynamoDB client. It adds to each request, after serialization, what billing
 * depends on (see the module comment), and removes from each answer what the caller did not ask for.
 */
/** The partition key's prefix (up to its first `#`) of an item or key, or `-` when it has none. */
const prefixOf = (item: Item | undefined): string => {
  const pk = item?.pk?.S ?? item?.eventId?.S;
  if (pk === undefined) return "-";
  return item?.pk?.S === undefined ? "event" : (pk.split("#")[0] ?? "-");
};

/** The kind a request is tallied under (see `Meter.byKind`): its command, its table, its items' prefix. */
const kindOf = (command: string, input: Input): string => {
  const name = command.replace(/Command$/, "");
  if (typeof input.TableName === "string")
    return `${name} ${input.TableName} ${prefixOf((input.Key ?? input.Item) as Item | undefined)}`;
  if (input.RequestItems) {
    const [table, entries] = Object.entries(input.RequestItems as Record<string, Input>)[0] ?? [];
    const first = (entries as { Keys?: Item[] } | undefined)?.Keys?.[0];
    return `${name} ${table ?? "-"} ${prefixOf(first)}`;
  }
  const statements = (input.Statements ?? (input.Statement ? [input] : [])) as { Statement: string }[];
  if (statements[0]) return `${name} ${statementTable(statements[0].Statement)} -`;
  if (input.TransactItems) {
    const action = Object.values((input.TransactItems as Input[])[0] ?? {})[0] as Input | undefined;
    return `${name} ${String(action?.TableName ?? "-")} ${prefixOf((action?.Key ?? action?.Item) as Item | undefined)}`;
  }
  return `${name} - -`;
};

export const attachMeter = (client: DynamoDBClient, options: MeterOptions = {}): Meter => {
  /** The write units a new item costs in the table's indexes (0 for an item no index holds). */
  const indexUnits = (table: string, item: Item): number =>
    (options.indexes?.[table] ?? [])
      .filter((index) => index.keys.every((key) => item[key] !== undefined && item[key]?.NULL === undefined))
      .reduce(
        (sum, index) =>
          sum +
          writeUnits(
            itemSize(Object.fromEntries(index.keeps.filter((n) => item[n]).map((n) => [n, item[n]]))),
          ),
        0,
      );
  const computed: Units = { write: 0, read: 0 };
  const reported: Units = { write: 0, read: 0 };
  let estimated = 0;
  const kinds = new Map<string, KindReading>();
  /** Index units of the request being computed: billed in their own kind. */
  let indexPart = 0;
  const memory = sizeMemory(options.keys ?? {}, options.remember ?? 200_000);

  /** Units by the rules for one request and its answer (or its error); updates the size memory. */
  const compute = (command: string, input: Input, output: Output | undefined, error: unknown): Units => {
    const failedItem = (error as { Item?: Item } | undefined)?.Item;
    switch (command) {
      case "PutItemCommand": {
        if (error && !isConditionFailure(error)) return { write: 0, read: 0 };
        const table = String(input.TableName);
        const item = input.Item as Item;
        if (error) return { write: writeUnits(itemSize(failedItem)), read: 0 };
        const old = output?.Attributes as Item | undefined;
        memory.set(table, item, item);
        return { write: writeUnits(Math.max(itemSize(item), itemSize(old))), read: 0 };
      }
      case "UpdateItemCommand": {
        if (error && !isConditionFailure(error)) return { write: 0, read: 0 };
        const table = String(input.TableName);
        const key = input.Key as Item;
        memory.learn(table, key);
        if (error) {
          // Refused: billed by the item as it is (ALL_OLD), or by the key when there is no item.
          if (failedItem) memory.set(table, key, failedItem);
          return { write: writeUnits(Math.max(itemSize(failedItem), itemSize(key))), read: 0 };
        }
        // The meter asks for ALL_NEW unless the caller asked for something else; ALL_OLD is the before.
        const asked = String(input.ReturnValues ?? "NONE");
        const returned = output?.Attributes as Item | undefined;
        const after = asked === "NONE" || asked === "ALL_NEW" ? returned : undefined;
        const known = asked === "ALL_OLD" ? itemSize(returned) : memory.get(table, key);
        if (after) memory.set(table, key, after);
        else memory.forget(table, key);
        if (known !== undefined && after)
          return { write: writeUnits(Math.max(known, itemSize(after))), read: 0 };
        const said = reportedOf(command, output).write;
        if (said > 0)
          return { write: Math.max(said, writeUnits(Math.max(known ?? 0, itemSize(after)))), read: 0 };
        // Neither memory nor the service knows: add back the REMOVEd attributes' names and a number's
        // worth each, which is what our markers hold.
        estimated++;
        const removed = removedNames(
          input.UpdateExpression,
          input.ExpressionAttributeNames as Record<string, string> | undefined,
        ).reduce((s, n) => s + utf8(n) + 21, 0);
        return { write: writeUnits(Math.max(known ?? 0, itemSize(after) + removed)), read: 0 };
      }
      case "DeleteItemCommand": {
        if (error && !isConditionFailure(error)) return { write: 0, read: 0 };
        const table = String(input.TableName);
        const key = input.Key as Item;
        memory.learn(table, key);
        const old = (error ? failedItem : output?.Attributes) as Item | undefined;
        if (!error) memory.set(table, key, undefined);
        return { write: writeUnits(itemSize(old)), read: 0 };
      }
      case "BatchWriteItemCommand": {
        if (error) return { write: 0, read: 0 };
        let write = 0;
        const unprocessed = (output?.UnprocessedItems ?? {}) as Record<string, unknown[]>;
        for (const [table, requests] of Object.entries(input.RequestItems as Record<string, Input[]>)) {
          const skipped = new Set((unprocessed[table] ?? []).map((r) => JSON.stringify(r)));
          for (const request of requests) {
            if (skipped.has(JSON.stringify(request))) continue;
            const put = request.PutRequest as { Item: Item } | undefined;
            const del = request.DeleteRequest as { Key: Item } | undefined;
            if (del) memory.learn(table, del.Key);
            const before = memory.get(table, put?.Item ?? del?.Key);
            if (before === undefined) estimated++;
            write += writeUnits(Math.max(put ? itemSize(put.Item) : 0, before ?? 0));
            memory.set(table, put?.Item ?? del?.Key, put?.Item);
          }
        }
        return { write, read: 0 };
      }
      case "TransactWriteItemsCommand": {
        if (error && errorName(error) !== "TransactionCanceledException") return { write: 0, read: 0 };
        // A cancelled transaction is billed as its refused conditional writes would be.
        const reasons = ((error as { CancellationReasons?: { Item?: Item }[] } | undefined)
          ?.CancellationReasons ?? []) as { Item?: Item }[];
        let write = 0;
        (input.TransactItems as Input[]).forEach((entry, i) => {
          const [kind, action] = Object.entries(entry)[0] as [string, Input];
          const table = String(action.TableName);
          const key = (action.Key ?? action.Item) as Item;
          if (action.Key) memory.learn(table, action.Key as Item);
          const seen = reasons[i]?.Item;
          if (seen) memory.set(table, key, seen);
          const before = seen ? itemSize(seen) : memory.get(table, key);
          let after = before ?? 0;
          if (kind === "Put") after = itemSize(action.Item as Item);
          if (kind === "Update") {
            // No ReturnValues in a transaction: the item after is the item before plus what is SET or
            // ADDed, less what is REMOVEd (names and values as sent, an estimate when numbers grow).
            const values = (action.ExpressionAttributeValues ?? {}) as Item;
            after = (before ?? itemSize(key)) + Object.values(values).reduce((s, v) => s + valueSize(v), 0);
          }
          if (before === undefined && kind !== "Put") estimated++;
          write += 2 * writeUnits(Math.max(before ?? 0, after, kind === "Put" ? 0 : itemSize(key)));
          // Sizes after an update in a transaction are not known exactly: forget them.
          if (!error && kind === "Put") memory.set(table, key, action.Item as Item);
          else if (!error && kind === "Delete") memory.set(table, key, undefined);
          else if (!error && kind === "Update") memory.forget(table, key);
        });
        return { write, read: 0 };
      }
      case "BatchExecuteStatementCommand":
      case "ExecuteStatementCommand": {
        const refused =
          command === "ExecuteStatementCommand" &&
          (isConditionFailure(error) || errorName(error) === "DuplicateItemException");
        if (error && !refused) return { write: 0, read: 0 };
        let write = 0;
        let read = 0;
        const statements = (
          command === "ExecuteStatementCommand" ? [input] : (input.Statements as Input[])
        ) as { Statement: string; Parameters?: AttributeValue[] }[];
        const responses = (
          command === "ExecuteStatementCommand"
            ? [error ? { Error: { Code: "DuplicateItem", Item: failedItem } } : {}]
            : (output?.Responses ?? [])
        ) as { Error?: { Code?: string; Item?: Item } }[];
        statements.forEach((s, i) => {
          const code = responses[i]?.Error?.Code;
          // Throttled or invalid statements bill nothing; a refused INSERT is a failed conditional write.
          if (code !== undefined && code !== "DuplicateItem" && code !== "ConditionalCheckFailed") return;
          const table = statementTable(s.Statement);
          const names = insertNames(s.Statement);
          if (!names) {
            estimated++;
            if (/^\s*SELECT\s/i.test(s.Statement)) read += 1;
            else write += 1;
            return;
          }
          const item = Object.fromEntries(names.map((n, j) => [n, s.Parameters?.[j] ?? { NULL: true }]));
          if (code === undefined) {
            memory.set(table, item, item);
            const index = indexUnits(table, item);
            indexPart += index;
            write += writeUnits(itemSize(item)) + index;
            return;
          }
          const old = responses[i]?.Error?.Item;
          const known = old ? itemSize(old) : memory.get(table, item);
          if (known === undefined) estimated++;
          write += writeUnits(known ?? itemSize(item));
        });
        return { write, read };
      }
      case "GetItemCommand": {
        if (error) return { write: 0, read: 0 };
        const table = String(input.TableName);
        const key = input.Key as Item;
        memory.learn(table, key);
        const item = output?.Item as Item | undefined;
        memory.set(table, key, item);
        return { write: 0, read: readUnits(itemSize(item), input.ConsistentRead === true) };
      }
      case "BatchGetItemCommand": {
        if (error) return { write: 0, read: 0 };
        let read = 0;
        const requests = input.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean }>;
        const responses = (output?.Responses ?? {}) as Record<string, Item[]>;
        const unprocessed = (output?.UnprocessedKeys ?? {}) as Record<string, { Keys?: Item[] }>;
        for (const [table, request] of Object.entries(requests)) {
          const first = request.Keys[0];
          memory.learn(table, first);
          const names = Object.keys(first ?? {});
          // Answers reach the middleware already converted to plain values; keys are still in wire form.
          const keyOf = (item: Item) => {
            const wire = wireOf(item);
            return JSON.stringify(names.map((n) => wire[n]));
          };
          const found = new Map((responses[table] ?? []).map((item) => [keyOf(item), item]));
          const skipped = new Set((unprocessed[table]?.Keys ?? []).map(keyOf));
          // Every key asked for and answered is billed, found or not.
          for (const key of request.Keys) {
            if (skipped.has(keyOf(key))) continue;
            const item = found.get(keyOf(key));
            memory.set(table, key, item);
            read += readUnits(itemSize(item), request.ConsistentRead === true);
          }
        }
        return { write: 0, read };
      }
      case "QueryCommand":
      case "ScanCommand": {
        if (error) return { write: 0, read: 0 };
        const items = (output?.Items ?? []) as Item[];
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

  /** Asks the service for what billing needs; returns how to give the caller back only what it asked. */
  const widen = (command: string, body: Input): ((output: Output) => void) => {
    const restores: ((output: Output) => void)[] = [];
    if (body.ReturnConsumedCapacity === undefined && command !== "ExecuteStatementCommand") {
      body.ReturnConsumedCapacity = "TOTAL";
      restores.push((o) => delete o.ConsumedCapacity);
    }
    const returnValues: Record<string, string> = {
      PutItemCommand: "ALL_OLD",
      DeleteItemCommand: "ALL_OLD",
      UpdateItemCommand: "ALL_NEW",
    };
    const wanted = returnValues[command];
    if (wanted && (body.ReturnValues === undefined || body.ReturnValues === "NONE")) {
      body.ReturnValues = wanted;
      restores.push((o) => delete o.Attributes);
    }
    if (wanted && body.ReturnValuesOnConditionCheckFailure === undefined) {
      body.ReturnValuesOnConditionCheckFailure = "ALL_OLD";
    }
    if (command === "TransactWriteItemsCommand") {
      for (const entry of body.TransactItems as Input[]) {
        const action = Object.values(entry)[0] as Input;
        if (action.ReturnValuesOnConditionCheckFailure === undefined)
          action.ReturnValuesOnConditionCheckFailure = "ALL_OLD";
      }
    }
    if (command === "BatchExecuteStatementCommand") {
      // AWS answers a refused statement with the item it found when asked; DynamoDB Local does not.
      const asked = (body.Statements as Input[]).map((st) => st.ReturnValuesOnConditionCheckFailure);
      for (const statement of body.Statements as Input[])
        statement.ReturnValuesOnConditionCheckFailure ??= "ALL_OLD";
      restores.push((o) => {
        ((o.Responses ?? []) as { Error?: { Item?: unknown } }[]).forEach((r, i) => {
          if (asked[i] === undefined && r.Error) delete r.Error.Item;
        });
      });
    }
    if (command === "GetItemCommand" && typeof body.ProjectionExpression === "string") {
      const keep = projectedNames(
        body.ProjectionExpression,
        body.ExpressionAttributeNames as Record<string, string>,
      );
      if (keep) {
        dropProjection(body, []);
        restores.push((o) => {
          if (o.Item) o.Item = project(o.Item as Item, keep);
        });
      }
    }
    if (command === "QueryCommand" && typeof body.ProjectionExpression === "string" && !body.Select) {
      const keep = projectedNames(
        body.ProjectionExpression,
        body.ExpressionAttributeNames as Record<string, string>,
      );
      if (keep) {
        dropProjection(body, [body.KeyConditionExpression, body.FilterExpression]);
        restores.push((o) => {
          o.Items = ((o.Items ?? []) as Item[]).map((i) => project(i, keep));
        });
      }
    }
    if (command === "BatchGetItemCommand") {
      for (const [table, request] of Object.entries(body.RequestItems as Record<string, Input>)) {
        if (typeof request.ProjectionExpression !== "string") continue;
        const keep = projectedNames(
          request.ProjectionExpression,
          request.ExpressionAttributeNames as Record<string, string>,
        );
        if (!keep) continue;
        dropProjection(request, []);
        restores.push((o) => {
          const responses = o.Responses as Record<string, Item[]> | undefined;
          if (responses?.[table]) responses[table] = responses[table].map((i) => project(i, keep));
        });
      }
    }
    return (output) => {
      for (const restore of restores) restore(output);
    };
  };

  /** Removes from an error what the meter asked for and the caller did not. */
  const narrowError = (command: string, input: Input, error: unknown) => {
    if (!error || typeof error !== "object") return;
    const e = error as { Item?: unknown; CancellationReasons?: { Item?: unknown }[] };
    if (
      (command === "PutItemCommand" || command === "UpdateItemCommand" || command === "DeleteItemCommand") &&
      input.ReturnValuesOnConditionCheckFailure === undefined
    )
      delete e.Item;
    if (command === "TransactWriteItemsCommand" && e.CancellationReasons) {
      (input.TransactItems as Input[]).forEach((entry, i) => {
        const action = Object.values(entry)[0] as Input;
        const reason = e.CancellationReasons?.[i];
        if (reason && action.ReturnValuesOnConditionCheckFailure === undefined) delete reason.Item;
      });
    }
  };

  const tally = (kind: string, calls: number, units: Units) => {
    const entry = kinds.get(kind) ?? { calls: 0, write: 0, read: 0 };
    entry.calls += calls;
    entry.write += units.write;
    entry.read += units.read;
    kinds.set(kind, entry);
  };

  const lifetime: Units = { write: 0, read: 0 };
  const add = (units: Units, said: Units) => {
    lifetime.write += units.write;
    lifetime.read += units.read;
    computed.write += units.write;
    computed.read += units.read;
    reported.write += said.write;
    reported.read += said.read;
  };

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
      let restore: (output: Output) => void = () => undefined;
      if (request && text?.startsWith("{")) {
        const body = JSON.parse(text) as Input;
        restore = widen(command, body);
        const rewritten = JSON.stringify(body);
        request.body = rewritten;
        if (request.headers) request.headers["content-length"] = String(Buffer.byteLength(rewritten));
      }
      const kind = kindOf(command, input);
      const billed = (units: Units): Units => {
        const index = indexPart;
        indexPart = 0;
        tally(kind, 1, { write: units.write - index, read: units.read });
        if (index > 0) tally(`${kind.split(" ")[1]} index`, 0, { write: index, read: 0 });
        return units;
      };
      try {
        const result = await next(args);
        const output = result.output as unknown as Output;
        add(billed(compute(command, input, output, undefined)), reportedOf(command, output));
        restore(output);
        return result;
      } catch (error) {
        add(billed(compute(command, input, undefined, error)), { write: 0, read: 0 });
        narrowError(command, input, error);
        throw error;
      }
    },
    { step: "build", name: "capacityMeter", override: true },
  );
  const snapshot = (): Reading => ({ computed: { ...computed }, reported: { ...reported }, estimated });
  return {
    peek: snapshot,
    lifetime: () => ({ ...lifetime }),
    byKind: () => Object.fromEntries([...kinds].map(([kind, r]) => [kind, { ...r }])),
    take() {
      const out = snapshot();
      kinds.clear();
      computed.write = computed.read = reported.write = reported.read = 0;
      estimated = 0;
      return out;
    },
  };
};

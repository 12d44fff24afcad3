import fc from "fast-check";

/**
 * Bodies for a published JSON Schema, built from the schema alone (not from the zod source): values
 * the schema describes, and mutations of them at every field: a field dropped, blank and space-only
 * strings, strings of emoji at and around the length limits in code points, wrong types, extra
 * properties, boundary numbers and dates. Which of them are valid is for the validator to say; these
 * only aim at the edges where a server and a schema could disagree.
 */
export interface JsonSchema {
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

type Path = readonly (string | number)[];
export interface Mutation {
  readonly label: string;
  readonly path: Path;
  /** `undefined` drops the field. */
  readonly value?: unknown;
  readonly drop?: true;
}

const EMOJI = "🌸";
/** White space by ECMA-262's `\s` (what trim removes), ASCII and not. */
const SPACES = [" ", "\t", "\n", "\r", "\u00a0", "\u1680", "\u2003", "\u2028", "\u2029", "\u3000", "\ufeff"];
/** Characters that look blank but are not white space to either side. */
const NOT_SPACES = ["\u200b", "\u180e", "\u0085"];

/** One character: mostly what forms send (Vietnamese, emoji), sometimes anything Unicode allows in JSON. */
const character = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(..."aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐ0123456789.,-'") },
  { weight: 2, arbitrary: fc.constantFrom(..."ệếềểễộốồổỗợớờởỡựứừửữ") },
  { weight: 2, arbitrary: fc.constantFrom("🌸", "👍🏽", "🇻🇳", "😀", "𠀀", "e\u0301", "\u0303") },
  { weight: 2, arbitrary: fc.constantFrom(...SPACES, ...NOT_SPACES) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  // Unpaired surrogates, U+FFFD, and what real SQS refuses: fast-check's units never make them.
  { weight: 1, arbitrary: fc.constantFrom("\ud800", "\udfff", "\ufffd", "\ufffe", "\uffff", "\u0000") },
);

/** Strings of at most `max` code points, biased towards the limit. */
const textUpTo = (max: number) =>
  fc
    .oneof(
      fc.array(character, { maxLength: Math.min(max, 20) }),
      fc.array(character, { minLength: Math.max(0, max - 2), maxLength: max }),
    )
    .map((chars) => [...chars.join("")].slice(0, max).join(""));

const dateTime = fc
  .record({
    at: fc.date({ min: new Date("2000-01-02T00:00:00Z"), max: new Date(), noInvalidDate: true }),
    offsetMinutes: fc.constantFrom(0, 420, -300, 330, 840, -720),
    fraction: fc.constantFrom("", ".5", ".123", ".123456789"),
    zulu: fc.boolean(),
  })
  .map(({ at, offsetMinutes, fraction, zulu }) => {
    if (zulu && offsetMinutes === 0) return `${at.toISOString().slice(0, 19)}${fraction}Z`;
    const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? "-" : "+";
    const abs = Math.abs(offsetMinutes);
    return `${local}${fraction}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  });

/** Dates at the edges of the contract: the first day, calendar holes, leap days, offsets, the future. */
export const EDGE_DATES = [
  "0000-01-01T00:00:00Z",
  "0999-12-31T23:59:59Z",
  "1999-12-31T23:59:59+07:00",
  "1999-12-31T23:59:59-12:00",
  "2000-01-01T00:00:00+07:00",
  "2000-01-01T00:00:00+23:59",
  "2000-02-29T12:00:00Z",
  "2024-02-29T12:00:00+07:00",
  "2026-02-29T12:00:00+07:00",
  "2100-02-29T12:00:00Z",
  "2026-02-30T10:00:00+07:00",
  "2026-04-31T10:00:00+07:00",
  "2026-13-01T10:00:00+07:00",
  "2026-09-05T24:00:00+07:00",
  "2026-09-05T23:59:60Z",
  "2026-09-05T09:30:00",
  "2026-09-05T09:30:00+24:00",
  "2026-09-05T09:30:00+0700",
  "2026-09-05 09:30:00+07:00",
  "2026-09-05t09:30:00z",
  "2026-09-05T09:30:00.+07:00",
  "2026-09-05",
  "2999-12-31T23:59:59Z",
  "3000-01-01T00:00:00Z",
  "+002026-09-05T09:30:00Z",
];

const resolve = (schema: JsonSchema, root: JsonSchema): JsonSchema => {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, "");
  const target = root.$defs?.[name];
  if (target === undefined) throw new Error(`cannot resolve ${schema.$ref}`);
  return resolve(target, root);
};

const patternsOf = (schema: JsonSchema): RegExp[] =>
  [schema, ...(schema.allOf ?? [])].flatMap((s) =>
    s.pattern === undefined ? [] : [new RegExp(s.pattern, "u")],
  );

const integer = (schema: JsonSchema) => {
  const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1e9);
  const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1e9);
  return fc.oneof(
    fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number),
    fc.constantFrom(min, max, Math.min(max, 500_000)),
  );
};

/** Values the schema describes (mostly valid; a validator still judges each one). */
export const valuesOf = (schema: JsonSchema, root: JsonSchema = schema): fc.Arbitrary<unknown> => {
  const s = resolve(schema, root);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum !== undefined) return fc.constantFrom(...s.enum);
  const branches = s.oneOf ?? s.anyOf;
  if (branches !== undefined) return fc.oneof(...branches.map((b) => valuesOf(b, root)));
  switch (s.type) {
    case "object": {
      const properties = s.properties ?? {};
      const shape = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, valuesOf(v, root)]));
      return fc.record(shape, { requiredKeys: [...(s.required ?? [])] });
    }
    case "array":
      return fc.array(valuesOf(s.items ?? {}, root), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 5),
      });
    case "string": {
      if (s.format === "date-time")
        return fc.oneof({ weight: 4, arbitrary: dateTime }, fc.constantFrom(...EDGE_DATES));
      const patterns = patternsOf(s);
      if (s.maxLength === undefined && patterns[0] !== undefined) return fc.stringMatching(patterns[0]);
      const text = textUpTo(s.maxLength ?? 50).filter((t) => [...t].length >= (s.minLength ?? 0));
      return patterns.length === 0 ? text : text.filter((t) => patterns.every((p) => p.test(t)));
    }
    case "integer":
      return integer(s);
    case "number":
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true });
    case "boolean":
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
};

const stringEdges = (s: JsonSchema): [string, unknown][] => {
  if (s.format === "date-time") return EDGE_DATES.map((d) => [`date ${d}`, d]);
  const edges: [string, unknown][] = [
    ["empty", ""],
    ["spaces", "   "],
    ["other white space", SPACES.join("")],
    ["zero-width space", "\u200b"],
    ["an unpaired surrogate", "a\ud800b"],
    ["a low surrogate first", "\udc00\ud800"],
    ["U+FFFD", "\ufffd"],
  ];
  const max = s.maxLength;
  if (max !== undefined) {
    for (const n of [max - 1, max, max + 1]) edges.push([`${n} emoji`, EMOJI.repeat(n)]);
    edges.push([
      `${Math.ceil((max + 1) / 2)} emoji (over ${max} UTF-16 units)`,
      EMOJI.repeat(Math.ceil((max + 1) / 2)),
    ]);
    edges.push([`${max} letters and a space each side`, ` ${"a".repeat(max)} `]);
    edges.push([`${max - 1} letters and a space`, ` ${"a".repeat(max - 1)}`]);
    edges.push([`${max} letters, decomposed accents`, "e\u0301".repeat(Math.floor(max / 2))]);
    edges.push([`${max} characters ending in a space`, `${"ệ".repeat(max - 1)}\u3000`]);
  }
  return edges;
};

const numberEdges = (s: JsonSchema): [string, unknown][] => {
  const bounds = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter(
    (b): b is number => b !== undefined,
  );
  return [
    ...bounds.flatMap((b): [string, unknown][] => [
      [`${b - 1}`, b - 1],
      [`${b}`, b],
      [`${b + 1}`, b + 1],
    ]),
    ["0", 0],
    ["-0", -0],
    ["1.5", 1.5],
    ["2^53", 2 ** 53],
    ["1e21", 1e21],
    ["a numeric string", "500000"],
  ];
};

const wrongTypes = (s: JsonSchema): [string, unknown][] =>
  (
    [
      ["null", null],
      ["a number", 42],
      ["a string", "x"],
      ["a boolean", true],
      ["an array", []],
      ["an object", {}],
    ] as [string, unknown][]
  ).filter(([label]) => !(s.type === "string" && label === "a string"));

const matchesConsts = (branch: JsonSchema, value: unknown, root: JsonSchema): boolean => {
  const props = resolve(branch, root).properties ?? {};
  return Object.entries(props).every(([k, p]) => {
    const target = resolve(p, root);
    return target.const === undefined || (value as Record<string, unknown>)?.[k] === target.const;
  });
};

/** Every mutation of `value` this walk can think of, at every field the schema describes. */
export const mutationsOf = (
  schema: JsonSchema,
  value: unknown,
  root: JsonSchema = schema,
  path: Path = [],
): Mutation[] => {
  const s = resolve(schema, root);
  const at = (label: string, v: unknown): Mutation => ({
    label: `${path.join(".") || "body"}: ${label}`,
    path,
    value: v,
  });
  const branches = s.oneOf ?? s.anyOf;
  if (branches !== undefined) {
    const matching = branches.filter((b) => matchesConsts(b, value, root));
    return [
      ...wrongTypes(s).map(([l, v]) => at(l, v)),
      ...matching.flatMap((b) => mutationsOf(b, value, root, path)),
    ];
  }
  const own = wrongTypes(s).map(([l, v]) => at(l, v));
  if (s.const !== undefined) return [...own, at("another constant", `${String(s.const)}-other`)];
  if (s.enum !== undefined)
    return [...own, at("not in the enum", "unknown"), at("upper case", String(value).toUpperCase())];
  switch (s.type) {
    case "object": {
      if (value === null || typeof value !== "object") return own;
      const record = value as Record<string, unknown>;
      return [
        ...own,
        { label: `${path.join(".") || "body"}: an extra property`, path: [...path, "unexpected"], value: 1 },
        ...Object.keys(record).flatMap((key) => [
          { label: `${[...path, key].join(".")}: dropped`, path: [...path, key], drop: true as const },
          ...mutationsOf(s.properties?.[key] ?? {}, record[key], root, [...path, key]),
        ]),
      ];
    }
    case "string":
      return [
        ...own,
        ...stringEdges(s).map(([l, v]) => at(l, v)),
        ...(typeof value === "string" && patternsOf(s).length > 0
          ? [at("with a trailing newline", `${value}\n`), at("upper case", value.toUpperCase())]
          : []),
      ];
    case "integer":
    case "number":
      return [...own, ...numberEdges(s).map(([l, v]) => at(l, v))];
    default:
      return own;
  }
};

/** `body` with one mutation applied; the original is left alone. */
export const applyMutation = (body: unknown, mutation: Mutation): unknown => {
  if (mutation.path.length === 0) return mutation.value;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of mutation.path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = mutation.path[mutation.path.length - 1] as string | number;
  if (mutation.drop) delete node[last];
  else node[last] = mutation.value;
  return copy;
};

/** A body the schema describes, then, most of the time, one mutation of it. */
export const bodiesFor = (schema: JsonSchema): fc.Arbitrary<{ body: unknown; mutation: string }> =>
  fc.tuple(valuesOf(schema), fc.nat(), fc.integer({ min: 0, max: 4 })).map(([valid, pick, keep]) => {
    const mutations = mutationsOf(schema, valid);
    const mutation = mutations[pick % mutations.length];
    if (keep === 0 || mutation === undefined) return { body: valid, mutation: "none" };
    return { body: applyMutation(valid, mutation), mutation: mutation.label };
  });

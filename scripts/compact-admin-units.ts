/**
 * Writes data/admin-units/ from the full source files (see data/admin-units/SOURCES.md), keeping only what
 * the unit registry reads: codes, official names, parents and the old→new pairs. English names, short
 * names, kinds, per-province counts and the merger file's names and cross-check are left out; they are
 * derivable from what is kept or serve only to audit the sources.
 *
 * Usage: node scripts/compact-admin-units.ts <directory holding the full source files>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface Source2025 {
  readonly provinces: readonly { code: string; name: string }[];
  readonly units: readonly { code: string; name: string; province: string }[];
}
interface Named {
  readonly code: string;
  readonly fullName: string;
}
interface SourceBefore2025 {
  readonly validAsOf: string;
  readonly provinces: readonly (Named & {
    districts: readonly (Named & { communes: readonly Named[] })[];
  })[];
}
interface SourceMerger {
  readonly legalBasis: string;
  readonly units: readonly { newCode: string; from: readonly { oldCode: string; how: string }[] }[];
}

const [sourceDir] = process.argv.slice(2);
if (sourceDir === undefined) throw new Error("usage: node scripts/compact-admin-units.ts <source directory>");
const read = <T>(file: string): T => JSON.parse(readFileSync(join(sourceDir, file), "utf8")) as T;
const target = new URL("../data/admin-units/", import.meta.url);

/** One row on each line, so that a change to one unit is a one-line diff. */
const write = (file: string, header: Record<string, unknown>, tables: Record<string, readonly unknown[]>) => {
  const head = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const body = Object.entries(tables).map(
    ([k, rows]) =>
      `  ${JSON.stringify(k)}: [\n${rows.map((r) => `    ${JSON.stringify(r).replaceAll('","', '", "').replaceAll('",["', '", ["')}`).join(",\n")}\n  ]`,
  );
  writeFileSync(new URL(file, target), `{\n${[...head, ...body].join(",\n")}\n}\n`);
};

const now = read<Source2025>("units-2025.json");
write(
  "units-2025.json",
  {
    validFrom: "2025-07-01",
    columns: { provinces: ["code", "name"], communes: ["code", "name", "province"] },
  },
  {
    provinces: now.provinces.map((p) => [p.code, p.name]),
    communes: now.units.map((u) => [u.code, u.name, u.province]),
  },
);

const before = read<SourceBefore2025>("units-before-2025.json");
const districts = before.provinces.flatMap((p) => p.districts.map((d) => ({ ...d, province: p.code })));
write(
  "units-before-2025.json",
  {
    validAsOf: before.validAsOf,
    validTo: "2025-06-30",
    columns: {
      provinces: ["code", "name"],
      districts: ["code", "name", "province"],
      communes: ["code", "name", "district"],
    },
  },
  {
    provinces: before.provinces.map((p) => [p.code, p.fullName]),
    districts: districts.map((d) => [d.code, d.fullName, d.province]),
    communes: districts.flatMap((d) => d.communes.map((c) => [c.code, c.fullName, d.code])),
  },
);

const merger = read<SourceMerger>("lao-cai-2025-merger.json");
write(
  "lao-cai-2025-merger.json",
  {
    validFrom: "2025-07-01",
    legalBasis: merger.legalBasis,
    columns: { communes: ["oldCode", "newCode", "how"] },
  },
  { communes: merger.units.flatMap((u) => u.from.map((f) => [f.oldCode, u.newCode, f.how])) },
);

import laoCaiMerger from "../../data/admin-units/lao-cai-2025-merger.json" with { type: "json" };
import provincesMerger from "../../data/admin-units/provinces-2025-merger.json" with { type: "json" };
import units2025 from "../../data/admin-units/units-2025.json" with { type: "json" };
import unitsBefore2025 from "../../data/admin-units/units-before-2025.json" with { type: "json" };
import {
  OPEN_START,
  type Succession,
  type SuccessionHow,
  type Unit,
  type UnitLevel,
} from "./unit-registry.ts";

/** The day the 2025 reform took effect: 34 provinces, communes directly under them, no districts. */
export const REFORM_2025 = "2025-07-01";
/** The last day of the 63 provinces and their districts and communes. */
export const LAST_DAY_BEFORE_2025 = "2025-06-30";

/** The one unit above every province, on every day. */
export const NATION: Unit = {
  key: `VN@${OPEN_START}`,
  code: "VN",
  name: "Việt Nam",
  level: "nation",
  validFrom: OPEN_START,
};

const row = (value: readonly string[], columns: number, file: string): readonly string[] => {
  if (value.length !== columns || value.some((v) => typeof v !== "string")) {
    throw new Error(`${file}: row ${JSON.stringify(value)} is not ${columns} strings`);
  }
  return value;
};

const unitsOf = (
  rows: readonly (readonly string[])[],
  level: UnitLevel,
  validFrom: string,
  validTo: string | undefined,
  file: string,
): Unit[] =>
  rows.map((r) => {
    const [code, name, parent] = row(r, 3, file) as [string, string, string];
    return {
      key: `${code}@${validFrom}`,
      code,
      name,
      level,
      parent,
      validFrom,
      ...(validTo ? { validTo } : {}),
    };
  });

const provinceRows = (rows: readonly (readonly string[])[], file: string) =>
  rows.map((r) => [...row(r, 2, file), "VN"]);

/**
 * Every unit the registry knows: the nation; the 63 provinces, 696 districts and 10,035 communes in force
 * until 30 June 2025 (a snapshot of 1 March 2025 whose start dates the source does not give); the 34
 * provinces and 3,321 communes from 1 July 2025.
 */
export const ALL_UNITS: readonly Unit[] = [
  NATION,
  ...unitsOf(
    provinceRows(unitsBefore2025.provinces, "units-before-2025.json"),
    "province",
    OPEN_START,
    unitsBefore2025.validTo,
    "units-before-2025.json",
  ),
  ...unitsOf(
    unitsBefore2025.districts,
    "district",
    OPEN_START,
    unitsBefore2025.validTo,
    "units-before-2025.json",
  ),
  ...unitsOf(
    unitsBefore2025.communes,
    "commune",
    OPEN_START,
    unitsBefore2025.validTo,
    "units-before-2025.json",
  ),
  ...unitsOf(
    provinceRows(units2025.provinces, "units-2025.json"),
    "province",
    units2025.validFrom,
    undefined,
    "units-2025.json",
  ),
  ...unitsOf(units2025.communes, "commune", units2025.validFrom, undefined, "units-2025.json"),
];

const HOW: readonly SuccessionHow[] = ["whole", "unchanged", "part"];

const pairsOf = (rows: readonly (readonly string[])[], validFrom: string, file: string): Succession[] =>
  rows.map((r) => {
    const [oldCode, newCode, how] = row(r, 3, file) as [string, string, SuccessionHow];
    if (!HOW.includes(how)) throw new Error(`${file}: unknown succession ${JSON.stringify(how)}`);
    return { from: `${oldCode}@${OPEN_START}`, to: `${newCode}@${validFrom}`, how };
  });

/**
 * The old→new pairs of 2025: every old province into its new one (Resolution 202/2025/QH15), and the
 * communes of old Lào Cai and Yên Bái into the communes of new Lào Cai (Resolution 1673/NQ-UBTVQH15).
 * Other old communes and all districts have no pair here; they follow their province.
 */
export const ALL_SUCCESSIONS: readonly Succession[] = [
  ...pairsOf(provincesMerger.provinces, provincesMerger.validFrom, "provinces-2025-merger.json"),
  ...pairsOf(laoCaiMerger.communes, laoCaiMerger.validFrom, "lao-cai-2025-merger.json"),
];

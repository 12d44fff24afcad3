import { describe, expect, it } from "vitest";
import { writeUnitsByPart } from "../../bench/mixed.ts";

describe("where the mixed benchmark's write units went", () => {
  it("sorts the meter's kinds into ledger rows, the audit index, member rows, items by family and the rest", () => {
    // Given: what a metered drain of 10 events tallied, tables already named by role
    const byKind = {
      "BatchExecuteStatement ledger -": { calls: 1, write: 11, read: 0 },
      "ledger index": { calls: 0, write: 3, read: 0 },
      "UpdateItem projections m": { calls: 2, write: 2, read: 0 },
      "UpdateItem projections cp": { calls: 2, write: 3, read: 0 },
      "UpdateItem projections sup": { calls: 3, write: 3, read: 0 },
      "PutItem projections cp": { calls: 1, write: 1, read: 0 },
      "BatchGetItem projections cp": { calls: 1, write: 0, read: 4 },
    };
    // When
    const parts = writeUnitsByPart(byKind, 10);
    // Then: per event, and the floor is what every event pays whatever the items
    expect(parts).toEqual({
      ledgerRows: 1.1,
      auditIndex: 0.3,
      memberRows: 0.2,
      projectionItems: { cp: 0.3, sup: 0.3 },
      rest: 0.1,
      floor: 1.6,
    });
  });
});

import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";

/** The whole local product, with its reports bucket on the S3 side of the SQS emulator; nothing mocked. */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
});
afterAll(async () => {
  await stack?.stop();
});

const token = (role: "association-admin" | "unit-staff" | "reporter", unit: string) =>
  mintToken(stack.auth.signingKey, { subject: `${role}-${unit}`, role, unit, name: "A" });

const grant = (unitCode: string, moneyVnd: number) => ({
  supportId: randomUUID(),
  recipient: { type: "collective", kind: "school", name: "Trường Tiểu học Kim Đồng" },
  reason: "study-equipment",
  moneyVnd,
  fundedBy: { source: "fund" },
  occurredAt: "2018-09-20T09:00:00+07:00",
  unitCode,
});

const luotOf = async (code: string): Promise<number> => {
  const response = await fetch(`${stack.url}/v1/units/${code}/support?year=2018&asOf=historic`, {
    headers: { authorization: `Bearer ${token("association-admin", "VN")}` },
  });
  return ((await response.json()) as { luot: number }).luot;
};

const listReports = (query: string, bearer: string) =>
  fetch(`${stack.url}/v1/reports?${query}`, { headers: { authorization: `Bearer ${bearer}` } });

describe("scheduled reports, made and downloaded", () => {
  it("given grants in Yên Bái in 2018, when the yearly schedule runs, then staff list the report and download an XLSX with the figures", async () => {
    // Given two grants in two communes of Yên Bái (15) in 2018, projected
    for (const [commune, money] of [
      ["04480", 2_000_000],
      ["04486", 3_500_000],
    ] as const) {
      const response = await fetch(`${stack.url}/v1/support`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token("association-admin", "15")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(grant(commune, money)),
      });
      expect(response.status).toBe(202);
    }
    const deadline = Date.now() + 10_000;
    while ((await luotOf("15")) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    // When the yearly schedule's run of 10 January 2019 comes, for Yên Bái (the same input the scheduler sends)
    const { handler: makeReports } = await import("#functions/reports/make-handler.ts");
    const made = await makeReports({
      schedule: "yearly",
      scheduledTime: "2019-01-09T20:00:00Z",
      units: ["15"],
    });

    // Then the report's files are in the bucket, listed for the province's staff with download links
    expect(made).toEqual({ reports: 1, files: 7 });
    const listed = await listReports("unit=15", token("association-admin", "15"));
    expect(listed.status).toBe(200);
    expect(listed.headers.get("cache-control")).toBe("no-store");
    const { reports } = (await listed.json()) as { reports: { name: string; url: string }[] };
    expect(reports.map((r) => r.name).sort()).toEqual(
      [
        "yearly-15-2018.xlsx",
        "yearly-15-2018.json",
        "yearly-15-2018.summary.csv",
        "yearly-15-2018.by-unit.csv",
        "yearly-15-2018.by-reason.csv",
        "yearly-15-2018.by-beneficiary-kind.csv",
        "yearly-15-2018.assessments.csv",
      ].sort(),
    );
    // And the XLSX behind its link holds the province's 2 lượt and 5,500,000 VND
    const xlsx = reports.find((r) => r.name.endsWith(".xlsx"));
    const download = await fetch(xlsx?.url ?? "");
    expect(download.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await download.arrayBuffer());
    const summary = workbook.getWorksheet("Tổng hợp");
    const values = new Map<string, unknown>();
    summary?.eachRow((row) => {
      values.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(values.get("Số lượt hỗ trợ")).toBe(2);
    expect(values.get("Tiền (đồng)")).toBe(5_500_000);
    // And the CSV is UTF-8 with a byte-order mark for Excel
    const csv = reports.find((r) => r.name.endsWith("by-unit.csv"));
    const bytes = new Uint8Array(await (await fetch(csv?.url ?? "")).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("lists a unit's reports only to staff whose scope holds it, and says what is wrong with a bad query", async () => {
    // Given a commune's staff of another province, and a query naming neither unit nor campaign
    const outsider = token("unit-staff", "00004");
    // When they list Yên Bái's reports, or ask with no unit
    const forbidden = await listReports("unit=15", outsider);
    const unclear = await listReports("limit=5", token("reporter", "VN"));
    // Then 403 and 400, naming the parameter
    expect(forbidden.status).toBe(403);
    expect(unclear.status).toBe(400);
    expect(JSON.stringify(await unclear.json())).toContain("unit");
  });
});

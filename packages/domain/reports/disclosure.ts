import { column, percentOf, type Report, vndWords } from "./report.ts";

/** Counters per item of one partition, as `store.readPartition` returns them. */
type Items = ReadonlyMap<string, Readonly<Record<string, number>>>;

/** A purpose as the public reads it: the general fund, or a campaign's restricted purpose in its words. */
export interface PurposeName {
  readonly vi: string;
  readonly en: string;
}

const GENERAL: PurposeName = {
  vi: "Quỹ chung (không hạn định mục đích)",
  en: "General fund (unrestricted)",
};

interface Row {
  purpose: string;
  receivedMoney: number;
  receivedGoods: number;
  reversed: number;
  disbursedMoney: number;
  disbursedGoods: number;
  balance: number;
}

/**
 * The annual public disclosure a fund publishes before 31 March (Decree 03/2026/NĐ-CP): for each purpose,
 * what it received in the year (money, goods valued in money), what was given back, what it spent on
 * support, and the money balance at the year's end (everything received minus everything spent, all years
 * up to this one). Aggregates only: amounts by purpose, never a person. Reads the fund's one partition
 * (`fund#<unit>`, items `<purpose>#<year>`, docs/fund-ledger.md).
 */
export const disclosureReport = (
  fund: { readonly code: string; readonly name: string },
  year: number,
  items: Items,
  purposeName: (purpose: string) => PurposeName | undefined,
): Report => {
  const rows = new Map<string, Row>();
  let unattributed = 0;
  let outgoing = 0;
  for (const [item, c] of items) {
    const at = item.lastIndexOf("#");
    const purpose = item.slice(0, at);
    const itemYear = Number(item.slice(at + 1));
    if (!Number.isInteger(itemYear) || itemYear > year) continue;
    const row = rows.get(purpose) ?? {
      purpose,
      receivedMoney: 0,
      receivedGoods: 0,
      reversed: 0,
      disbursedMoney: 0,
      disbursedGoods: 0,
      balance: 0,
    };
    rows.set(purpose, row);
    // The balance runs over every year up to this one; the flows are this year's.
    row.balance += (c.rm ?? 0) - (c.dm ?? 0);
    if (itemYear !== year) continue;
    row.receivedMoney += c.rm ?? 0;
    row.receivedGoods += c.rk ?? 0;
    row.reversed += (c.vm ?? 0) + (c.vk ?? 0);
    row.disbursedMoney += c.dm ?? 0;
    row.disbursedGoods += c.dk ?? 0;
    unattributed += c.um ?? 0;
    outgoing += c.om ?? 0;
  }
  const ordered = [...rows.values()].sort((a, b) =>
    a.purpose === "general" ? -1 : b.purpose === "general" ? 1 : a.purpose < b.purpose ? -1 : 1,
  );
  const nameOf = (purpose: string): PurposeName =>
    purpose === "general" ? GENERAL : (purposeName(purpose) ?? { vi: purpose, en: purpose });
  const sum = (k: keyof Omit<Row, "purpose">) => ordered.reduce((s, r) => s + r[k], 0);
  const received = sum("receivedMoney") + sum("receivedGoods");
  const spent = sum("disbursedMoney") + sum("disbursedGoods");
  const rate = percentOf(spent, received);
  return {
    kind: "disclosure",
    title: {
      vi: `Công khai tài chính năm ${year}: Quỹ khuyến học, khuyến tài ${fund.name}`,
      en: `Financial disclosure ${year}: study promotion and talent fund, ${fund.name}`,
    },
    headline: {
      vi:
        `Năm ${year}, quỹ đã tiếp nhận ${vndWords(received)} tiền và hiện vật, đã sử dụng ${vndWords(spent)}` +
        (rate === null ? "." : ` (${rate.toLocaleString("vi-VN")}%).`),
      en:
        `In ${year} the fund received ${received.toLocaleString("en-US")} VND in money and goods and used ` +
        `${spent.toLocaleString("en-US")} VND${rate === null ? "." : ` (${rate}%).`}`,
    },
    subject: { fund: fund.code, fundName: fund.name, year },
    sheets: [
      {
        name: { vi: "Theo mục đích", en: "By purpose" },
        columns: [
          column("purpose", "Mục đích sử dụng", "Purpose", "text"),
          column("receivedMoney", "Tiếp nhận bằng tiền (đồng)", "Received in money (VND)", "vnd"),
          column("receivedGoods", "Tiếp nhận hiện vật quy tiền (đồng)", "Received in goods (VND)", "vnd"),
          column("reversed", "Hoàn trả (đồng)", "Returned (VND)", "vnd"),
          column("disbursedMoney", "Đã chi bằng tiền (đồng)", "Used in money (VND)", "vnd"),
          column("disbursedGoods", "Đã chi hiện vật (đồng)", "Used in goods (VND)", "vnd"),
          column("balance", "Số dư tiền cuối năm (đồng)", "Money balance at year end (VND)", "vnd"),
        ],
        rows: ordered.map((r) => ({ ...r, purpose: nameOf(r.purpose).vi })),
      },
      {
        name: { vi: "Khoản khác", en: "Other" },
        columns: [
          column("measure", "Khoản", "Item", "text"),
          column("value", "Số tiền (đồng)", "Amount (VND)", "vnd"),
        ],
        rows: [
          { measure: "Chuyển khoản chưa xác định mục đích (đang rà soát)", value: unattributed },
          { measure: "Tiền chuyển đi (không phải thu)", value: outgoing },
        ],
      },
    ],
  };
};

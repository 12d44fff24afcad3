import { donationCodeOf } from "#domain/donation-code.ts";
import type { CashReceiptRequest, GoodsReceiptRequest } from "#events/payment.ts";
import { createRandom, uuidOf } from "./random.ts";
import type { Scenario } from "./yen-bai-2018.ts";

/** A bank-transfer notification as a SePay-style notifier posts it (signed by the sender). */
export interface Notification {
  readonly id: number;
  readonly gateway: string;
  readonly transactionDate: string;
  readonly accountNumber: string;
  readonly content: string;
  readonly transferType: "in";
  readonly transferAmount: number;
  readonly referenceCode: string;
  readonly description: string;
}

/** What arrived for one campaign: the figures `GET /v1/campaigns/{id}` shows as `received`. */
export interface Received {
  moneyVnd: number;
  inKindVnd: number;
  count: number;
}

export interface Money {
  /** Each notification once; the sender delivers some twice, as notifiers do. */
  readonly notifications: readonly Notification[];
  readonly cash: readonly CashReceiptRequest[];
  readonly goods: readonly GoodsReceiptRequest[];
  /** By campaign: transfers matched to its pledges, cash and goods for it. */
  readonly receivedByCampaign: ReadonlyMap<string, Received>;
  /** Transfers without a code: they wait in the review list, unattributed. */
  readonly unattributedVnd: number;
}

/** What banks do to a note: case, spaces, hyphens, the code glued to words (docs/payments.md). */
const mangle = (code: string, n: number): string => {
  switch (n % 4) {
    case 0:
      return `UNG HO ${code}`;
    case 1:
      return `ung ho khuyen hoc ${code.toLowerCase()}`;
    case 2:
      return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)} NGUYEN VAN AN CHUYEN TIEN`;
    default:
      return `MBVCB.123456.${code}.ungho`;
  }
};

const vietnamLocal = (day: string, hour: number) => `${day} ${String(hour).padStart(2, "0")}:15:00`;

/**
 * The money of the year: three in four money pledges paid by transfer a day later (most exactly, some
 * short or over), a few transfers whose note lost its code, piggy banks opened into the piggy-bank drive,
 * and books given to the bookshelf project. Deterministic per seed, with its own truth by campaign.
 */
export const generateMoney = (scenario: Scenario): Money => {
  const r = createRandom(scenario.seed + 1);
  const account = new Map(scenario.campaigns.map((c) => [c.id, c.bankAccount?.accountNumber ?? "0000"]));
  const receivedByCampaign = new Map<string, Received>();
  const add = (campaignId: string, money: number, inKind: number) => {
    const t = receivedByCampaign.get(campaignId) ?? { moneyVnd: 0, inKindVnd: 0, count: 0 };
    receivedByCampaign.set(campaignId, t);
    t.moneyVnd += money;
    t.inKindVnd += inKind;
    t.count += 1;
  };
  const notifications: Notification[] = [];
  let unattributedVnd = 0;
  let id = 1_000_000 + scenario.seed * 100_000;
  for (const [i, pledge] of scenario.pledges.entries()) {
    if (pledge.contribution.kind !== "money" || r.next() > 0.75) continue;
    const pledged = pledge.contribution.amountVnd;
    const amount = r.weighted([
      [pledged, 90],
      [Math.max(10_000, pledged - 50_000), 5],
      [pledged + 100_000, 5],
    ] as const);
    const day = new Date(Date.parse(pledge.occurredAt ?? "") + 86_400_000 + 7 * 3_600_000)
      .toISOString()
      .slice(0, 10);
    const lostCode = r.next() < 0.03;
    const code = donationCodeOf(pledge.eventId ?? "");
    const content = lostCode ? "UNG HO QUY KHUYEN HOC" : mangle(code, i);
    notifications.push({
      id: id++,
      gateway: "Vietcombank",
      transactionDate: vietnamLocal(day.startsWith("2018") ? day : "2018-12-31", r.int(7, 21)),
      accountNumber: account.get(pledge.campaignId) ?? "0000",
      content,
      transferType: "in",
      transferAmount: amount,
      referenceCode: `FT18${String(id).padStart(12, "0")}`,
      description: `BankAPINotify ${content}`,
    });
    if (lostCode) unattributedVnd += amount;
    else add(pledge.campaignId, amount, 0);
  }
  const piggyBanks = scenario.campaigns.find((c) => c.kind === "piggy-bank-drive");
  const bookshelves = scenario.campaigns.find((c) => c.kind === "bookshelf-project");
  const cash: CashReceiptRequest[] = [];
  const count = (n: number) => Math.max(1, Math.round(n * scenario.scale));
  for (let i = 0; piggyBanks !== undefined && i < count(400); i++) {
    const registration = r.pick(scenario.registrations);
    const amount = r.int(2, 30) * 100_000;
    cash.push({
      receiptId: uuidOf(scenario.seed, `piggy-bank-${i}`),
      unitCode: registration.unitCode,
      occurredAt: `2018-${String(r.int(5, 12)).padStart(2, "0")}-20T15:00:00+07:00`,
      amountVnd: amount,
      origin: { kind: "piggy-bank", school: registration.school.name, class: `${r.int(1, 9)}A` },
      campaignId: piggyBanks.id,
    });
    add(piggyBanks.id, amount, 0);
  }
  const goods: GoodsReceiptRequest[] = [];
  for (let i = 0; bookshelves !== undefined && i < count(60); i++) {
    const value = r.int(5, 40) * 100_000;
    goods.push({
      receiptId: uuidOf(scenario.seed, `books-${i}`),
      unitCode: r.pick(bookshelves.units),
      occurredAt: `2018-${String(r.int(4, 11)).padStart(2, "0")}-15T10:00:00+07:00`,
      description: "Sách thiếu nhi và sách tham khảo cho tủ sách khuyến học",
      valuationVnd: value,
      valuedBy: "Ban thường trực Hội Khuyến học huyện",
      donorName: "Quỹ Đinh Hữu Dư",
      campaignId: bookshelves.id,
    });
    add(bookshelves.id, 0, value);
  }
  return { notifications, cash, goods, receivedByCampaign, unattributedVnd };
};

/**
 * Grants paid from the bookshelf project's restricted money, to pupils of its communes already supported
 * this year (so the count of people stays the article's): study equipment, within 60% of the money the
 * project received, so the restricted check at the grant door lets every one through.
 */
export const restrictedGrants = (scenario: Scenario, money: Money): Scenario["grants"] => {
  const r = createRandom(scenario.seed + 2);
  const bookshelves = scenario.campaigns.find((c) => c.kind === "bookshelf-project");
  if (bookshelves === undefined) return [];
  const budget = Math.floor((money.receivedByCampaign.get(bookshelves.id)?.moneyVnd ?? 0) * 0.6);
  const pupils = scenario.registrations.filter(
    (p) => p.kind === "student" && (bookshelves.units as readonly string[]).includes(p.unitCode),
  );
  const grants: Scenario["grants"][number][] = [];
  let spent = 0;
  for (let i = 0; pupils.length > 0; i++) {
    const amount = r.int(3, 8) * 100_000;
    if (spent + amount > budget) break;
    spent += amount;
    const pupil = r.pick(pupils);
    grants.push({
      supportId: uuidOf(scenario.seed, `bookshelf-grant-${i}`),
      recipient: {
        type: "beneficiary",
        beneficiaryId: pupil.beneficiaryId ?? "",
        beneficiaryKind: "student",
      },
      reason: "study-equipment",
      moneyVnd: amount,
      fundedBy: { source: "campaign", campaignId: bookshelves.id },
      occurredAt: "2018-12-15T10:00:00+07:00",
      unitCode: pupil.unitCode,
    });
  }
  return grants;
};

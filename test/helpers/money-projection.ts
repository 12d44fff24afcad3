import type { Contribution, Projection } from "#domain/projections/contract.ts";

/**
 * A stand-in for the fund ledger, in tests only: the registry has no projection of money events yet, and
 * the payments benchmark and the chaos drill must check real counters once one is registered. Money in by
 * fund, purpose and year, unattributed money, money out; and money per campaign. `scale` multiplies money
 * in (a side that counts wrong).
 */
export const moneyByFund = (scale = 1): Projection => ({
  name: "test-money-by-fund",
  eventTypes: ["BankTransferReceived", "BankTransferSent"],
  contributions: (event) => {
    const year = event.occurredAt.slice(0, 4);
    if (event.type === "BankTransferSent") {
      const { fund, transfer } = event.data;
      return [
        {
          target: { partition: `tfund#${fund.unitCode}`, item: `${fund.purpose}#${year}` },
          add: { outgoingVnd: transfer.amountVnd, outgoing: 1 },
        },
      ];
    }
    if (event.type !== "BankTransferReceived") return [];
    const { match, transfer } = event.data;
    const amount = transfer.amountVnd * scale;
    const fund: Contribution = {
      target: { partition: `tfund#${match.fund.unitCode}`, item: `${match.fund.purpose}#${year}` },
      add: match.kind === "unmatched" ? { unattributedVnd: amount } : { receivedVnd: amount, received: 1 },
    };
    if (match.kind === "unmatched") return [fund];
    return [
      fund,
      { target: { partition: `tcampaign#${match.campaignId}`, item: "received" }, add: { moneyVnd: amount } },
    ];
  },
});

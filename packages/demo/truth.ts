import { unitOn } from "#domain/units.ts";
import type { Scenario } from "./yen-bai-2018.ts";

/** Lượt, distinct people and amounts: what a report states for one unit. */
export interface Figures {
  luot: number;
  people: number;
  moneyVnd: number;
  inKindVnd: number;
}

/** Assessments of one subject kind in the year. */
export interface AssessmentTruth {
  registered: number;
  assessed: number;
  recognised: number;
}

/**
 * The generator's own ground truth, counted from the requests it sent and nothing else: no projection, no
 * fold, no code of the product's read side. The demo compares every figure of the report with it.
 */
export interface Truth {
  readonly province: Figures;
  /** By district of 2018 (code), the rows of the yearly report's "By unit" sheet. */
  readonly byDistrict: ReadonlyMap<string, Figures>;
  readonly luotByReason: ReadonlyMap<string, number>;
  readonly moneyByReason: ReadonlyMap<string, number>;
  readonly luotByKind: ReadonlyMap<string, number>;
  readonly assessments: ReadonlyMap<string, AssessmentTruth>;
  readonly pledged: { moneyVnd: number; inKindVnd: number; count: number };
}

const empty = (): Figures & { ids: Set<string> } => ({
  luot: 0,
  people: 0,
  moneyVnd: 0,
  inKindVnd: 0,
  ids: new Set(),
});

export const truthOf = (scenario: Scenario): Truth => {
  const province = empty();
  const districts = new Map<string, ReturnType<typeof empty>>();
  const luotByReason = new Map<string, number>();
  const moneyByReason = new Map<string, number>();
  const luotByKind = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const g of scenario.grants) {
    const district = unitOn(g.unitCode, g.occurredAt)?.parent ?? "?";
    const d = districts.get(district) ?? empty();
    districts.set(district, d);
    const person = g.recipient.type === "beneficiary" ? g.recipient.beneficiaryId : undefined;
    for (const f of [province, d]) {
      f.luot += 1;
      f.moneyVnd += g.moneyVnd ?? 0;
      f.inKindVnd += g.goods?.valuationVnd ?? 0;
      if (person !== undefined) f.ids.add(person);
    }
    bump(luotByReason, g.reason, 1);
    bump(moneyByReason, g.reason, g.moneyVnd ?? 0);
    if (g.recipient.type === "beneficiary") bump(luotByKind, g.recipient.beneficiaryKind, 1);
  }
  const close = ({ ids, ...f }: ReturnType<typeof empty>): Figures => ({ ...f, people: ids.size });
  const assessments = new Map<string, AssessmentTruth>();
  const of = (kind: string) => {
    const a = assessments.get(kind) ?? { registered: 0, assessed: 0, recognised: 0 };
    assessments.set(kind, a);
    return a;
  };
  for (const a of scenario.assessmentRegistrations) of(a.subject.kind).registered += 1;
  for (const a of scenario.assessmentResults) {
    of(a.subject.kind).assessed += 1;
    if (a.level === "recognised") of(a.subject.kind).recognised += 1;
  }
  const pledged = { moneyVnd: 0, inKindVnd: 0, count: 0 };
  for (const p of scenario.pledges) {
    pledged.count += 1;
    if (p.contribution.kind === "money") pledged.moneyVnd += p.contribution.amountVnd;
    else pledged.inKindVnd += p.contribution.valuationVnd;
  }
  return {
    province: close(province),
    byDistrict: new Map([...districts].map(([k, v]) => [k, close(v)])),
    luotByReason,
    moneyByReason,
    luotByKind,
    assessments,
    pledged,
  };
};

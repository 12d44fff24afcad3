import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeUnderScheme, schemes } from "#domain/assessment-schemes.ts";
import { AssessmentRegistrationRequest, AssessmentResultRequest } from "#events/assessment.ts";
import {
  type AssessmentFormState,
  assessmentFieldOf,
  registrationBodyOf,
  resultBodyOf,
  SCHEMES,
  SUBJECT_KINDS,
  schemeKey,
  schemesFor,
} from "#web/assessment-body.ts";

const subjectId = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
const now = new Date("2026-11-28T13:00:00Z");
const filled: AssessmentFormState = {
  subjectKind: "learning-family",
  subjectId,
  year: "2026",
  date: "2026-11-20",
  unitCode: "02683",
  scheme: "qd-387-2021@1",
  level: "recognised",
  assessedBy: "Ban chỉ đạo xây dựng xã hội học tập xã Bát Xát",
};

describe("the assessment forms", () => {
  it("given the schemes the form offers, when compared with the API's, then they are the same scheme versions", () => {
    expect(SCHEMES.map(schemeKey).sort()).toEqual(schemes.map(schemeKey).sort());
    expect([...SUBJECT_KINDS].sort()).toEqual(
      [...AssessmentResultRequest.shape.subject.shape.kind.options].sort(),
    );
  });

  it("given any kind of subject and year, when offered schemes and levels, then the API accepts exactly those", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBJECT_KINDS), fc.integer({ min: 2010, max: 2105 }), (kind, year) => {
        // When
        const offered = schemesFor(kind, year).map(schemeKey);
        // Then: a scheme is offered if and only if the API would take some level under it
        for (const scheme of schemes) {
          const takes = scheme.levels.some((l) => judgeUnderScheme(scheme, kind, year, l.id).ok);
          expect(offered.includes(schemeKey(scheme))).toBe(takes);
        }
      }),
    );
  });

  it("given a year the schemes part at, when offered, then a commune learning community has Circular 25 from 2024 and 44 before", () => {
    expect(schemesFor("commune-learning-community", 2023).map(schemeKey)).toEqual(["tt-44-2014@1"]);
    expect(schemesFor("commune-learning-community", 2024).map(schemeKey)).toEqual(["tt-25-2023@1"]);
    expect(schemesFor("learning-family", 2020).map(schemeKey)).toEqual(["qd-281-2014@1"]);
    expect(schemesFor("learning-family", Number("năm nay"))).toEqual([]);
  });

  it("given a filled form, when sent, then the registration and the result are valid requests the scheme covers", () => {
    // When
    const registration = registrationBodyOf(filled, now);
    const result = resultBodyOf(filled, now);
    // Then
    expect(AssessmentRegistrationRequest.safeParse(registration).success).toBe(true);
    expect(registration).toEqual({
      subject: { kind: "learning-family", subjectId },
      year: 2026,
      occurredAt: "2026-11-20T12:00:00+07:00",
      unitCode: "02683",
    });
    expect(AssessmentResultRequest.safeParse(result).success).toBe(true);
    expect(result.scheme).toEqual({ id: "qd-387-2021", version: 1 });
    expect(
      judgeUnderScheme(result.scheme ?? { id: "", version: 0 }, "learning-family", 2026, "recognised"),
    ).toEqual({
      ok: true,
      recognised: true,
    });
  });

  it("given a result form left empty, when sent, then every issue the API finds has a field to be said beside", () => {
    const body = resultBodyOf(
      {
        ...filled,
        subjectId: "",
        year: "hai nghìn",
        date: "",
        unitCode: "",
        scheme: "",
        level: "",
        assessedBy: "",
      },
      now,
    );
    expect(body.year).toBe("hai nghìn");
    const parsed = AssessmentResultRequest.safeParse(body);
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining([
        "subject.subjectId",
        "year",
        "occurredAt",
        "unitCode",
        "scheme",
        "level",
        "assessedBy",
      ]),
    );
    expect(paths.map(assessmentFieldOf)).not.toContain(undefined);
    expect(assessmentFieldOf("scheme.version")).toBe("scheme");
  });
});

import { useEffect, useState } from "preact/hooks";
import { formatVnd, type Lang } from "../format.ts";
import { apiUrl, loadUnits, type UnitEntry } from "./api.ts";
import { textsOf } from "./i18n.ts";

/** The public disclosure as `GET /v1/public/funds/{code}` answers it: the report model, aggregates only. */
interface Disclosure {
  readonly title: { readonly vi: string; readonly en: string };
  readonly headline: { readonly vi: string; readonly en: string };
  readonly sheets: readonly {
    readonly name: { readonly vi: string; readonly en: string };
    readonly columns: readonly {
      readonly key: string;
      readonly header: { readonly vi: string; readonly en: string };
      readonly format: string;
    }[];
    readonly rows: readonly Record<string, string | number | null>[];
  }[];
}

const thisYear = () =>
  Number(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric" }).format(new Date()),
  );

/**
 * Where the money went: a fund's received, returned and used money by purpose, and its balance, as the
 * annual disclosure of Decree 03/2026/NĐ-CP states it. Any year, the central fund or a province's.
 */
export const TransparencyPage = ({ lang }: { lang: Lang }) => {
  const t = textsOf(lang);
  const [fund, setFund] = useState("VN");
  const [year, setYear] = useState(thisYear());
  const [provinces, setProvinces] = useState<UnitEntry[]>([]);
  const [disclosure, setDisclosure] = useState<Disclosure | "failed">();
  useEffect(() => {
    loadUnits().then(
      (units) => setProvinces(units.filter((u) => u.parent === undefined)),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    setDisclosure(undefined);
    apiUrl()
      .then((base) => fetch(new URL(`v1/public/funds/${fund}?year=${year}`, base)))
      .then((r) => (r.ok ? (r.json() as Promise<Disclosure>) : Promise.reject(new Error(`${r.status}`))))
      .then(setDisclosure, () => setDisclosure("failed"));
  }, [fund, year]);
  useEffect(() => {
    document.title = `${t.transparency} · ${t.association}`;
  }, [t]);
  return (
    <>
      <h1>{t.transparency}</h1>
      <p>{t.transparencyIntro}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t.fund}
          <select value={fund} onChange={(e) => setFund(e.currentTarget.value)}>
            <option value="VN">{t.centralFund}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.year}
          <select value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {Array.from({ length: 10 }, (_, i) => thisYear() - i).map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
        </label>
      </form>
      {disclosure === undefined && <p aria-live="polite">{t.loading}</p>}
      {disclosure === "failed" && <p role="alert">{t.loadFailed}</p>}
      {disclosure !== undefined && disclosure !== "failed" && (
        <section aria-labelledby="disclosure-title">
          <h2 id="disclosure-title">{disclosure.title[lang]}</h2>
          <p class="headline">{disclosure.headline[lang]}</p>
          {disclosure.sheets.map((sheet) => (
            <div class="table-scroll" key={sheet.name.en}>
              <table>
                <caption>{sheet.name[lang]}</caption>
                <thead>
                  <tr>
                    {sheet.columns.map((c) => (
                      <th key={c.key} scope="col">
                        {c.header[lang]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {sheet.rows.length === 0 && (
                    <tr>
                      <td colSpan={sheet.columns.length}>{t.nothingYet}</td>
                    </tr>
                  )}
                  {sheet.rows.map((row, i) => (
                    <tr key={i}>
                      {sheet.columns.map((c) => {
                        const v = row[c.key];
                        return c.format === "vnd" && typeof v === "number" ? (
                          <td key={c.key} class="num">
                            {formatVnd(v, lang)}
                          </td>
                        ) : (
                          <td key={c.key}>{v ?? ""}</td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      )}
    </>
  );
};

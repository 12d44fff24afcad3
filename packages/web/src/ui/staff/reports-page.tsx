import { useEffect, useState } from "preact/hooks";
import { formatDate } from "../../format.ts";
import { type ReportEntry, type ReportFile, reportEntries } from "../../report-files.ts";
import { moneyTextsOf } from "./money-texts.ts";
import type { StaffPageProps } from "./pages.tsx";
import { staffFetch } from "./session.ts";
import { sessionEnded } from "./sign-in.ts";

type Listed =
  | { readonly entries: readonly ReportEntry[] }
  | { readonly failed: "forbidden" | "other" }
  | undefined;

/** Bytes as a reader sizes a download: `12 kB`. */
const sizeOf = (bytes: number) => `${Math.max(1, Math.round(bytes / 1000))} kB`;

/**
 * `/staff/reports`: the unit's reports (the member's unit, or one they type within their scope), newest
 * first, each in XLSX, CSV and JSON through 15-minute links (`GET /v1/reports?unit=`, docs/reports.md).
 * The links are read when the page shows them, so an open page older than that is read again by "Xem".
 */
export const ReportsPage = (props: StaffPageProps) => {
  const t = moneyTextsOf(props.lang);
  const [unit, setUnit] = useState(props.session.unit ?? "VN");
  const [listed, setListed] = useState<Listed>();

  const load = async (code: string) => {
    setListed(undefined);
    try {
      const response = await staffFetch(props.session, `v1/reports?unit=${encodeURIComponent(code.trim())}`);
      if (sessionEnded(response)) return;
      if (response.status === 403) return setListed({ failed: "forbidden" });
      if (!response.ok) throw new Error(String(response.status));
      const { reports } = (await response.json()) as { reports: ReportFile[] };
      setListed({ entries: reportEntries(reports) });
    } catch {
      setListed({ failed: "other" });
    }
  };
  useEffect(() => {
    document.title = t.reports;
    void load(unit);
  }, [t]);

  return (
    <>
      <h1>{t.reports}</h1>
      <p class="muted">{t.reportsIntro}</p>
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          void load(unit);
        }}
      >
        <div class="field">
          <label for="reports-unit">{t.reportsUnit}</label>
          <input
            id="reports-unit"
            type="text"
            inputMode="text"
            autocomplete="off"
            value={unit}
            onInput={(e) => setUnit(e.currentTarget.value)}
          />
        </div>
        <button type="submit">{t.show}</button>
      </form>
      {listed === undefined && <p>…</p>}
      {listed !== undefined && "failed" in listed && (
        <p role="alert">{listed.failed === "forbidden" ? t.forbidden : t.loadFailed}</p>
      )}
      {listed !== undefined && "entries" in listed && listed.entries.length === 0 && <p>{t.reportsEmpty}</p>}
      {listed !== undefined && "entries" in listed && listed.entries.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.reports}</th>
                <th scope="col">{t.madeOn}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.download("")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {listed.entries.map((entry) => (
                <tr key={entry.base} data-testid="report">
                  <th scope="row">
                    {t.reportKinds[entry.kind]} {entry.period}
                    {entry.current && <span class="muted"> ({t.inCurrentUnits})</span>}
                  </th>
                  <td>{formatDate(entry.lastModified, props.lang)}</td>
                  <td class="downloads">
                    {entry.files.map((file) => (
                      <a
                        key={`${file.format}${file.view ?? ""}`}
                        href={file.url}
                        download={`${entry.base}${file.view ? `.${file.view}` : ""}.${file.format}`}
                      >
                        {t.download(file.format)}
                        {file.view && ` · ${t.views[file.view] ?? file.view}`}{" "}
                        <span class="muted">({sizeOf(file.size)})</span>
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
};

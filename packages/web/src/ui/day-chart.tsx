import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatVnd, type Lang } from "../format.ts";

/** `28/11` (or `28 Nov`): a short label for a day of the campaign, in Vietnam's calendar. */
const shortDate = (day: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    day: "numeric",
    month: lang === "vi" ? "numeric" : "short",
    timeZone: "Asia/Ho_Chi_Minh",
  }).format(new Date(`${day}T12:00:00+07:00`));

const compact = (lang: Lang) =>
  new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { notation: "compact", maximumFractionDigits: 1 });

/**
 * Pledged VND by day as bars (uPlot on a canvas). The canvas is hidden from assistive technology: the
 * same figures are in the table below it.
 */
export const DayChart = ({ days, lang }: { days: readonly { day: string; vnd: number }[]; lang: Lang }) => {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || days.length === 0) return;
    // Days are evenly spaced slots (the API lists only days with pledges): an index scale, labelled by date.
    const xs = days.map((_d, i) => i);
    const numbers = compact(lang);
    const width = () => Math.max(280, el.clientWidth);
    const label = (i: number) => {
      const day = days[Math.round(i)]?.day;
      return day === undefined ? "" : shortDate(day, lang);
    };
    // At most about six labels, so they never overlap on a phone.
    const step = Math.max(1, Math.ceil(days.length / 6));
    const chart = new uPlot(
      {
        width: width(),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: () => [-0.5, days.length - 0.5] } },
        axes: [
          {
            stroke: "#1f2933",
            splits: () => xs.filter((i) => i % step === 0),
            values: (_u, splits) => splits.map(label),
          },
          { stroke: "#1f2933", size: 60, values: (_u, splits) => splits.map((s) => numbers.format(s)) },
        ],
        series: [
          {},
          {
            label: "VND",
            stroke: "#0b5cad",
            fill: "#0b5cad",
            paths: uPlot.paths.bars?.({ size: [0.6, 40] }),
            points: { show: false },
            value: (_u, v) => formatVnd(v, lang),
          },
        ],
      },
      [xs, days.map((d) => d.vnd)],
      el,
    );
    const resize = () => chart.setSize({ width: width(), height: 220 });
    addEventListener("resize", resize);
    return () => {
      removeEventListener("resize", resize);
      chart.destroy();
    };
  }, [days, lang]);
  return <div ref={box} class="chart" aria-hidden="true" />;
};

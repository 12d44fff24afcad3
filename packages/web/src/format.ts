/** The languages the web app speaks: Vietnamese by default, English by a switch. */
export type Lang = "vi" | "en";

const LOCALE: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };

/** A "day" is a day in Vietnam, wherever the reader is. */
const ZONE = "Asia/Ho_Chi_Minh";

/** Integer VND as a reader expects it: `5.000.000 ₫` in Vietnamese (a no-break space before the sign). */
export const formatVnd = (amountVnd: number, lang: Lang = "vi"): string =>
  new Intl.NumberFormat(LOCALE[lang], {
    style: "currency",
    currency: "VND",
    maximumFractionDigits: 0,
  }).format(amountVnd);

/** A date (`2026-09-05`) or a timestamp with offset, as a long date in Vietnam's day: `5 tháng 9, 2026`. */
export const formatDate = (value: string, lang: Lang = "vi"): string => {
  // A bare date names a Vietnamese day already; noon there keeps it on that day in ZONE.
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+07:00`) : new Date(value);
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone: ZONE }).format(instant);
};

const vietnamDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Ho_Chi_Minh",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/**
 * The calendar day (YYYY-MM-DD) in Asia/Ho_Chi_Minh on which an instant falls: a donation at
 * 23:30 UTC on 4 September is a 5 September donation for the association.
 */
export const vietnamDayOf = (instant: string): string => vietnamDay.format(new Date(instant));

/** An instant as ISO 8601 in Vietnam's offset, the way staff read times. */
export const toVietnamIso = (date: Date): string => {
  const shifted = new Date(date.getTime() + 7 * 3_600_000);
  return `${shifted.toISOString().slice(0, 23)}+07:00`;
};

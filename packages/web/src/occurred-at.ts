/** Today in Vietnam as `YYYY-MM-DD`. */
export const vietnamToday = (now: Date = new Date()): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short" }).format(now);

/**
 * When something happened on `day` (a day in Vietnam): noon of a past day, or this very minute when the day
 * is today, because the API refuses a time after it received the request (noon today is ahead of the
 * server's clock all morning).
 */
export const occurredAtOf = (day: string, now: Date = new Date()): string => {
  if (day !== vietnamToday(now)) return `${day}T12:00:00+07:00`;
  const shifted = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 7 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
};

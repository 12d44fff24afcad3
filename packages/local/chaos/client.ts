import type { DonationForm } from "#events/donation.ts";

/**
 * The driver's side of the drill: what it sent and was told, from which the truth is folded (never from
 * the database), and the careful client it posts donations with.
 */

export interface Tally {
  /** HTTP answers received (every attempt). */
  posted: number;
  /** Donations answered 202 at least once, by eventId: the truth. */
  readonly accepted: Map<string, DonationForm>;
  /** Answers by status (every attempt). */
  readonly answers: Record<string, number>;
  /** Answers the API should never give, and what the driver could not send. */
  readonly unexpected: string[];
  /** Reuses of an accepted eventId with other content that the API refused with 409. */
  conflictsRefused: number;
  poisonSent: number;
  /** Poison sent: body → the reason prefix it must be dead-lettered with. */
  readonly poisonBodies: Map<string, string>;
  /** Bank-transfer notifications sent, duplicates included. */
  moneySent: number;
}

export const newTally = (): Tally => ({
  posted: 0,
  accepted: new Map(),
  answers: {},
  unexpected: [],
  conflictsRefused: 0,
  poisonSent: 0,
  poisonBodies: new Map(),
  moneySent: 0,
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Posts like a careful client: a 500 or no answer is retried with the same eventId, a few times. Every
 * answer is counted in `tally`; the last one is answered.
 */
export const postDonation = async (url: string, tally: Tally, form: DonationForm): Promise<number> => {
  let status = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch(`${url}/v1/donations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(form),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    tally.posted++;
    tally.answers[String(status)] = (tally.answers[String(status)] ?? 0) + 1;
    // A careful client retries what the API says may succeed later: 500, 503 (busy), no answer.
    if (status !== 500 && status !== 503 && status !== 0) return status;
    await sleep(100 * 2 ** attempt);
  }
  return status;
};

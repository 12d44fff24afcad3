import type { Random } from "../faults.ts";
import type { Transfer } from "../payment-workload.ts";
import { postDonation, sleep, type Tally } from "./client.ts";
import { poisoner } from "./poison.ts";
import { prng } from "./random.ts";
import type { ChaosStack } from "./stack.ts";
import type { ChaosWorkload } from "./workload.ts";

/**
 * The posting phase: the donations from several clients at once, with the staff events and the
 * bank-transfer notifications beside them and the poison among them, every answer kept in the tally.
 */

/** How a bank-transfer notification reaches the pipeline: one function, so the drill can change the way. */
type NotificationSender = (transfer: Transfer) => Promise<void>;

/**
 * The money event straight on the queue, as the bank-transfer door enqueues it after verifying the
 * notification (the way the staff events go in). Where the door runs in the drill, a sender that posts
 * `transfer.notification`, signed, to `POST /v1/payments/bank-transfer` takes this one's place.
 */
const enqueueAsTheDoor =
  (store: ChaosStack["store"]): NotificationSender =>
  (transfer) =>
    store.enqueue(transfer.event);

export interface DriveSettings {
  /** Concurrent HTTP clients posting. */
  readonly clients: number;
  /** Poison messages to send among the donations. */
  readonly poison: number;
  /** The driver's own stream (what the poison is made of). */
  readonly rand: Random;
  /** The drill's seed, from which the bursts of notifications get a stream of their own. */
  readonly seed: number;
}

/** Sends the whole workload and waits until every post is answered and every poison message is sent. */
export const drive = async (
  stack: ChaosStack,
  workload: ChaosWorkload,
  tally: Tally,
  settings: DriveSettings,
): Promise<void> => {
  const { forms, submissions, family, money } = workload;
  const { accepted, unexpected } = tally;
  const poisonSafely = poisoner(stack, forms, tally, settings.rand);

  // Post from several clients; poison goes in at even intervals among the donations.
  const poisonEvery = Math.max(1, Math.floor(submissions.length / (settings.poison + 1)));
  let next = 0;
  let poisonDone = 0;
  // A conflict waits for its original to reach the ledger: poison runs beside the posting, not in its way.
  const poisoning: Promise<void>[] = [];
  const client = async () => {
    while (next < submissions.length) {
      const index = next++;
      const submission = submissions[index];
      if (submission === undefined) break;
      if (index > 0 && index % poisonEvery === 0 && poisonDone < settings.poison)
        poisoning.push(poisonSafely(poisonDone++));
      const statuses = await Promise.all(
        Array.from({ length: submission.copies }, () => postDonation(stack.url, tally, submission.form)),
      );
      const eventId = submission.form.eventId ?? "";
      for (const status of statuses) {
        if (status === 202) accepted.set(eventId, submission.form);
        else if (status !== 500 && status !== 503)
          unexpected.push(
            `${status} to ${submission.resubmission ? "a resubmission" : "a donation"} ${eventId}`,
          );
      }
    }
  };
  // Staff events go on the queue as the staff routes put them (validated, ASCII JSON), some twice, beside
  // the donations: the projector meets every family at once.
  const sendFamily = async () => {
    for (const [i, event] of family.entries()) {
      for (let copy = 0; copy < (i % 10 === 0 ? 2 : 1); copy++) {
        try {
          await stack.store.enqueue(event);
        } catch (error) {
          unexpected.push(
            `staff event ${event.eventId} not sent: ${error instanceof Error ? error.name : error}`,
          );
        }
      }
      if (i % 50 === 0) await sleep(20);
    }
  };
  // Bank-transfer notifications come in bursts (a notifier catching up), a retry often in the same burst
  // as its original.
  const sendNotification = enqueueAsTheDoor(stack.store);
  const sendMoney = async () => {
    const rand = prng(settings.seed ^ 0x6d0e8);
    for (let i = 0; i < money.deliveries.length; ) {
      const burst = money.deliveries.slice(i, i + 20 + Math.floor(rand() * 80));
      i += burst.length;
      await Promise.all(
        burst.map(async (transfer) => {
          try {
            await sendNotification(transfer);
            tally.moneySent++;
          } catch (error) {
            unexpected.push(
              `notification ${transfer.notification.id} not sent: ${error instanceof Error ? error.name : error}`,
            );
          }
        }),
      );
      await sleep(200 + Math.floor(rand() * 800));
    }
  };
  await Promise.all([...Array.from({ length: settings.clients }, client), sendFamily(), sendMoney()]);
  while (poisonDone < settings.poison) poisoning.push(poisonSafely(poisonDone++));
  await Promise.all(poisoning);
};

import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { DonationForm } from "#events/donation.ts";
import type { Random } from "../faults.ts";
import { postDonation, sleep, type Tally } from "./client.ts";
import { pick, uuidFrom } from "./random.ts";
import type { ChaosStack } from "./stack.ts";
import { eventOf } from "./workload.ts";

/**
 * Poison messages, sent straight to the queue in turn: not JSON; JSON but not a valid event; a valid
 * event reusing an accepted eventId with other content. Each must end on the dead-letter queue with its
 * reason, without holding up the rest of its batch.
 */

/**
 * A sender of poison message `n` (its kind is `n % 3`), drawing from `rand`. It never throws: what it
 * could not send is an unexpected answer in `tally`.
 */
export const poisoner = (
  stack: ChaosStack,
  forms: readonly DonationForm[],
  tally: Tally,
  rand: Random,
): ((n: number) => Promise<void>) => {
  const { accepted, unexpected } = tally;

  /** Waits until an accepted event is in the ledger, so that a reuse of its eventId is a visible conflict. */
  const inLedgerSoon = async (eventId: string): Promise<boolean> => {
    for (let i = 0; i < 300; i++) {
      if ((await stack.store.ledgerHash(eventId)) !== undefined) return true;
      await sleep(200);
    }
    return false;
  };

  const sendPoison = async (body: string, reasonPrefix: string) => {
    await stack.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.config.queueUrl, MessageBody: body }),
    );
    tally.poisonBodies.set(body, reasonPrefix);
    tally.poisonSent++;
  };

  const poison = async (n: number) => {
    const kind = n % 3;
    const base = eventOf(pick(rand, forms));
    if (kind === 0) {
      await sendPoison(`${JSON.stringify(base).slice(0, 40 + n)}`, "malformed: body is not JSON");
    } else if (kind === 1) {
      const wrong = [
        { ...base, eventId: uuidFrom(rand), type: "DonationLost" },
        { ...base, eventId: uuidFrom(rand), campaignId: undefined },
        {
          ...base,
          eventId: uuidFrom(rand),
          data: { ...base.data, contribution: { kind: "money", amountVnd: -n } },
        },
      ][Math.floor(n / 3) % 3];
      await sendPoison(JSON.stringify(wrong), "malformed:");
    } else {
      // A valid event reusing an accepted eventId with other content, as soon as the original is in the
      // ledger (before that, whichever gets there first wins: docs/exactly-once.md, Limits). The
      // original's own message may well still be on the queue then.
      const ids = [...accepted.keys()];
      const original = accepted.get(pick(rand, ids.length > 0 ? ids : [""]));
      if (original === undefined || !(await inLedgerSoon(original.eventId ?? ""))) return;
      const reused: DonationForm = {
        ...original,
        contribution: { kind: "money", amountVnd: 7_000 + n },
      };
      await sendPoison(JSON.stringify(eventOf(reused)), "conflict:");
      // The same reuse at the door: the ledger already holds the eventId, so the API refuses it.
      const status = await postDonation(stack.url, tally, reused);
      if (status === 409) tally.conflictsRefused++;
      else if (status === 202) unexpected.push(`202 to a reuse of ${original.eventId} already in the ledger`);
    }
  };

  return (n: number) =>
    poison(n).catch((error: unknown) => {
      unexpected.push(
        `poison #${n} could not be sent: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
};

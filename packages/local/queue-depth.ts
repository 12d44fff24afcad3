import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * Messages on a queue, waiting or in flight: a drain is over only when both are 0, since a message in
 * flight may yet come back (a crash, a retried batch item).
 */
export const queueDepth = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

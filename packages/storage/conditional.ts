/** Whether DynamoDB refused a write because its condition did not hold (not a fault: an answer). */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";

/** Whether a conditional write was done (true) or refused by its condition (false); anything else is thrown. */
export const conditional = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

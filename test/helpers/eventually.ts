/**
 * Reads until `check` holds, for at most `ms` (5 s: the promise the product makes for queued events), and
 * returns the last value read, so a test that times out asserts on what it saw rather than on a timeout.
 */
export const eventually = async <T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  ms = 5_000,
): Promise<T> => {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
};

/** One request the demo sends, as a client of the public or staff API would. */
export interface Request {
  readonly method: "POST";
  readonly path: string;
  readonly body: unknown;
  /** The bearer token, for staff routes. */
  readonly token?: string;
  /** A body already serialised with its own headers (a signed notification): sent byte for byte. */
  readonly raw?: { readonly body: string; readonly headers: Readonly<Record<string, string>> };
}

/** What came back, by status: accepted, refused (4xx other than 409 on a repeat), and why. */
export interface SendOutcome {
  readonly sent: number;
  readonly accepted: number;
  readonly refused: { readonly status: number; readonly path: string; readonly body: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends requests `concurrency` at a time, as a retrying script should: a 503 waits its Retry-After, a
 * network error or 5xx is tried again with the same body (every body carries its id, so a repeat counts
 * once), up to 8 times. Calls `progress` at most once a second.
 */
export const sendAll = async (
  baseUrl: string,
  requests: readonly Request[],
  concurrency: number,
  progress: (done: number, of: number) => void,
): Promise<SendOutcome> => {
  let next = 0;
  let done = 0;
  let accepted = 0;
  const refused: { status: number; path: string; body: string }[] = [];
  let lastSaid = 0;
  const one = async (request: Request): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${baseUrl}${request.path}`, {
          method: request.method,
          headers: request.raw?.headers ?? {
            "content-type": "application/json",
            ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }),
          },
          body: request.raw?.body ?? JSON.stringify(request.body),
        });
        const text = await response.text();
        if (response.status === 503 || (response.status >= 500 && attempt < 8)) {
          const wait = Number(response.headers.get("retry-after") ?? "1");
          await sleep(Math.min(5, Number.isFinite(wait) ? wait : 1) * 1000);
          continue;
        }
        if (response.ok) accepted += 1;
        else refused.push({ status: response.status, path: request.path, body: text.slice(0, 300) });
        return;
      } catch (error) {
        if (attempt >= 8) {
          refused.push({ status: 0, path: request.path, body: String(error) });
          return;
        }
        await sleep(200 * attempt);
      }
    }
  };
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      if (request === undefined) return;
      await one(request);
      done += 1;
      if (Date.now() - lastSaid > 1000) {
        lastSaid = Date.now();
        progress(done, requests.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  progress(done, requests.length);
  return { sent: requests.length, accepted, refused };
};

import {
  type AuthConfig,
  authorizeUrl,
  CALLBACK_PATH,
  callbackOutcome,
  challengeOf,
  logoutUrl,
  type PendingSignIn,
  randomToken,
  safeReturnTo,
  sessionOf,
  tokenRequest,
} from "../../staff-auth.ts";
import { loadConfig } from "../api.ts";
import { clearSession, saveSession } from "./session.ts";

/** Where a started sign-in waits for its callback: this tab only, gone once redeemed. */
const PENDING_KEY = "khuyenhoc.staff.pending";

/** An event the staff area listens to: a staff route answered 401, the member must sign in again. */
export const EXPIRED_EVENT = "khuyenhoc:staff-expired";

/** The sign-in settings of `config.json`; undefined when the app has none (sign-in not configured). */
export const authConfig = (): Promise<AuthConfig | undefined> =>
  loadConfig().then(
    ({ auth }) =>
      auth?.domain && auth.clientId ? { domain: auth.domain, clientId: auth.clientId } : undefined,
    () => undefined,
  );

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

/** Leaves for the hosted sign-in page, remembering the verifier and state for the way back. */
export const startSignIn = async (returnTo: string): Promise<boolean> => {
  const auth = await authConfig();
  if (auth === undefined) return false;
  const pending: PendingSignIn = {
    state: randomToken(),
    verifier: randomToken(),
    returnTo: safeReturnTo(returnTo),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(
    authorizeUrl(auth, {
      redirectUri: redirectUri(),
      state: pending.state,
      challenge: await challengeOf(pending.verifier),
    }),
  );
  return true;
};

/** How coming back to `/auth/callback` ended. */
export type CompletedSignIn =
  | { readonly kind: "signed-in"; readonly returnTo: string }
  | { readonly kind: "unexpected" | "refused" | "failed" | "unconfigured" };

/** Redeems the callback's code with this tab's verifier and keeps the session. */
export const completeSignIn = async (): Promise<CompletedSignIn> => {
  let pending: PendingSignIn | undefined;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") ?? undefined;
  } catch {
    pending = undefined;
  }
  // A code is redeemed once: whatever follows, this sign-in is over.
  sessionStorage.removeItem(PENDING_KEY);
  const outcome = callbackOutcome(location.search, pending);
  if (outcome.kind !== "code") return { kind: outcome.kind };
  const auth = await authConfig();
  if (auth === undefined) return { kind: "unconfigured" };
  const request = tokenRequest(auth, {
    code: outcome.code,
    verifier: outcome.pending.verifier,
    redirectUri: redirectUri(),
  });
  try {
    const response = await fetch(request.url, { method: "POST", body: request.body, cache: "no-store" });
    const session = response.ok ? sessionOf(await response.json(), Date.now()) : undefined;
    if (session === undefined) return { kind: "failed" };
    saveSession(session);
    return { kind: "signed-in", returnTo: outcome.pending.returnTo };
  } catch {
    return { kind: "failed" };
  }
};

/** Ends the session here and at the hosted sign-in, which sends the browser back to the app. */
export const signOut = async (): Promise<void> => {
  clearSession();
  const auth = await authConfig();
  location.assign(auth ? logoutUrl(auth, location.origin) : "/");
};

/**
 * Says whether a staff route's answer means the session is over (401): then the session is dropped and
 * the staff area asks the member to sign in again. Every staff page passes its answers through it.
 */
export const sessionEnded = (response: Response): boolean => {
  if (response.status !== 401) return false;
  clearSession();
  window.dispatchEvent(new Event(EXPIRED_EVENT));
  return true;
};

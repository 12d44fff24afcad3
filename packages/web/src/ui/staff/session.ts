import { staffApiUrl } from "../api.ts";

/**
 * A signed-in staff member, as the browser keeps it for the tab's life (sessionStorage: gone when the
 * tab closes, never shared with another site). The ID token is what the staff routes verify; the other
 * fields are read from its claims for display only: the API decides scope from the token itself.
 */
export interface StaffSession {
  readonly idToken: string;
  /** Milliseconds since the epoch; past it the session is dropped and the member signs in again. */
  readonly expiresAt: number;
  readonly subject: string;
  readonly role: string;
  /** `VN`, a province or a commune code; absent for roles that work nationwide. */
  readonly unit?: string;
  readonly name?: string;
}

/** The one storage key of the staff session; browser tests set it directly to skip the sign-in page. */
export const SESSION_KEY = "khuyenhoc.staff";

/** The session of this tab, or undefined when none is stored, it cannot be read, or it has expired. */
export const loadSession = (now = Date.now()): StaffSession | undefined => {
  try {
    const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null") as StaffSession | null;
    if (stored && typeof stored.idToken === "string" && stored.expiresAt > now) return stored;
  } catch {
    // A damaged entry is no session.
  }
  sessionStorage.removeItem(SESSION_KEY);
  return undefined;
};

export const saveSession = (session: StaffSession): void =>
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));

export const clearSession = (): void => sessionStorage.removeItem(SESSION_KEY);

/** A call to a staff route (`path` like `v1/support`), with the member's token. */
export const staffFetch = async (
  session: StaffSession,
  path: string,
  init: RequestInit = {},
): Promise<Response> => {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${session.idToken}`);
  if (init.body !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  return fetch(new URL(path, await staffApiUrl()), { ...init, headers, cache: "no-store" });
};

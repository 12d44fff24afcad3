/**
 * The web app's Content-Security-Policy, one list for CloudFront (infra/constructs/web.ts) and the local
 * gateway (packages/local/web-files.ts), so a violation shows up locally before it does deployed. The
 * app's own scripts and styles only; `data:` images for the VietQR code it draws; fetch to itself and to
 * `connect` (the APIs and, for the token exchange after sign-in, the hosted sign-in's domain). Sign-in
 * and sign-out are navigations, which no directive here governs.
 */
export const webCsp = (connect: readonly string[] = []): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connect].join(" "),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

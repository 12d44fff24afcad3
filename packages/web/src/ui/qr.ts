import { renderSVG } from "uqr";

/**
 * The VietQR payload as an SVG image, drawn in the browser: the payload names the association's account
 * and the donation code, so it is never sent to a third-party QR service. A data: URL, which the
 * Content-Security-Policy allows for images.
 */
export const qrImageOf = (payload: string): string =>
  `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(payload, { ecc: "M", border: 4 }))}`;

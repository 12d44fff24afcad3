import { describe, expect, it } from "vitest";
import { qrImageOf } from "../../packages/web/src/ui/qr.ts";

describe("the VietQR image", () => {
  it("given a payload, when drawn, then it is an SVG data URL holding only dark modules and the payload stays local", () => {
    // Given a VietQR-shaped payload (EMVCo TLV text)
    const payload =
      "00020101021238570010A00000072701270006970436011300123456789010208QRIBFTTA53037045802VN62150811KHDDACSRE4Q6304ABCD";
    // When
    const url = qrImageOf(payload);
    const svg = decodeURIComponent(url.slice(url.indexOf(",") + 1));
    // Then
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
    expect(svg).not.toContain("http://example");
    expect(qrImageOf(`${payload}X`)).not.toBe(url);
  });
});

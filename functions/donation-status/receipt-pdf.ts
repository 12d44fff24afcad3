import { join } from "node:path";
import { fileURLToPath } from "node:url";
import PDFDocument from "pdfkit";
import type { ReceiptContent } from "#domain/receipt.ts";
import { RECEIPT_FONTS } from "./receipt-fonts.ts";

/**
 * Where DejaVu Sans lies: the `dejavu-fonts-ttf` package locally, the directory RECEIPT_FONT_DIR names
 * when deployed (the bundle copies the two files beside the handler). PDF's standard fonts cover Latin-1
 * only, so without an embedded font every Vietnamese letter with two marks (ả, ộ, ữ…) would be lost;
 * DejaVu covers Vietnamese, and pdfkit embeds only the glyphs used.
 */
const fontDir = (): string =>
  process.env[RECEIPT_FONTS.dirVariable] ??
  fileURLToPath(new URL(".", import.meta.resolve(`${RECEIPT_FONTS.packageDir}/${RECEIPT_FONTS.regular}`)));

const REGULAR = RECEIPT_FONTS.regular;
const BOLD = RECEIPT_FONTS.bold;

/** The receipt laid out on one A5 page, as PDF bytes. */
export const renderReceiptPdf = (receipt: ReceiptContent): Promise<Buffer> => {
  const dir = fontDir();
  const doc = new PDFDocument({
    size: "A5",
    margin: 40,
    font: join(dir, REGULAR),
    info: { Title: `Biên nhận ủng hộ ${receipt.number}`, Author: receipt.association },
  });
  doc.registerFont("regular", join(dir, REGULAR));
  doc.registerFont("bold", join(dir, BOLD));
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("bold").fontSize(12).text(receipt.association.toLocaleUpperCase("vi"), { align: "center" });
  doc.font("regular").fontSize(9).text("Quỹ Khuyến học", { align: "center" }).moveDown(1.5);
  doc.font("bold").fontSize(15).text("BIÊN NHẬN ỦNG HỘ", { align: "center" });
  doc.font("regular").fontSize(10).text(`Số: ${receipt.number}`, { align: "center" }).moveDown(1.5);

  const line = (label: string, value: string) => {
    doc.font("bold").fontSize(10).text(`${label}: `, { continued: true });
    doc.font("regular").text(value).moveDown(0.4);
  };
  line("Người ủng hộ", receipt.donor);
  if (receipt.goods !== undefined) line("Hiện vật", receipt.goods);
  line(receipt.goods === undefined ? "Số tiền" : "Trị giá", receipt.amountFigures);
  line("Bằng chữ", receipt.amountWords);
  line("Chương trình", receipt.campaign);
  line("Mục đích sử dụng", receipt.restrictedPurpose ?? "Theo chương trình của Hội");
  line("Ngày", receipt.day);
  line("Tình trạng", receipt.state);

  doc
    .moveDown(1.5)
    .font("regular")
    .fontSize(10)
    .text("Trân trọng cảm ơn tấm lòng của Quý vị.", { align: "center" })
    .moveDown(0.5)
    .fontSize(8)
    .fillColor("#555555")
    .text(
      receipt.goods === undefined
        ? "Biên nhận điện tử, không cần chữ ký. Số biên nhận là mã ủng hộ ghi trong nội dung chuyển khoản."
        : "Biên nhận điện tử, không cần chữ ký.",
      { align: "center" },
    );
  doc.end();
  return done;
};

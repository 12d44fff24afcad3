/**
 * The font files a receipt embeds, where they lie, and the setting that moves them: read by the
 * renderer and by the CDK, which copies the files beside the deployed bundle (it holds no node_modules).
 */
export const RECEIPT_FONTS = {
  /** Inside node_modules: DejaVu Sans covers Vietnamese, the PDF standard fonts (Latin-1) do not. */
  packageDir: "dejavu-fonts-ttf/ttf",
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  /** Names the directory holding both files; unset, the package's own directory is used. */
  dirVariable: "RECEIPT_FONT_DIR",
} as const;

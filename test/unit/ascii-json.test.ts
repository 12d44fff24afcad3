import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asciiJson, escapeNonAscii } from "#storage/ascii-json.ts";

/** Any UTF-16 text: every code point, the noncharacters SQS refuses, and unpaired surrogates. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.constantFrom("\uFFFE", "\uFFFF", "\u0000", "🌸", "e\u0301", "\uD800", "\uDFFF", "\u007F"),
  ),
});

/** What SQS accepts in a message body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. */
const sqsAccepts = (body: string) =>
  [...body].every((c) => {
    const p = c.codePointAt(0) ?? 0;
    return (
      p === 0x9 ||
      p === 0xa ||
      p === 0xd ||
      (p >= 0x20 && p <= 0xd7ff) ||
      (p >= 0xe000 && p <= 0xfffd) ||
      (p >= 0x10000 && p <= 0x10ffff)
    );
  });

describe("queue bodies as ASCII JSON", () => {
  it("given any text in any field, when encoded, then the body is printable ASCII that parses back equal", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(anyText, fc.array(anyText))), (value) => {
        // When
        const body = asciiJson(value);
        // Then
        expect(body).toMatch(/^[\x20-\x7e]*$/);
        expect(sqsAccepts(body)).toBe(true);
        expect(JSON.parse(body)).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it("writes an emoji as its surrogate pair and keeps a JSON text the same value", () => {
    expect(asciiJson({ name: "Lan 🌸" })).toBe('{"name":"Lan \\ud83c\\udf38"}');
    const text = '{"name":"Nguyễn Văn An"}';
    expect(JSON.parse(escapeNonAscii(text))).toEqual(JSON.parse(text));
  });
});

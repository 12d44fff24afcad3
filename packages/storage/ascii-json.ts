/**
 * Queue bodies as pure ASCII. SQS accepts only some of the characters a JSON string may hold (#x9, #xA,
 * #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF), and emulators refuse more (fauxqs refuses
 * emoji). Writing every character outside ASCII as a JSON `\uXXXX` escape (an emoji as its surrogate
 * pair) makes any string JSON can carry travel through the queue and parse back equal.
 */

const NON_ASCII = /[\u007f-\uffff]/g;

const asEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * Text with every UTF-16 code unit outside printable ASCII written as `\uXXXX`. For a JSON text this is
 * the same JSON value (outside strings such characters are not JSON anyway). Control characters below
 * U+0020 are left alone: JSON.stringify already escapes them, and SQS allows tab, CR and LF.
 */
export const escapeNonAscii = (text: string): string => text.replace(NON_ASCII, asEscape);

/** `JSON.stringify` whose output is pure ASCII: the one encoding of everything put on a queue. */
export const asciiJson = (value: unknown): string => escapeNonAscii(JSON.stringify(value));

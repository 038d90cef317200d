// Text made safe for XML and HTML: the report's pages and SVG pictures, and the
// live page's lifecycle picture, all escape through here.
import { stripVTControlCharacters } from 'node:util';

/** What XML 1.0 forbids even escaped: C0 controls but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text safe inside XML and HTML, attribute values included. A tool's coloured
 * output (ANSI escapes) loses its escape sequences whole, not just the ESC
 * that would make the XML invalid, so no "[31m" is left in the text.
 */
export const escapeMarkup = (text: string): string =>
  stripVTControlCharacters(text)
    .replace(XML_ILLEGAL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

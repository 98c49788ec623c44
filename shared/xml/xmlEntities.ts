// XML character references and the five predefined entities (XML 1.0 §4.6).
// The parser runs with processEntities:false (architecture.md trap 6), so the
// tree keeps text as written and decoding happens here, on demand.

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes `&lt;` … and `&#NN;`/`&#xNN;`; an unknown entity is left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return codePoint(parseInt(ref.slice(2), 16), whole);
    if (ref.startsWith('#')) return codePoint(parseInt(ref.slice(1), 10), whole);
    return PREDEFINED[ref] ?? whole;
  });
}

function codePoint(n: number, fallback: string): string {
  return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

/** Escapes an attribute value for the given quote (libvirt's virBufferEscapeString escapes < > & ' "). */
export function escapeAttribute(value: string, quote: "'" | '"'): string {
  let out = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  out = quote === "'" ? out.replace(/'/g, '&apos;') : out.replace(/"/g, '&quot;');
  return out;
}

/** Escapes element text content. */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The text content of a raw run: comments and processing instructions dropped,
 * CDATA sections taken literally, everything else entity-decoded.
 */
export function rawRunText(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const lt = raw.indexOf('<', i);
    if (lt === -1) {
      out += decodeEntities(raw.slice(i));
      break;
    }
    out += decodeEntities(raw.slice(i, lt));
    if (raw.startsWith('<!--', lt)) {
      const end = raw.indexOf('-->', lt + 4);
      i = end === -1 ? raw.length : end + 3;
    } else if (raw.startsWith('<![CDATA[', lt)) {
      const end = raw.indexOf(']]>', lt + 9);
      out += raw.slice(lt + 9, end === -1 ? raw.length : end);
      i = end === -1 ? raw.length : end + 3;
    } else if (raw.startsWith('<?', lt)) {
      const end = raw.indexOf('?>', lt + 2);
      i = end === -1 ? raw.length : end + 2;
    } else {
      out += '<';
      i = lt + 1;
    }
  }
  return out;
}

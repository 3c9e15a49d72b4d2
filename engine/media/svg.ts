// Makes a creator's SVG safe to rasterise: strict XML read, no scripts, no handlers, nothing fetched from outside.
import { AtelierError } from '../errors';

/**
 * Largest SVG read. Drawing-app exports with embedded PNG/JPEG (base64) reach a few MB; 16 MiB leaves room for
 * that while keeping a hostile file's parse and render short.
 */
export const MAX_SVG_BYTES = 16 * 1024 * 1024;

/** Elements in one SVG. Dense Illustrator/Inkscape art stays below ~50,000; more is a render-time bomb. */
export const MAX_SVG_ELEMENTS = 200_000;

/** Nesting depth. Real drawings nest groups a few dozen deep; the cap bounds the sanitiser's stack. */
export const MAX_SVG_DEPTH = 512;

/**
 * Elements removed with everything inside them: they run code, embed another document (HTML, plug-ins, media)
 * or listen for events (SVG Tiny 1.2 handler/listener).
 */
const REMOVED_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'handler', 'listener', 'audio', 'video', 'canvas']);

/** SMIL animation elements: one that animates a link could point it outside after the check. */
const ANIMATION_ELEMENTS = new Set(['set', 'animate', 'animatemotion', 'animatetransform', 'animatecolor']);

/** Raster images that may stay embedded as data: URIs (brief: PNG, JPEG, GIF, WebP — never a nested SVG). */
const SAFE_DATA_URI = /^data:image\/(png|jpeg|gif|webp)[;,]/i;

const XML_PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

function refuse(name: string, code: 'UNSUPPORTED_FILE' | 'CORRUPT_FILE' | 'TOO_LARGE', message: string, reason: string): AtelierError {
  return new AtelierError(code, message, { file: name, detected: 'svg', reason });
}

function broken(name: string, line: number, what: string): AtelierError {
  return refuse(
    name,
    'CORRUPT_FILE',
    `“${name}” is an SVG drawing but its XML is broken (line ${line}: ${what}). Open it in your drawing app, save or export it again as SVG, and import the new copy.`,
    what,
  );
}

/** Decodes the bytes with the encoding the file declares (BOM, then the XML declaration); UTF-8 by default. */
function decodeSvgText(bytes: Uint8Array, name: string): string {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [label, start] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [label, start] = ['utf-16be', 2];
  else {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
    if (declared) label = declared.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw refuse(
      name,
      'UNSUPPORTED_FILE',
      `“${name}” is an SVG drawing in a text encoding Atelier does not read (${label}). Save it again as UTF-8 SVG and import that.`,
      `encoding ${label}`,
    );
  }
  try {
    return decoder.decode(bytes.subarray(start));
  } catch {
    throw refuse(
      name,
      'CORRUPT_FILE',
      `“${name}” is an SVG drawing but contains bytes that are not valid ${label} text. Save it again as UTF-8 SVG and import the new copy.`,
      `invalid ${label}`,
    );
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function localName(qualified: string): string {
  const colon = qualified.lastIndexOf(':');
  return (colon >= 0 ? qualified.slice(colon + 1) : qualified).toLowerCase();
}

/** A link target is safe when it stays inside the document or is an embedded raster image. */
function isSafeReference(raw: string): boolean {
  // Browsers and librsvg ignore ASCII whitespace and control characters inside URLs ("java\tscript:"), so do we.
  const target = raw.replace(/[\u0000-\u0020\u007f]/g, '');
  return target.startsWith('#') || SAFE_DATA_URI.test(target);
}

/**
 * Keeps CSS (a <style> sheet or a style/presentation attribute) free of outside references: @import rules go,
 * url()/src() that point anywhere but `#fragment` or a raster data URI become `none`. CSS with backslash
 * escapes or image()/image-set() is dropped whole: escapes can spell "url" in ways a simple scan would miss.
 */
export function sanitizeCss(css: string): string {
  if (css.includes('\\') || /(?:^|[^\w-])(?:-webkit-)?image(?:-set)?\s*\(/i.test(css)) return '';
  let out = css.replace(/@import[^;]*(?:;|$)/gi, '');
  const fn = /(?:^|(?<=[^\w-]))(url|src)\(\s*/gi;
  let result = '';
  let from = 0;
  for (let m = fn.exec(out); m; m = fn.exec(out)) {
    let at = m.index + m[0].length;
    let target: string;
    const quote = out[at];
    if (quote === '"' || quote === "'") {
      const close = out.indexOf(quote, at + 1);
      if (close < 0) return result + out.slice(from, m.index);
      target = out.slice(at + 1, close);
      at = close + 1;
    } else {
      const close = out.indexOf(')', at);
      if (close < 0) return result + out.slice(from, m.index);
      target = out.slice(at, close);
      at = close;
    }
    const end = out.indexOf(')', at);
    if (end < 0) return result + out.slice(from, m.index);
    result += out.slice(from, m.index) + (isSafeReference(target.trim()) ? out.slice(m.index, end + 1) : 'none');
    from = end + 1;
    fn.lastIndex = from;
  }
  out = result + out.slice(from);
  return out;
}

/** Checks one attribute of a kept element; returns the value to keep, or null to drop it. */
function sanitizeAttribute(qualified: string, value: string): string | null {
  const local = localName(qualified);
  if (local.startsWith('on')) return null;
  if (qualified === 'xml:base') return null;
  if (qualified === 'xmlns' || qualified.startsWith('xmlns:')) return value;
  if (local === 'href' || local === 'src') return isSafeReference(value) ? value : null;
  // Presentation attributes are parsed as CSS too, so an escaped "url" could hide in any of them.
  if (value.includes('\\') && !qualified.startsWith('data-') && !qualified.startsWith('aria-')) return null;
  if (local === 'style' || /(?:url|src)\s*\(|image(?:-set)?\s*\(/i.test(value)) {
    const clean = sanitizeCss(value);
    return clean.trim() === '' ? null : clean;
  }
  return value;
}

interface Cursor {
  text: string;
  at: number;
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const NAME = /[A-Za-z_:\u00c0-\uffff][-A-Za-z0-9_.:\u00b7\u00c0-\uffff]*/y;

function readName(c: Cursor): string | null {
  NAME.lastIndex = c.at;
  const m = NAME.exec(c.text);
  if (!m) return null;
  c.at += m[0].length;
  return m[0];
}

function skipSpace(c: Cursor): void {
  while (c.at < c.text.length && /[ \t\r\n]/.test(c.text[c.at] ?? '')) c.at++;
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Resolves character and predefined entity references; anything else (a DTD-defined entity) is not well-formed here. */
function decodeEntities(raw: string, fail: (what: string) => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s<]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) fail(`an “&” that starts no character reference`);
    if (ref.startsWith('#x') || ref.startsWith('#X')) {
      const code = /^[0-9a-fA-F]{1,6}$/.test(ref.slice(2)) ? parseInt(ref.slice(2), 16) : NaN;
      if (!isXmlChar(code)) fail(`the character reference “${whole}” is not a valid character`);
      return String.fromCodePoint(code);
    }
    if (ref.startsWith('#')) {
      const code = /^[0-9]{1,7}$/.test(ref.slice(1)) ? parseInt(ref.slice(1), 10) : NaN;
      if (!isXmlChar(code)) fail(`the character reference “${whole}” is not a valid character`);
      return String.fromCodePoint(code);
    }
    const known = XML_PREDEFINED[ref];
    if (known === undefined) fail(`the entity “${whole}” is not defined (Atelier reads no DOCTYPE)`);
    return known;
  });
}

interface OpenElement {
  name: string;
  /** This element (or an ancestor) was removed: nothing inside it is written. */
  removed: boolean;
  /** A kept <style>: its text is gathered and cleaned as one sheet when it closes. */
  style: string[] | null;
}

/**
 * Returns the SVG re-serialised as UTF-8 with every active or outside-reaching part removed: <script>,
 * <foreignObject> and other embedding elements, on* event attributes, href/xlink:href/src and CSS url()
 * pointing anywhere but a `#fragment` or a data:image/(png|jpeg|gif|webp) URI, @import, xml:base, processing
 * instructions and comments. Refuses (AtelierError naming `name`) a file that is not well-formed XML
 * (CORRUPT_FILE), has a DOCTYPE or entity declarations — XXE and "billion laughs" live there —, has a root
 * other than <svg> (UNSUPPORTED_FILE), or is too large (TOO_LARGE).
 */
export function sanitizeSvg(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length > MAX_SVG_BYTES) {
    throw refuse(
      name,
      'TOO_LARGE',
      `“${name}” is an SVG drawing of ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Atelier reads SVG files up to ${MAX_SVG_BYTES / 1024 / 1024} MB. Simplify it or export it as PNG and import that.`,
      'bytes',
    );
  }
  const text = decodeSvgText(bytes, name);
  const c: Cursor = { text, at: 0 };
  const fail: (what: string) => never = (what) => {
    throw broken(name, lineOf(text, c.at), what);
  };
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const stack: OpenElement[] = [];
  let rootSeen = false;
  let rootClosed = false;
  let elements = 0;

  const emitText = (decoded: string): void => {
    const top = stack.at(-1);
    if (!top) {
      if (decoded.trim() !== '') fail('text outside the <svg> element');
      return;
    }
    if (top.removed) return;
    if (top.style) top.style.push(decoded);
    else out.push(escapeText(decoded));
  };

  while (c.at < text.length) {
    const lt = text.indexOf('<', c.at);
    if (lt !== c.at) {
      const end = lt < 0 ? text.length : lt;
      const raw = text.slice(c.at, end);
      if (raw.includes(']]>')) fail('“]]>” in text');
      emitText(decodeEntities(raw, fail));
      c.at = end;
      continue;
    }
    if (text.startsWith('<!--', c.at)) {
      const end = text.indexOf('-->', c.at + 4);
      if (end < 0) fail('a comment that never ends');
      c.at = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', c.at)) {
      const end = text.indexOf(']]>', c.at + 9);
      if (end < 0) fail('a CDATA section that never ends');
      if (stack.length === 0) fail('a CDATA section outside the <svg> element');
      emitText(text.slice(c.at + 9, end));
      c.at = end + 3;
      continue;
    }
    if (/^<!(DOCTYPE|ENTITY)/i.test(text.slice(c.at, c.at + 10))) {
      throw refuse(
        name,
        'UNSUPPORTED_FILE',
        `“${name}” is an SVG drawing with a DOCTYPE or entity declarations, which Atelier does not read because they can make a file load other files or expand without end. Export it again as plain SVG (e.g. “Plain SVG” or “Optimized SVG”) and import that.`,
        'doctype',
      );
    }
    if (text.startsWith('<!', c.at)) fail('an unknown “<!” declaration');
    if (text.startsWith('<?', c.at)) {
      const end = text.indexOf('?>', c.at + 2);
      if (end < 0) fail('a processing instruction that never ends');
      const target = /^<\?([^\s?]+)/.exec(text.slice(c.at, c.at + 64))?.[1] ?? '';
      if (target.toLowerCase() === 'xml' && c.at !== 0) fail('an XML declaration that is not at the very start');
      // Dropped: <?xml-stylesheet?> would load an outside sheet, and the declaration is written afresh.
      c.at = end + 2;
      continue;
    }
    if (text.startsWith('</', c.at)) {
      c.at += 2;
      const tag = readName(c) ?? fail('a closing tag without a name');
      skipSpace(c);
      if (text[c.at] !== '>') fail(`the closing tag </${tag}> is not closed with “>”`);
      c.at++;
      const open = stack.pop();
      if (!open) return fail(`</${tag}> closes nothing`);
      if (open.name !== tag) fail(`</${tag}> closes <${open.name}>`);
      if (!open.removed) {
        if (open.style) out.push(escapeText(sanitizeCss(open.style.join(''))));
        out.push(`</${tag}>`);
      }
      if (stack.length === 0) rootClosed = true;
      continue;
    }

    // A start tag.
    c.at++;
    const tag = readName(c) ?? fail('a “<” that starts no tag');
    if (rootClosed) fail(`<${tag}> after the <svg> element has ended`);
    if (++elements > MAX_SVG_ELEMENTS) {
      throw refuse(
        name,
        'TOO_LARGE',
        `“${name}” is an SVG drawing with more than ${MAX_SVG_ELEMENTS.toLocaleString('en')} elements, more than Atelier renders. Simplify it or export it as PNG and import that.`,
        'elements',
      );
    }
    const attributes: Array<[string, string]> = [];
    const seen = new Set<string>();
    let selfClosing = false;
    for (;;) {
      const before = c.at;
      skipSpace(c);
      if (text.startsWith('/>', c.at)) {
        selfClosing = true;
        c.at += 2;
        break;
      }
      if (text[c.at] === '>') {
        c.at++;
        break;
      }
      if (c.at === before) fail(`attributes of <${tag}> must be separated by spaces`);
      const attr = readName(c) ?? fail(`a malformed attribute in <${tag}>`);
      if (seen.has(attr)) fail(`<${tag}> has the attribute “${attr}” twice`);
      seen.add(attr);
      skipSpace(c);
      if (text[c.at] !== '=') fail(`the attribute “${attr}” of <${tag}> has no value`);
      c.at++;
      skipSpace(c);
      const quote = text[c.at];
      if (quote !== '"' && quote !== "'") fail(`the value of “${attr}” in <${tag}> is not in quotes`);
      const end = text.indexOf(quote, c.at + 1);
      if (end < 0) fail(`the value of “${attr}” in <${tag}> never ends`);
      const raw = text.slice(c.at + 1, end);
      if (raw.includes('<')) fail(`the value of “${attr}” in <${tag}> contains “<”`);
      // XML attribute-value normalisation: literal tabs and newlines read as spaces.
      attributes.push([attr, decodeEntities(raw.replace(/[\t\n\r]/g, ' '), fail)]);
      c.at = end + 1;
    }

    const parent = stack.at(-1);
    if (!parent) {
      if (rootSeen) fail('a second top-level element');
      rootSeen = true;
      if (localName(tag) !== 'svg') {
        throw refuse(
          name,
          'UNSUPPORTED_FILE',
          `“${name}” is not an SVG drawing (its top element is <${tag}>). Use JPEG, PNG, WebP, AVIF, TIFF, GIF or SVG.`,
          `root ${tag}`,
        );
      }
    }
    const local = localName(tag);
    const animatesLink =
      ANIMATION_ELEMENTS.has(local) &&
      attributes.some(([k, v]) => localName(k) === 'attributename' && /(^|:)(href|src)$|^on/i.test(v.trim()));
    const removed = (parent?.removed ?? false) || REMOVED_ELEMENTS.has(local) || animatesLink;
    if (!removed) {
      let serialised = `<${tag}`;
      for (const [key, value] of attributes) {
        const kept = sanitizeAttribute(key, value);
        if (kept !== null) serialised += ` ${key}="${escapeAttribute(kept)}"`;
      }
      // librsvg renders only elements in the SVG namespace; hand-written files often leave it out.
      if (!parent && !attributes.some(([k]) => k === 'xmlns')) serialised += ` xmlns="${SVG_NAMESPACE}"`;
      out.push(serialised + (selfClosing ? '/>' : '>'));
    }
    if (!selfClosing) {
      if (stack.length >= MAX_SVG_DEPTH) {
        throw refuse(
          name,
          'TOO_LARGE',
          `“${name}” is an SVG drawing nested more than ${MAX_SVG_DEPTH} levels deep, more than Atelier renders. Flatten its groups or export it as PNG and import that.`,
          'depth',
        );
      }
      stack.push({ name: tag, removed, style: !removed && local === 'style' ? [] : null });
    } else if (!parent) {
      rootClosed = true;
    }
  }
  if (!rootSeen) fail('no <svg> element');
  if (stack.length > 0) fail(`<${stack.at(-1)?.name ?? ''}> is never closed`);
  return new TextEncoder().encode(out.join(''));
}

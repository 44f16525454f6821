// Just enough DER (ASN.1) encoding to write one X.509 certificate. Hand-written because the certificate is a
// fixed template and loading a full X.509 library costs more start-up time than generating the certificate.

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, concat(...items));
export const set = (...items: Uint8Array[]) => tlv(0x31, concat(...items));
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);
export const octetString = (content: Uint8Array) => tlv(0x04, content);
export const bitString = (content: Uint8Array, unusedBits = 0) => tlv(0x03, concat(Uint8Array.of(unusedBits), content));
export const boolean = (v: boolean) => tlv(0x01, Uint8Array.of(v ? 0xff : 0));
export const utf8String = (s: string) => tlv(0x0c, new TextEncoder().encode(s));

/** A non-negative INTEGER from big-endian magnitude bytes. */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let n = arc;
    do {
      chunk.unshift((n & 0x7f) | (chunk.length ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** UTCTime (years 1950–2049), as X.509 requires for those years. */
export function utcTime(date: Date): Uint8Array {
  const p = (n: number) => String(n).padStart(2, "0");
  const s =
    p(date.getUTCFullYear() % 100) +
    p(date.getUTCMonth() + 1) +
    p(date.getUTCDate()) +
    p(date.getUTCHours()) +
    p(date.getUTCMinutes()) +
    p(date.getUTCSeconds()) +
    "Z";
  return tlv(0x17, new TextEncoder().encode(s));
}

import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, LookupFunction } from 'node:net';

/** IPv4 networks an outgoing request must never reach unless the instance allows it (SSRF). */
const blockedV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blockedV4.addSubnet(network, prefix, 'ipv4');
}

/** IPv6 networks refused outright (those that embed an IPv4 address are checked by that address instead). */
const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments, Teredo (its IPv4 is obfuscated) included
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}

export type ParsedAddress = { family: 4; bytes: number[] } | { family: 6; bytes: number[] };

/**
 * Parses an IPv4 address in every form inet_aton accepts: one to four parts, each decimal, octal (leading 0)
 * or hex (0x), the last part filling the remaining bytes (`2130706433`, `0x7f.1`, `0177.0.0.1`).
 */
function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return null;
    if (!Number.isSafeInteger(value)) return null;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  const bytes = [...values];
  for (let i = 3 - values.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

/** Parses any textual IPv6 address (compressed, with an embedded dotted IPv4, with a zone id) into 16 bytes. */
function parseIPv6(text: string): number[] | null {
  const address = text.replace(/%.*$/, '');
  if (isIP(address) !== 6) return null;
  let head = address;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const v4 = parseIPv4(dotted[2]);
    if (!v4) return null;
    head = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (side: string | undefined) => (side ? side.split(':').map((g) => parseInt(g, 16)) : []);
  const words =
    right === undefined
      ? [...groups(left), ...tail]
      : [
          ...groups(left),
          ...new Array<number>(8 - groups(left).length - groups(right).length - tail.length).fill(0),
          ...groups(right),
          ...tail,
        ];
  if (words.length !== 8 || words.some((w) => !(w >= 0 && w <= 0xffff))) return null;
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Parses an address in any notation (brackets and zone ids allowed); null when it is not an IP address. */
export function parseAddress(raw: string): ParsedAddress | null {
  const text = raw.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = text.includes(':') ? null : parseIPv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(text);
  return v6 ? { family: 6, bytes: v6 } : null;
}

/** The IPv4 address an IPv6 one carries (mapped, translated, NAT64, 6to4), whose reach is what counts. */
function embeddedIPv4(b: number[]): number[] | null {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated)
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return b.slice(12);
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return b.slice(12);
  // 2002:aabb:ccdd::/48 (6to4)
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  return null;
}

const v6Text = (b: number[]) =>
  Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16)).join(':');

/**
 * Whether an address is loopback, private, link-local, reserved or otherwise not a public unicast host, in
 * whatever notation it is written. Anything that is not an IP address counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return true;
  if (parsed.family === 4) return blockedV4.check(parsed.bytes.join('.'), 'ipv4');
  const v4 = embeddedIPv4(parsed.bytes);
  if (v4) return blockedV4.check(v4.join('.'), 'ipv4');
  return blockedV6.check(v6Text(parsed.bytes), 'ipv6');
}

export class UnsafeUrlError extends Error {
  constructor(
    readonly reason: 'scheme' | 'private-address' | 'unresolvable' | 'credentials',
    message: string,
  ) {
    super(message);
  }
}

async function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(new UnsafeUrlError('unresolvable', `Cannot resolve ${hostname}`)) : resolve(addresses),
    ),
  );
}

/** Refuses URLs that are not http(s), carry credentials, or resolve to a loopback/private/link-local address. */
export async function assertPublicUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsafeUrlError('scheme', 'Only http and https URLs are allowed');
  }
  if (url.username || url.password) throw new UnsafeUrlError('credentials', 'URLs with credentials are not allowed');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = parseAddress(host) ? [{ address: host }] : await resolveAll(host);
    if (addresses.some(({ address }) => isPrivateAddress(address))) {
      throw new UnsafeUrlError('private-address', `${url.hostname} resolves to a private or local address`);
    }
  }
  return url;
}

/**
 * A `lookup` for http.request that fails when the name resolves to a private address, so DNS rebinding
 * between the URL check and the connection cannot reach an internal host. Node asks for every address
 * (`all: true`, to try each family in turn), so each answer is checked, not only a single one.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const denied = addresses.find(({ address }) => isPrivateAddress(address));
    if (denied) {
      return callback(new UnsafeUrlError('private-address', `${hostname} resolved to ${denied.address}`), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });

export interface SafePostResult {
  status: number;
  body: string;
  durationMs: number;
}

/**
 * POSTs to a URL with the same address check at connection time (so DNS rebinding between the check and
 * the request cannot reach an internal host), a timeout, no redirects, and the response body capped.
 */
export async function safePost(
  raw: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs: number; maxResponseBytes?: number },
): Promise<SafePostResult> {
  const url = await assertPublicUrl(raw, options.allowPrivate);
  const started = Date.now();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        timeout: options.timeoutMs,
        lookup: options.allowPrivate ? undefined : publicOnlyLookup,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const limit = options.maxResponseBytes ?? 64 * 1024;
        res.on('data', (chunk: Buffer) => {
          if (size < limit) chunks.push(chunk.subarray(0, limit - size));
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            durationMs: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET's body was larger than the caller's cap: the download was cut. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The answer is larger than ${limit} bytes`);
  }
}

/**
 * GETs a file (an AI feature's remote input) under safePost's rules: address checked at connection time, a
 * timeout, no redirects; the body is cut (ResponseTooLargeError) past `maxBytes`.
 */
export async function safeGet(
  raw: string,
  options: { allowPrivate: boolean; timeoutMs: number; maxBytes: number },
): Promise<{ status: number; body: Buffer; contentType: string | null }> {
  const url = await assertPublicUrl(raw, options.allowPrivate);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'GET', timeout: options.timeoutMs, lookup: options.allowPrivate ? undefined : publicOnlyLookup },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) return req.destroy(new ResponseTooLargeError(options.maxBytes));
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            contentType: res.headers['content-type'] ?? null,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

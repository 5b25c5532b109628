import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Addresses an outgoing request must never reach unless the instance allows it (SSRF). */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
    const addresses = isIP(host) ? [{ address: host }] : await resolveAll(host);
    if (addresses.some(({ address }) => isPrivateAddress(address))) {
      throw new UnsafeUrlError('private-address', `${url.hostname} resolves to a private or local address`);
    }
  }
  return url;
}

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
        lookup: (hostname, lookupOptions, callback) =>
          dnsLookup(hostname, lookupOptions, (error, address, family) => {
            if (!error && !options.allowPrivate && typeof address === 'string' && isPrivateAddress(address)) {
              return callback(new UnsafeUrlError('private-address', `${hostname} resolved to ${address}`), '', 0);
            }
            callback(error, address, family);
          }),
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

import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { assertPublicUrl, isPrivateAddress, parseAddress, publicOnlyLookup, safePost } from './safe-http';

describe('SSRF guard: every notation of an address', () => {
  it.each([
    // IPv4 in the forms inet_aton and URL parsers accept
    ['127.0.0.1', 'loopback'],
    ['2130706433', 'loopback as one decimal number'],
    ['0x7f000001', 'loopback as one hex number'],
    ['0x7f.1', 'loopback as hex and a 24-bit part'],
    ['127.1', 'loopback shortened'],
    ['0177.0.0.1', 'loopback with an octal part'],
    ['017700000001', 'loopback as one octal number'],
    ['0', 'zero'],
    ['10.0.0.1', 'private'],
    ['0xa.0.0.1', 'private, hex part'],
    ['172.16.5.4', 'private'],
    ['192.168.0.1', 'private'],
    ['3232235521', 'private as one decimal number'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'shared address space'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    // IPv6, and IPv6 that carries an IPv4 address
    ['::1', 'loopback'],
    ['[::1]', 'loopback in brackets'],
    ['0:0:0:0:0:0:0:1', 'loopback uncompressed'],
    ['::', 'unspecified'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['[::127.0.0.1]', 'IPv4-compatible loopback in brackets'],
    ['::7f00:1', 'IPv4-compatible loopback in hex'],
    ['::8.8.8.8', 'IPv4-compatible (deprecated, never routed)'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::FFFF:7F00:0001', 'IPv4-mapped loopback in upper case'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'IPv4-mapped loopback uncompressed'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata address'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated loopback'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback in hex'],
    ['64:ff9b::a00:1', 'NAT64 of a private address'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::1', '6to4 of a private address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone id'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    // not an address at all
    ['localhost', 'a name'],
    ['', 'empty'],
    ['1.2.3.4.5', 'five parts'],
    ['256.0.0.1', 'a part over 255'],
  ])('%s (%s) is private', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each([
    ['93.184.216.34', 'public IPv4'],
    ['8.8.8.8', 'public IPv4'],
    ['134744072', '8.8.8.8 as one decimal number'],
    ['0x8.0x8.0x8.0x8', '8.8.8.8 in hex parts'],
    ['2606:4700::1111', 'public IPv6'],
    ['[2606:4700::1111]', 'public IPv6 in brackets'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public address'],
    ['64:ff9b::808:808', 'NAT64 of a public address'],
    ['2002:808:808::1', '6to4 of a public address'],
  ])('%s (%s) is public', (address) => expect(isPrivateAddress(address)).toBe(false));

  it('parses the notations to the same bytes', () => {
    const loopback = { family: 4, bytes: [127, 0, 0, 1] };
    for (const form of ['127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', '127.0.1', '0x7F.0.0.01']) {
      expect([form, parseAddress(form)]).toEqual([form, loopback]);
    }
    const mapped = parseAddress('::ffff:127.0.0.1');
    expect(parseAddress('::ffff:7f00:1')).toEqual(mapped);
    expect(parseAddress('0:0:0:0:0:ffff:7f00:0001')).toEqual(mapped);
    expect(parseAddress('example.com')).toBeNull();
  });

  it.each([
    'http://[::127.0.0.1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://[64:ff9b::127.0.0.1]/hook',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'http://0177.0.0.1/hook',
    'http://127.1:8080/hook',
  ])('refuses the URL %s', async (url) => {
    await expect(assertPublicUrl(url, false)).rejects.toMatchObject({ reason: 'private-address' });
  });
});

describe('SSRF guard at connection time', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a name that resolves to loopback, whether Node asks for one address or all', async () => {
    const one = await new Promise<unknown>((resolve) =>
      publicOnlyLookup('localhost', { all: false }, (error) => resolve(error)),
    );
    expect(one).toMatchObject({ reason: 'private-address' });
    const all = await new Promise<unknown>((resolve) =>
      publicOnlyLookup('localhost', { all: true }, (error) => resolve(error)),
    );
    expect(all).toMatchObject({ reason: 'private-address' });
  });

  it('lets a loopback URL through only when private addresses are allowed', async () => {
    const url = `http://localhost:${port}/hook`;
    await expect(safePost(url, '{}', {}, { allowPrivate: false, timeoutMs: 2000 })).rejects.toMatchObject({
      reason: 'private-address',
    });
    expect(hits).toBe(0);
    await expect(safePost(url, '{}', {}, { allowPrivate: true, timeoutMs: 2000 })).resolves.toMatchObject({
      status: 200,
      body: 'reached',
    });
    expect(hits).toBe(1);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllowListError, allowsAddress, allowsHostName, parseAllowList } from '../../../server/replay/allow-list.ts';
import { inRange, isPublicAddress, parseIp, parseRange } from '../../../server/replay/ip-range.ts';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));

describe('IP ranges', () => {
  it('puts an IPv4 address in a CIDR range exactly when its leading bits match', () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (address, network, prefix) => {
        const bits = (text: string) => text.split('.').map((n) => Number(n).toString(2).padStart(8, '0')).join('');
        const expected = bits(address).slice(0, prefix) === bits(network).slice(0, prefix);
        expect(inRange(parseIp(address)!, parseRange(`${network}/${prefix}`)!)).toBe(expected);
      }),
    );
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address, in every spelling', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        for (const mapped of [`::ffff:${address}`, `[::ffff:${hex}]`, `0:0:0:0:0:FFFF:${hex}`]) {
          expect(parseIp(mapped)).toEqual(parseIp(address));
        }
      }),
    );
  });

  it.each(specialPurpose)('judges %s public: %s', (address, expected) => {
    expect(isPublicAddress(parseIp(address)!)).toBe(expected);
    expect(allowsAddress(parseAllowList('*'), address, 443)).toBe(expected);
  });

  it('knows loopback, private, link-local and documentation addresses are not public', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12::1', '::ffff:192.168.0.1', '2001:db8::1', '224.0.0.1']) {
      expect({ address, public: isPublicAddress(parseIp(address)!) }).toEqual({ address, public: false });
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111']) {
      expect({ address, public: isPublicAddress(parseIp(address)!) }).toEqual({ address, public: true });
    }
  });
});

/** [address, public?]: IANA's IPv4 and IPv6 special-purpose registries, and IPv6 forms that carry an IPv4 address. */
const specialPurpose: [string, boolean][] = [
  ['0.1.2.3', false], // this network, 0/8
  ['100.64.0.1', false], ['100.127.255.254', false], ['100.128.0.1', true], // shared address space, 100.64/10
  ['192.0.0.9', false], // IETF protocol assignments, 192.0.0/24
  ['192.0.2.1', false], ['198.51.100.7', false], ['203.0.113.7', false], // documentation
  ['192.88.99.1', false], ['192.88.98.1', true], // 6to4 relay anycast, 192.88.99/24
  ['198.18.0.1', false], ['198.19.255.255', false], ['198.20.0.1', true], // benchmarking, 198.18/15
  ['240.0.0.1', false], ['255.255.255.255', false], // reserved, broadcast
  // IPv4-compatible IPv6 (::/96): judged by the IPv4 address it carries.
  ['::127.0.0.1', false], ['::7f00:1', false], ['::10.0.0.1', false], ['::169.254.169.254', false], ['::8.8.8.8', true],
  // IPv4-mapped (::ffff:0:0/96) and IPv4-translated (::ffff:0:0:0/96).
  ['::ffff:127.0.0.1', false], ['::ffff:a9fe:a9fe', false], ['::ffff:8.8.8.8', true], ['::ffff:0:127.0.0.1', false], ['::ffff:0:8.8.8.8', true],
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16): judged by the IPv4 address they carry.
  ['64:ff9b::127.0.0.1', false], ['64:ff9b::a00:1', false], ['64:ff9b::8.8.8.8', true], ['64:ff9b:1::8.8.8.8', false],
  ['2002:7f00:1::', false], ['2002:c0a8:101::1', false], ['2002:c058:6301::', false], ['2002:808:808::1', true],
  ['100::1', false], // discard-only, 100::/64
  ['2001::1', false], ['2001:1ff:ffff::1', false], ['2001:200::1', true], // IETF protocol assignments (Teredo…), 2001::/23
  ['2001:db8::1', false], ['3fff::1', false], // documentation
  ['fc00::1', false], ['fd00::2', false], ['fe80::1', false], ['fec0::1', false], ['ff02::1', false], ['5f00::1', false],
  ['2606:4700:4700::1111', true], ['2a00:1450::1', true],
];

describe('AUTHBIN_REPLAY_ALLOW', () => {
  it('allows loopback only by default', () => {
    const list = parseAllowList(null);
    expect(allowsAddress(list, '127.0.0.1', 80)).toBe(true);
    expect(allowsAddress(list, '127.8.9.10', 3000)).toBe(true);
    expect(allowsAddress(list, '::1', 443)).toBe(true);
    expect(allowsAddress(list, '::ffff:127.0.0.1', 443)).toBe(true);
    expect(allowsHostName(list, 'localhost', 3000)).toBe(true);
    expect(allowsAddress(list, '10.0.0.1', 80)).toBe(false);
    expect(allowsAddress(list, '8.8.8.8', 80)).toBe(false);
    expect(allowsHostName(list, 'example.com', 80)).toBe(false);
  });

  it('reads hosts, host:port, subdomain wildcards, addresses, [v6]:port and CIDR ranges', () => {
    const list = parseAllowList(' api.example.com , hooks.example.net:8443, *.corp.example, 10.0.0.0/8, [fd00::1]:9000, 192.168.1.5:80 ');
    expect(allowsHostName(list, 'API.example.com.', 443)).toBe(true);
    expect(allowsHostName(list, 'hooks.example.net', 8443)).toBe(true);
    expect(allowsHostName(list, 'hooks.example.net', 443)).toBe(false);
    expect(allowsHostName(list, 'ci.corp.example', 80)).toBe(true);
    expect(allowsHostName(list, 'corp.example', 80)).toBe(false);
    expect(allowsAddress(list, '10.200.0.1', 22)).toBe(true);
    expect(allowsAddress(list, 'fd00::1', 9000)).toBe(true);
    expect(allowsAddress(list, 'fd00::1', 9001)).toBe(false);
    expect(allowsAddress(list, '192.168.1.5', 80)).toBe(true);
    expect(allowsAddress(list, '192.168.1.5', 81)).toBe(false);
    expect(allowsAddress(list, '127.0.0.1', 80)).toBe(false);
  });

  it('lets * reach public addresses only: private ones need their own entry', () => {
    const list = parseAllowList('*');
    expect(allowsAddress(list, '93.184.216.34', 443)).toBe(true);
    expect(allowsAddress(list, '10.0.0.1', 443)).toBe(false);
    expect(allowsAddress(list, '127.0.0.1', 443)).toBe(false);
    expect(allowsAddress(parseAllowList('*,10.0.0.0/8'), '10.0.0.1', 443)).toBe(true);
  });

  it('rejects bad entries with one clear line', () => {
    for (const bad of ['http://example.com', 'exa mple.com', '10.0.0.0/33', 'host:99999', '10.0.0.0/8:80', 'a_b.example']) {
      expect(() => parseAllowList(bad)).toThrow(AllowListError);
    }
    expect(() => parseAllowList('ok.example, bad/entry')).toThrow('AUTHBIN_REPLAY_ALLOW: "bad/entry" is not a host name, host:port, IP address, CIDR range or *');
  });
});

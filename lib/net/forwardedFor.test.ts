import { describe, expect, it } from 'vitest';
import { clientFromChain, parseForwardedEntry } from './forwardedFor';
import { type IpNetwork, parseIp, parseNetwork } from './ip';

const trusted = ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'].map((text) => parseNetwork(text) as IpNetwork);

function peer(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

describe('clientFromChain', () => {
  it('takes the address the nearest trusted proxy saw, not what the client wrote further left', () => {
    expect(clientFromChain(peer('127.0.0.1'), '203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientFromChain(peer('127.0.0.1'), '6.6.6.6, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientFromChain(peer('127.0.0.1'), '6.6.6.6,203.0.113.9 , 10.1.1.1', trusted)).toBe('203.0.113.9');
  });

  it('walks through every trusted hop, IPv6 ones too, and stops at the first untrusted', () => {
    expect(clientFromChain(peer('10.0.0.2'), '198.51.100.7, 10.0.0.9, fd00::5', trusted)).toBe('198.51.100.7');
    expect(clientFromChain(peer('::ffff:127.0.0.1'), '2001:db8::42', trusted)).toBe('2001:db8::42');
  });

  it('reads entries with ports', () => {
    expect(clientFromChain(peer('127.0.0.1'), '203.0.113.9:51234', trusted)).toBe('203.0.113.9');
    expect(clientFromChain(peer('127.0.0.1'), '[2001:db8::42]:443', trusted)).toBe('2001:db8::42');
    expect(parseForwardedEntry(' 10.0.0.1 ')).toEqual({ family: 4, bytes: [10, 0, 0, 1] });
  });

  it('is the left-most hop when every hop is trusted, the peer itself without a header', () => {
    expect(clientFromChain(peer('127.0.0.1'), '10.0.0.1, 10.0.0.2', trusted)).toBe('10.0.0.1');
    expect(clientFromChain(peer('127.0.0.1'), null, trusted)).toBe('127.0.0.1');
  });

  it('ignores the header entirely when the peer is not trusted', () => {
    expect(clientFromChain(peer('198.51.100.1'), '10.0.0.1', trusted)).toBe('198.51.100.1');
  });

  it('calls the client unknown when the hop that decides is not an address', () => {
    expect(clientFromChain(peer('127.0.0.1'), 'evil, 10.0.0.1', trusted)).toBe('unknown');
    expect(clientFromChain(peer('127.0.0.1'), 'unknown', trusted)).toBe('unknown');
    expect(clientFromChain(peer('127.0.0.1'), 'evil, 203.0.113.9', trusted)).toBe('203.0.113.9');
  });
});

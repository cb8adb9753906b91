import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HostRule, parseHostRule } from '@/lib/net/allowedHost';
import { type IpNetwork, parseNetwork } from '@/lib/net/ip';
import { sameOrigin } from '../auth/origin';
import { FRONT_NONCE_ENV, PEER_HEADER } from './peer';
import { type NetworkConfig, requestNetwork } from './requestNetwork';

const NONCE = 'n0nce-of-this-process';
const config: NetworkConfig & { allowedOrigins: string[] } = {
  trustedProxies: ['10.0.0.0/8'].map((text) => parseNetwork(text) as IpNetwork),
  allowedHosts: ['127.0.0.1', 'dash.example.com'].map((text) => parseHostRule(text) as HostRule),
  allowedOrigins: [],
};

function request(headers: Record<string, string>, peer?: string): Request {
  return new Request('http://127.0.0.1:3000/api/health', {
    headers: { host: '127.0.0.1:3000', ...headers, ...(peer ? { [PEER_HEADER]: peer } : {}) },
  });
}

const forged = {
  'x-forwarded-for': '6.6.6.6',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
};

describe('requestNetwork', () => {
  beforeEach(() => {
    process.env[FRONT_NONCE_ENV] = NONCE;
  });
  afterEach(() => {
    delete process.env[FRONT_NONCE_ENV];
  });

  it('an untrusted peer is the client, and its X-Forwarded-* say nothing', () => {
    expect(requestNetwork(request(forged, `${NONCE} 192.0.2.5 http`), config)).toEqual({
      client: '192.0.2.5',
      host: '127.0.0.1:3000',
      scheme: 'http',
      viaTrustedProxy: false,
    });
  });

  it('a trusted proxy names the client, the host and the scheme', () => {
    const headers = { ...forged, 'x-forwarded-for': '6.6.6.6, 203.0.113.9', 'x-forwarded-host': 'dash.example.com' };
    expect(requestNetwork(request(headers, `${NONCE} ::ffff:10.0.0.2 http`), config)).toEqual({
      client: '203.0.113.9',
      host: 'dash.example.com',
      scheme: 'https',
      viaTrustedProxy: true,
    });
  });

  it('believes no peer header without the front or with another nonce', () => {
    const network = requestNetwork(request(forged, `wrong-nonce 10.0.0.2 https`), config);
    expect(network).toEqual({ client: 'unknown', host: '127.0.0.1:3000', scheme: 'http', viaTrustedProxy: false });
    delete process.env[FRONT_NONCE_ENV];
    expect(requestNetwork(request(forged, `${NONCE} 10.0.0.2 https`), config).client).toBe('unknown');
  });

  it('takes the scheme from the socket when it is TLS', () => {
    expect(requestNetwork(request({}, `${NONCE} 192.0.2.5 https`), config).scheme).toBe('https');
  });
});

describe('sameOrigin', () => {
  beforeEach(() => {
    process.env[FRONT_NONCE_ENV] = NONCE;
  });
  afterEach(() => {
    delete process.env[FRONT_NONCE_ENV];
  });

  function allowed(headers: Record<string, string>, peer: string): boolean {
    const req = request(headers, peer);
    return sameOrigin(req, requestNetwork(req, config), config);
  }

  it('compares the Origin with the real scheme and the validated host', () => {
    expect(allowed({ origin: 'http://127.0.0.1:3000' }, `${NONCE} 192.0.2.5 http`)).toBe(true);
    expect(allowed({ origin: 'https://127.0.0.1:3000' }, `${NONCE} 192.0.2.5 http`)).toBe(false);
    expect(allowed({ origin: 'null' }, `${NONCE} 192.0.2.5 http`)).toBe(false);
    expect(allowed({}, `${NONCE} 192.0.2.5 http`)).toBe(false);
  });

  it('ignores X-Forwarded-Host and -Proto from an untrusted peer (they used to make any Origin "own")', () => {
    const headers = { ...forged, origin: 'https://evil.example' };
    expect(allowed(headers, `${NONCE} 192.0.2.5 http`)).toBe(false);
    expect(
      allowed(
        { ...headers, 'x-forwarded-host': 'dash.example.com', origin: 'https://dash.example.com' },
        `${NONCE} 192.0.2.5 http`,
      ),
    ).toBe(false);
  });

  it('honours them from a trusted proxy, for an allowed host only', () => {
    const headers = { ...forged, 'x-forwarded-host': 'dash.example.com', origin: 'https://dash.example.com' };
    expect(allowed(headers, `${NONCE} 10.0.0.2 http`)).toBe(true);
    expect(allowed({ ...forged, origin: 'https://evil.example' }, `${NONCE} 10.0.0.2 http`)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { crc16, hashTag, keyHashSlot } from './crc16';

const decode = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describe('crc16 / keyHashSlot', () => {
  it('matches the cluster spec test vector', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });

  it('gives the slots redis gives', () => {
    expect(keyHashSlot('foo')).toBe(12182);
    expect(keyHashSlot('bar')).toBe(5061);
    expect(keyHashSlot('')).toBe(0);
  });

  it('hashes only the first non-empty hash tag', () => {
    const slot = keyHashSlot('user1000');
    expect(keyHashSlot('{user1000}.following')).toBe(slot);
    expect(keyHashSlot('{user1000}.followers')).toBe(slot);
    expect(decode(hashTag('foo{bar}{zap}'))).toBe('bar');
    expect(keyHashSlot('foo{bar}{zap}')).toBe(keyHashSlot('bar'));
  });

  it('hashes the whole key when the first tag is empty or unclosed', () => {
    expect(hashTag('foo{}{bar}')).toBeUndefined();
    expect(keyHashSlot('foo{}{bar}')).not.toBe(keyHashSlot('bar'));
    expect(hashTag('foo{bar')).toBeUndefined();
    expect(decode(hashTag('foo{{bar}}zap'))).toBe('{bar');
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    const bytes = new TextEncoder().encode('ключ');
    expect(keyHashSlot('ключ')).toBe(keyHashSlot(bytes));
    expect(keyHashSlot('ключ')).toBeLessThan(16384);
  });
});

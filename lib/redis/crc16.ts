import { SLOT_COUNT } from './slots';

// CRC16-XMODEM (poly 0x1021, init 0), the variant the cluster spec uses for key -> slot.
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0)) & 0xffff;
  return crc;
}

const encoder = new TextEncoder();

function toBytes(key: string | Uint8Array): Uint8Array {
  return typeof key === 'string' ? encoder.encode(key) : key;
}

/**
 * The part of the key that is hashed: the bytes between the first '{' and the first '}' after it, when that part is
 * not empty; otherwise undefined (the whole key is hashed).
 */
export function hashTag(key: string | Uint8Array): Uint8Array | undefined {
  const bytes = toBytes(key);
  const open = bytes.indexOf(0x7b);
  if (open === -1) return undefined;
  const close = bytes.indexOf(0x7d, open + 1);
  if (close === -1 || close === open + 1) return undefined;
  return bytes.subarray(open + 1, close);
}

export function keyHashSlot(key: string | Uint8Array): number {
  const bytes = toBytes(key);
  return crc16(hashTag(bytes) ?? bytes) % SLOT_COUNT;
}

import { describe, expect, it } from 'vitest';
import { formatHeat, HEAT_UNKNOWN_RGB, heatColours, heatPosition, heatRgb } from './heatScale';

describe('heat scale', () => {
  it('runs from the darkest stop to white, clamped', () => {
    expect(heatRgb(0)).toEqual([0x13, 0x26, 0x3d]);
    expect(heatRgb(1)).toEqual([0xf4, 0xfb, 0xff]);
    expect(heatRgb(7)).toEqual(heatRgb(1));
    expect(heatRgb(-1)).toEqual(heatRgb(0));
  });

  it('is logarithmic, so a slot at a tenth of the hottest is still well up the scale', () => {
    expect(heatPosition(1000, 1000)).toBe(1);
    expect(heatPosition(100, 1000)).toBeGreaterThan(0.6);
    expect(heatPosition(0, 1000)).toBe(0);
    expect(heatPosition(5, 0)).toBe(0);
  });

  it('colours each slot, grey where nothing was read', () => {
    const { rgb, max } = heatColours([null, 0, 10]);
    expect(max).toBe(10);
    expect([...rgb.slice(0, 3)]).toEqual(HEAT_UNKNOWN_RGB);
    expect([...rgb.slice(6, 9)]).toEqual(heatRgb(1));
  });

  it('says the unit', () => {
    expect(formatHeat('keys', 3001)).toBe('3,001 keys');
    expect(formatHeat('keys', 1)).toBe('1 key');
    expect(formatHeat('cpu', 420)).toBe('420 µs CPU/s');
    expect(formatHeat('cpu', 1500)).toBe('1.5 ms CPU/s');
    expect(formatHeat('network', 1536)).toBe('1.5 KiB/s');
  });
});

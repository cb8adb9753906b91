import { describe, expect, it } from 'vitest';
import { safeNextPath } from './kiosk';

describe('safeNextPath', () => {
  it('keeps same-site paths and refuses everything that could leave the site', () => {
    expect(safeNextPath('/clusters/demo')).toBe('/clusters/demo');
    for (const bad of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil',
      'javascript:alert(1)',
      '/a b',
      null,
      undefined,
    ]) {
      expect(safeNextPath(bad)).toBe('/wall');
    }
    expect(safeNextPath('https://evil.example', '/')).toBe('/');
  });
});

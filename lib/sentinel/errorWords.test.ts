import { describe, expect, it } from 'vitest';
import { timeoutWords } from './errorWords';

describe('a stopped sentinel is said one way (T#9)', () => {
  it('"Command timed out" and "no reply within N ms" read the same; other errors unchanged', () => {
    expect(timeoutWords('Command timed out', 1000)).toBe('no reply within 1000 ms');
    expect(timeoutWords('no reply within 999 ms', 1000)).toBe('no reply within 1000 ms');
    expect(timeoutWords('connect ECONNREFUSED 127.0.0.1:26379', 1000)).toBe('connect ECONNREFUSED 127.0.0.1:26379');
  });
});

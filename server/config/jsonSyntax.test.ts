import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, findJsonSyntaxError } from './jsonSyntax';

const SECRET = 'tok-5ecret-ABCDEFGHIJKLMNOPQRSTUV';

describe('findJsonSyntaxError', () => {
  it('finds nothing in valid JSON', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]}\n', '0', '"s"']) {
      expect(JSON.parse(text)).toBeDefined();
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it('names the line and column of the first error and its kind', () => {
    expect(findJsonSyntaxError('{ "clusters": [ }')).toEqual({
      line: 1,
      column: 17,
      reason: 'expected a value (an object, array, string, number, true, false or null)',
    });
    expect(findJsonSyntaxError('{\n  "a": 1,\n  "b": 2,\n}')).toEqual({
      line: 4,
      column: 1,
      reason: 'expected a property name in double quotes',
    });
    expect(findJsonSyntaxError('{"a": 1 "b": 2}')).toMatchObject({ column: 9, reason: expect.stringMatching(/','/) });
    expect(findJsonSyntaxError('[1, 2')).toMatchObject({ column: 6, reason: 'unexpected end of the file' });
    expect(findJsonSyntaxError('{"a": "open')).toMatchObject({ column: 7, reason: 'a string is not closed' });
    expect(findJsonSyntaxError('{"a": "x\ny"}')).toMatchObject({ line: 1, column: 9 });
    expect(findJsonSyntaxError('{"a": "\\q"}')).toMatchObject({ reason: 'bad escape in a string' });
    expect(findJsonSyntaxError('{"a": 01}')).toMatchObject({ column: 8 });
    expect(findJsonSyntaxError('{"a": tru}')).toMatchObject({ column: 7 });
    expect(findJsonSyntaxError('{} x')).toMatchObject({
      column: 4,
      reason: 'more text after the end of the JSON value',
    });
    expect(findJsonSyntaxError('\uFEFF{}')).toMatchObject({ line: 1, column: 1 });
  });

  it('agrees with JSON.parse on what is an error', () => {
    for (const text of ['{"a":1,}', '[1,]', '{"a" 1}', "{'a': 1}", '{"a": .5}', '{"a": 1.}', '{"a": NaN}', '']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonSyntaxError(text), text).toBeDefined();
    }
  });

  it('never quotes the text around the error, where Node does', () => {
    const texts = [
      `{"kioskToken": "${SECRET}" x}`,
      `{"kioskToken": ${SECRET}}`,
      `{"users": [], "kioskToken": "${SECRET}",, "clusters": []}`,
    ];
    for (const text of texts) {
      let nodeMessage = '';
      try {
        JSON.parse(text);
      } catch (err) {
        nodeMessage = (err as Error).message;
      }
      const ours = describeJsonSyntaxError(text);
      expect(ours).toMatch(/^line 1, column \d+: /);
      for (const piece of [SECRET, SECRET.slice(0, 8), SECRET.slice(-8), 'kioskToken'])
        expect(ours).not.toContain(piece);
      if (text === texts[1]) expect(nodeMessage).toContain(SECRET.slice(0, 8));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseClusterLinks } from './clusterLinks';
import { ReplyParseError } from './errors';

const ID = 'a'.repeat(40);

describe('parseClusterLinks', () => {
  it('reads the 7.0 RESP2 shape', () => {
    const links = parseClusterLinks([
      [
        'direction',
        'to',
        'node',
        ID,
        'create-time',
        1795302372000,
        'events',
        'rw',
        'send-buffer-allocated',
        4096,
        'send-buffer-used',
        0,
      ],
    ]);
    expect(links).toEqual([
      {
        direction: 'to',
        node: ID,
        createTime: 1795302372000,
        events: 'rw',
        sendBufferAllocated: 4096,
        sendBufferUsed: 0,
      },
    ]);
  });

  it.each([['x'], [[['direction']]], [[['direction', 'to']]]])('refuses %j', (bad) => {
    expect(() => parseClusterLinks(bad)).toThrow(ReplyParseError);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClusterInfo } from './clusterInfo';
import { ReplyParseError } from './errors';
import { commandCalls, parseInfo } from './info';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseInfo', () => {
  it('reads sections, keyspace and replica lines of a 7.0.15 master', () => {
    const info = parseInfo(fixture('info-master-7.0.txt'));
    expect(info.fields.redis_version).toBe('7.0.15');
    expect(info.fields.role).toBe('master');
    expect(info.sections.memory?.used_memory).toMatch(/^\d+$/);
    expect(info.keyspace.db0?.keys).toBe(65);
    expect(info.replicas).toHaveLength(1);
    expect(info.replicas[0]).toMatchObject({ port: 17263, state: 'online' });
    expect(info.sections.cluster?.cluster_enabled).toBe('1');
  });

  it('reads a replica', () => {
    const info = parseInfo(fixture('info-replica-7.0.txt'));
    expect(info.fields.role).toBe('slave');
    expect(info.fields.master_link_status).toBe('up');
    expect(info.replicas).toEqual([]);
  });

  it('orders slaveN lines by N and keeps values with colons', () => {
    const info = parseInfo(
      '# Replication\r\nrole:master\r\nslave1:ip=::1,port=2,state=online,offset=5,lag=1\r\nslave0:ip=10.0.0.1,port=1,state=wait_bgsave,offset=0,lag=0\r\nexecutable:/usr/bin/redis-server\r\n',
    );
    expect(info.replicas.map((r) => r.port)).toEqual([1, 2]);
    expect(info.fields.executable).toBe('/usr/bin/redis-server');
  });

  it('refuses garbage and empty replies', () => {
    expect(() => parseInfo('')).toThrow(ReplyParseError);
    expect(() => parseInfo('# Server\nthis is not info\n')).toThrow(/line 2/);
  });
});

describe('parseClusterInfo', () => {
  it('reads a 7.0.15 reply', () => {
    const info = parseClusterInfo(fixture('cluster-info-7.0.txt'));
    expect(info).toMatchObject({
      cluster_state: 'ok',
      cluster_slots_assigned: 16384,
      cluster_known_nodes: 6,
      cluster_size: 3,
    });
  });

  it('refuses a reply without cluster_state', () => {
    expect(() => parseClusterInfo('cluster_slots_ok:1\n')).toThrow(/cluster_state/);
    expect(() => parseClusterInfo('garbage')).toThrow(ReplyParseError);
  });

  it('reads INFO commandstats as calls per command', () => {
    const text =
      '# Commandstats\r\ncmdstat_cluster|nodes:calls=12,usec=340,usec_per_call=28.33,rejected_calls=0,failed_calls=0\r\ncmdstat_info:calls=3,usec=90,usec_per_call=30.00,rejected_calls=0,failed_calls=0\r\n';
    expect(commandCalls(text)).toEqual(
      new Map([
        ['cluster|nodes', 12],
        ['info', 3],
      ]),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { masterFlagsOf } from './collector';

describe('the master flags a sentinel gives a data node', () => {
  // A leader mid-failover: GET-MASTER-ADDR-BY-NAME answers the promoted replica, SENTINEL MASTER the old master.
  const leader = {
    view: {
      addr: '127.0.0.1:26379',
      host: '127.0.0.1',
      reachable: true,
      masterAddr: '127.0.0.2:6379',
      masterFlagsAddr: '127.0.0.1:6379',
    },
    masterFlags: ['master', 's_down', 'o_down', 'failover_in_progress'],
  };

  it('go to the node SENTINEL MASTER names, never to the one GET-MASTER-ADDR-BY-NAME already answers', () => {
    expect(masterFlagsOf(leader, '127.0.0.1:6379')).toEqual(['master', 's_down', 'o_down', 'failover_in_progress']);
    expect(masterFlagsOf(leader, '127.0.0.2:6379')).toEqual([]);
  });
});

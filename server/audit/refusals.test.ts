import { describe, expect, it } from 'vitest';
import { RefusalBudget } from './refusals';

describe('RefusalBudget', () => {
  it('writes a few lines per client a minute and sums up the rest when the minute is over', () => {
    const budget = new RefusalBudget(30, 300, 60_000);
    let written = 0;
    for (let i = 0; i < 5000; i++) if (budget.admit('10.0.0.1', 'auth.kiosk', 401, i).write) written++;
    expect(written).toBe(30);
    expect(budget.admit('10.0.0.2', 'auth.login', 401, 5000).write).toBe(true);
    const next = budget.admit('10.0.0.1', 'auth.kiosk', 401, 60_000);
    expect(next.write).toBe(true);
    expect(next.summaries).toEqual([
      { ip: '10.0.0.1', count: 4970, since: 0, until: 60_000, actions: ['auth.kiosk'], status: 401 },
    ]);
  });

  it('sums up a flood that stopped on the timer, and forgets clients whose minute is over', () => {
    const budget = new RefusalBudget(2, 300, 60_000);
    for (let i = 0; i < 5; i++) budget.admit('10.0.0.1', 'auth.login', 429, i);
    budget.admit('10.0.0.2', 'auth.login', 401, 10);
    expect(budget.due(30_000)).toEqual([]);
    expect(budget.due(61_000)).toEqual([
      { ip: '10.0.0.1', count: 3, since: 0, until: 60_000, actions: ['auth.login'], status: 429 },
    ]);
    expect(budget.size).toBe(0);
  });

  it('caps all clients together, so many addresses cannot flood the log either', () => {
    const budget = new RefusalBudget(30, 300, 60_000, 1000);
    let written = 0;
    for (let i = 0; i < 20_000; i++)
      if (budget.admit(`10.1.${i >> 8}.${i & 255}`, 'auth.kiosk', 401, 1).write) written++;
    expect(written).toBe(300);
    expect(budget.size).toBeLessThanOrEqual(1000);
    expect(budget.due(60_001).at(-1)).toMatchObject({ count: 19_700 });
  });
});

import { attribute } from './attribution';

describe('attribute', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  const revenue = new Map([
    ['lead-1', 900],
    ['lead-2', 300],
    ['lead-3', 100],
  ]);
  const touches = [
    { leadId: 'lead-1', targetId: 'b', at: at(3) },
    { leadId: 'lead-1', targetId: 'a', at: at(1) },
    { leadId: 'lead-1', targetId: 'c', at: at(2) },
    { leadId: 'lead-1', targetId: 'a', at: at(4) },
    { leadId: 'lead-2', targetId: 'b', at: at(1) },
    // lead-3 has no touch: its revenue stays unattributed.
  ];
  const shares = (model: 'first_touch' | 'last_touch' | 'linear') =>
    Object.fromEntries([...attribute(revenue, touches, model)].map(([k, v]) => [k, [v.revenue, v.leads.size]]));

  it('gives everything to the first or the last touch', () => {
    expect(shares('first_touch')).toEqual({ a: [900, 1], b: [300, 1] });
    expect(shares('last_touch')).toEqual({ a: [900, 1], b: [300, 1] });
  });

  it('splits equally among the distinct targets (a target touched twice counts once)', () => {
    expect(shares('linear')).toEqual({ a: [300, 1], b: [600, 2], c: [300, 1] });
  });
});

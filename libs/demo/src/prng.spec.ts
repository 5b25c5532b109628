import { Prng } from './prng';

describe('Prng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps int() within bounds and weighted() within its keys', () => {
    const prng = new Prng(1);
    for (let i = 0; i < 1000; i++) {
      const n = prng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
    }
    const seen = new Set(Array.from({ length: 500 }, () => prng.weighted({ a: 1, b: 3, c: 0 })));
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('samples distinct items', () => {
    const picked = new Prng(7).sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(picked).size).toBe(4);
  });
});

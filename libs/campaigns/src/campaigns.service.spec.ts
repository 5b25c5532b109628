import { seriesWindow } from './campaigns.service';

describe('seriesWindow', () => {
  const now = new Date('2026-03-15T12:00:00.000Z');

  it('spans the campaign window when both ends are set', () => {
    expect(
      seriesWindow({ startAt: new Date('2026-03-01T23:00:00.000Z'), endAt: new Date('2026-03-10T01:00:00.000Z') }, now),
    ).toEqual({ from: '2026-03-01', to: '2026-03-10' });
  });

  it('keeps the last 366 days of a longer window', () => {
    expect(
      seriesWindow({ startAt: new Date('2020-01-01T00:00:00.000Z'), endAt: new Date('2026-03-10T00:00:00.000Z') }, now),
    ).toEqual({ from: '2025-03-10', to: '2026-03-10' });
  });

  it('falls back to the last 30 days, today included, without a full window', () => {
    expect(seriesWindow({ startAt: new Date('2026-01-01T00:00:00.000Z'), endAt: null }, now)).toEqual({
      from: '2026-02-14',
      to: '2026-03-15',
    });
    expect(seriesWindow({ startAt: null, endAt: null }, now)).toEqual({ from: '2026-02-14', to: '2026-03-15' });
  });
});

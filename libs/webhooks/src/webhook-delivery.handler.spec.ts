import { deliveryJobId, nextRetryDelay } from './webhook-delivery.handler';

describe('outgoing delivery scheduling', () => {
  it('derives one job id per (event, endpoint), without the colon BullMQ refuses', () => {
    const id = deliveryJobId('6f1c0b8e-0000-4000-8000-000000000001', '6f1c0b8e-0000-4000-8000-000000000002');
    expect(id).toBe(deliveryJobId('6f1c0b8e-0000-4000-8000-000000000001', '6f1c0b8e-0000-4000-8000-000000000002'));
    expect(id).not.toBe(deliveryJobId('6f1c0b8e-0000-4000-8000-000000000002', '6f1c0b8e-0000-4000-8000-000000000001'));
    expect(id).not.toContain(':');
  });

  it('doubles the wait after each failed attempt, as BullMQ exponential backoff does', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => nextRetryDelay(30_000, attempt))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
  });
});

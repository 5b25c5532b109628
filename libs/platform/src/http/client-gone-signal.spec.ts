import { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';
import { clientGoneSignal } from './client-gone-signal';

const replyWith = (raw: EventEmitter & { writableFinished: boolean }) => ({ raw }) as unknown as FastifyReply;

describe('clientGoneSignal', () => {
  it('aborts when the connection closes before the answer is finished', () => {
    const raw = Object.assign(new EventEmitter(), { writableFinished: false });
    const signal = clientGoneSignal(replyWith(raw));
    expect(signal.aborted).toBe(false);
    raw.emit('close');
    expect(signal.aborted).toBe(true);
  });

  it('does not abort when the answer was sent', () => {
    const raw = Object.assign(new EventEmitter(), { writableFinished: true });
    const signal = clientGoneSignal(replyWith(raw));
    raw.emit('close');
    expect(signal.aborted).toBe(false);
  });
});

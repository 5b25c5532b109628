import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { AiService } from '@crescendo/ai';
import { AppConfig, notFound } from '@crescendo/platform';
import { ChatStreamStore, StreamEvent, StreamEventName } from './chat-stream.store';
import { ChatTurnService, ChatTarget, PreparedTurn } from './chat-turn.service';
import { presentStreamData } from './chat.presenter';
import { ChatOwner, ConversationKind, SendChatInput } from './chat.types';

/** A streamed fan-out running in this process. Its events also go to Redis, for resumes on any replica. */
interface StreamRun {
  id: string;
  events: StreamEvent[];
  finished: boolean;
  controller: AbortController;
  listeners: Set<(index: number, event: StreamEvent) => void>;
  followers: number;
  idleTimer?: NodeJS.Timeout;
  /** Settles when the run has stored its answers and emitted `end`. */
  done?: Promise<void>;
}

const POLL_MS = 50;
const SHUTDOWN_WAIT_MS = 5000;

const streamNotFound = () => notFound('CHAT_STREAM_NOT_FOUND', 'Chat stream not found (or expired)');

/** Opens the SSE response (headers sent): called once the stream starts, so earlier errors stay JSON. */
export type OpenSse = () => ServerResponse;

/**
 * POST /api/chat/send/stream and its resume/abort routes. Each stream has an id (its first event); every
 * event is numbered, kept in memory and appended to its Redis list (ChatStreamStore, TTL 10 min), so
 * GET /api/chat/streams/:id?after=n replays and follows it from any replica. DELETE publishes an abort on
 * a Redis channel; the replica running it aborts the provider calls. When no client has followed a
 * running stream for CHAT_STREAM_RESUME_SECONDS, its provider calls are aborted.
 */
@Injectable()
export class ChatStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChatStreamService.name);
  private readonly runs = new Map<string, StreamRun>();
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly turns: ChatTurnService,
    private readonly ai: AiService,
    private readonly config: AppConfig,
    private readonly store: ChatStreamStore,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.store.subscribeAborts((id) => this.runs.get(id)?.controller.abort());
  }

  async onModuleDestroy(): Promise<void> {
    // Aborted runs still store their partial answers and emit `end`: let them, before Redis and the pool close.
    const running = [...this.runs.values()];
    for (const run of running) run.controller.abort();
    await Promise.race([
      Promise.allSettled(running.map((run) => run.done)),
      delay(SHUTDOWN_WAIT_MS, undefined, { ref: false }),
    ]);
    await this.unsubscribe?.();
  }

  /** Validates and stores the user message (errors are plain HTTP errors), then starts the fan-out. */
  async start(owner: ChatOwner, input: SendChatInput, open: OpenSse): Promise<void> {
    const targets = this.turns.resolveTargets(input.providers);
    const turn = await this.turns.prepareTurn(owner, input.message, {
      conversationId: input.conversationId,
      kind: ConversationKind.Chat,
      folder: input.folder,
    });
    const run: StreamRun = {
      id: randomUUID(),
      events: [],
      finished: false,
      controller: new AbortController(),
      listeners: new Set(),
      followers: 0,
    };
    this.runs.set(run.id, run);
    // Not awaited: the same connection writes it before any later resume or abort can read it.
    void this.store
      .saveOwner(run.id, owner)
      .catch((error: Error) => this.logger.warn(`chat stream ${run.id}: ${error.message}`));
    this.emit(run, 'stream', {
      streamId: run.id,
      conversationId: turn.conversation.id,
      userMessageId: turn.userMessage.id,
      providers: targets.map((t) => ({ provider: t.provider, model: t.model })),
    });
    run.done = this.execute(owner, run, turn, targets, input);
    // The caller follows its own stream from the start, without the ownership look-up of a resume.
    this.followLocal(run, -1, open());
  }

  /** Sends the stream's events after index `after` as SSE, then follows it until its `end` event. */
  async follow(owner: ChatOwner, id: string, after: number, open: OpenSse): Promise<void> {
    await this.assertOwned(owner, id);
    const raw = open();
    const run = this.runs.get(id);
    if (run) this.followLocal(run, after, raw);
    else await this.followRemote(id, after, raw);
  }

  /** Publishes an abort for the stream (whichever replica runs it). false when it had already ended. */
  async abort(owner: ChatOwner, id: string): Promise<boolean> {
    await this.assertOwned(owner, id);
    if ((await this.store.last(id))?.event === 'end') return false;
    this.runs.get(id)?.controller.abort();
    await this.store.publishAbort(id);
    return true;
  }

  private async assertOwned(owner: ChatOwner, id: string): Promise<void> {
    const meta = await this.store.owner(id);
    if (!meta || meta.workspaceId !== owner.workspaceId || meta.userId !== owner.userId) throw streamNotFound();
  }

  private async execute(
    owner: ChatOwner,
    run: StreamRun,
    turn: PreparedTurn,
    targets: ChatTarget[],
    input: SendChatInput,
  ): Promise<void> {
    try {
      const title = turn.isNew ? this.turns.generateTitle(owner, turn, targets[0]) : Promise.resolve();
      const outcomes = await Promise.all(targets.map((t) => this.runOne(owner, run, turn, t, input)));
      await title;
      this.emit(run, 'end', {
        conversationId: turn.conversation.id,
        title: turn.conversation.title,
        userMessageId: turn.userMessage.id,
        messageIds: outcomes.map((o) => o.messageId),
        failed: outcomes.filter((o) => !o.ok).length,
        aborted: run.controller.signal.aborted,
      });
    } catch (error) {
      this.logger.error(`chat stream ${run.id} failed: ${String(error)}`);
      this.emit(run, 'end', { conversationId: turn.conversation.id, messageIds: [], failed: targets.length });
    } finally {
      run.finished = true;
      clearTimeout(run.idleTimer);
      this.runs.delete(run.id);
    }
  }

  private async runOne(
    owner: ChatOwner,
    run: StreamRun,
    turn: PreparedTurn,
    target: ChatTarget,
    input: SendChatInput,
  ): Promise<{ messageId: string; ok: boolean }> {
    const who = { provider: target.provider, model: target.model };
    let content = '';
    try {
      const stream = await this.ai.chatStream({
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        provider: target.provider,
        model: target.model,
        messages: this.turns.contextFor(turn, target.provider),
        redactPii: turn.redactPii,
        temperature: input.temperature ?? 0.7,
        maxTokens: input.maxTokens,
        feature: 'chat',
        signal: run.controller.signal,
      });
      for await (const event of stream) {
        if (event.type === 'delta') {
          content += event.content;
          this.emit(run, 'delta', { ...who, content: event.content });
          continue;
        }
        const stored = await this.turns.storeAnswer(turn, {
          ...who,
          model: event.model,
          content: event.content,
          tokensIn: event.usage.inputTokens,
          tokensOut: event.usage.outputTokens,
          latencyMs: event.latencyMs,
          error: null,
        });
        this.emit(run, 'done', {
          ...who,
          messageId: stored.id,
          tokensIn: event.usage.inputTokens,
          tokensOut: event.usage.outputTokens,
          latencyMs: event.latencyMs,
        });
        return { messageId: stored.id, ok: true };
      }
      throw new Error('the provider stream ended without a result');
    } catch (error) {
      // The partial text is kept with the error: what the reader saw before it broke.
      const failure = await this.turns.storeFailure(turn, target, error, content);
      this.emit(run, 'error', { ...failure });
      return { messageId: failure.messageId, ok: false };
    }
  }

  private emit(run: StreamRun, event: StreamEventName, data: Record<string, unknown>): void {
    const entry: StreamEvent = { event, data: presentStreamData(data) };
    const index = run.events.push(entry) - 1;
    // Local followers first: the Redis copy (for resumes) is not on the way to the client.
    for (const listener of run.listeners) listener(index, entry);
    this.store
      .append(run.id, entry)
      .catch((error: Error) => this.logger.warn(`chat stream ${run.id}: ${error.message}`));
  }

  private followLocal(run: StreamRun, after: number, raw: ServerResponse): void {
    for (let i = after + 1; i < run.events.length; i++) writeEvent(raw, i, run.events[i]);
    if (run.finished) {
      raw.end();
      return;
    }
    const listener = (index: number, event: StreamEvent) => {
      if (index <= after) return;
      writeEvent(raw, index, event);
      if (event.event === 'end') raw.end();
    };
    run.listeners.add(listener);
    run.followers++;
    clearTimeout(run.idleTimer);
    raw.once('close', () => {
      run.listeners.delete(listener);
      run.followers--;
      if (!run.finished && run.followers === 0) this.scheduleIdleAbort(run);
    });
  }

  /** A stream run by another replica: replay and poll its Redis list, keeping a follower heartbeat. */
  private async followRemote(id: string, after: number, raw: ServerResponse): Promise<void> {
    let next = after + 1;
    let beat = 0;
    let closed = false;
    raw.once('close', () => (closed = true));
    while (!closed) {
      if (Date.now() - beat > this.store.heartbeatMs / 2) {
        beat = Date.now();
        await this.store.beat(id);
      }
      const events = await this.store.from(id, next);
      for (const event of events) {
        writeEvent(raw, next++, event);
        if (event.event === 'end') return void raw.end();
      }
      if (!events.length && !(await this.store.exists(id))) return void raw.end();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private scheduleIdleAbort(run: StreamRun): void {
    clearTimeout(run.idleTimer);
    run.idleTimer = setTimeout(async () => {
      if (run.finished || run.followers > 0) return;
      if (await this.store.hasFollower(run.id).catch(() => false)) return this.scheduleIdleAbort(run);
      this.logger.log(`chat stream ${run.id}: no client came back, aborting the provider calls`);
      run.controller.abort();
    }, this.config.env.CHAT_STREAM_RESUME_SECONDS * 1000);
    run.idleTimer.unref();
  }
}

function writeEvent(raw: ServerResponse, index: number, event: StreamEvent): void {
  if (raw.writableEnded || raw.destroyed) return;
  raw.write(`id: ${index}\nevent: ${event.event}\ndata: ${JSON.stringify({ index, ...event.data })}\n\n`);
}

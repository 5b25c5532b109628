import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { AiProviderRegistry } from '@crescendo/ai';
import { AppException, OnJob } from '@crescendo/platform';
import { isFinalFailure, JobAcceptedResponseDto, JobFailure, JobTrackerService } from '@crescendo/jobs';
import { AiQuotaService } from './ai-quota.service';
import {
  AiGenerateContentDto,
  AssistantGenerateDto,
  GenerateContentIdeasDto,
  GenerateMessageDto,
  OptimizePricingDto,
} from './ai-tools.dto';
import { fillTemplate } from './ai-tools.prompts';
import { AiToolCall, AiToolsService } from './ai-tools.service';
import { AiGeneratePayload, AiToolsJobs } from './ai-tools.jobs';

/** One AI tool as the API runs it now and the worker runs it as a job: same input, same answer. */
interface AiOperation<I extends { provider?: string; model?: string }, O> {
  /** The validated body's class, to rebuild it from the job's JSON. */
  input: new () => I;
  run(tools: AiToolsService, call: AiToolCall, input: I): Promise<O>;
  /** Checks the job's input beyond the DTO before queueing (a 400 then, rather than a failed job). */
  check?(input: I): void;
  /** Whether this input can run as a job (a stream cannot); default yes. */
  deferrable?(input: I): boolean;
  /** Counts against the monthly quota: always a job, its unit reserved when it is queued. */
  quota?: true;
}

const operation = <I extends { provider?: string; model?: string }, O>(spec: AiOperation<I, O>) => spec;

export const aiOperations = {
  'content-ideas': operation({
    input: GenerateContentIdeasDto,
    run: (tools, call, input) => tools.contentIdeas(call, input, 'content:ideas'),
  }),
  'assistant.generate': operation({
    input: AssistantGenerateDto,
    run: (tools, call, input) => tools.assistantGenerate(call, input),
    deferrable: (input) => !input.stream,
  }),
  'assistant.content-ideas': operation({
    input: GenerateContentIdeasDto,
    run: (tools, call, input) => tools.contentIdeas(call, input, 'assistant:content-ideas'),
  }),
  'assistant.message': operation({
    input: GenerateMessageDto,
    run: (tools, call, input) => tools.generateMessage(call, input),
    check: (input) => void fillTemplate(input),
  }),
  'assistant.pricing': operation({
    input: OptimizePricingDto,
    run: (tools, call, input) => tools.optimizePricing(call, input),
  }),
  'content.generate': operation({
    input: AiGenerateContentDto,
    run: (tools, call, input) => tools.generateContent(call, input),
    quota: true,
  }),
};

export type AiOperationName = keyof typeof aiOperations;
type InputOf<N extends AiOperationName> = Parameters<(typeof aiOperations)[N]['run']>[2];
type OutputOf<N extends AiOperationName> = Awaited<ReturnType<(typeof aiOperations)[N]['run']>>;

/** A provider error tells the job's user what went wrong; a 4xx will not heal with another attempt. */
function asJobFailure(error: unknown): unknown {
  if (!(error instanceof AppException)) return error;
  return new JobFailure(error.code, error.message, error.status < 500);
}

/**
 * Runs the AI tools now or as tracked jobs (AiToolsJobs.AiGenerate, queue `ai`): `Prefer: respond-async`
 * queues a tool's request and the job's result is the body the route would have answered; quota'd
 * generation is always a job, holding its quota unit from the 202 until it completes or finally fails.
 */
@Injectable()
export class AiJobsService {
  constructor(
    private readonly tools: AiToolsService,
    private readonly quota: AiQuotaService,
    private readonly tracker: JobTrackerService,
    private readonly providers: AiProviderRegistry,
  ) {}

  /** The answer now, or (Prefer: respond-async, and the input allows it) the queued job. */
  perform<N extends AiOperationName>(
    call: AiToolCall,
    name: N,
    input: InputOf<N>,
  ): Promise<OutputOf<N> | JobAcceptedResponseDto> {
    const spec = aiOperations[name] as unknown as AiOperation<InputOf<N>, OutputOf<N>>;
    if (call.respondAsync && (spec.deferrable?.(input) ?? true)) return this.submit(call, name, input);
    return spec.run(this.tools, call, input);
  }

  /** Queues the operation after the checks the worker would otherwise fail on; 402 when the quota is used up. */
  async submit<N extends AiOperationName>(
    call: AiToolCall,
    name: N,
    input: InputOf<N>,
  ): Promise<JobAcceptedResponseDto> {
    const spec = aiOperations[name] as unknown as AiOperation<InputOf<N>, OutputOf<N>>;
    this.providers.resolve(input.provider, input.model);
    spec.check?.(input);
    const jobId = randomUUID();
    if (spec.quota) await this.quota.reserve(call.workspaceId, jobId);
    try {
      return await this.tracker.submit(
        AiToolsJobs.AiGenerate,
        {
          workspaceId: call.workspaceId,
          userId: call.userId,
          requestId: call.requestId,
          operation: name,
          input: { ...input },
        },
        call.userId,
        jobId,
      );
    } catch (error) {
      if (spec.quota) await this.quota.release(jobId);
      throw error;
    }
  }

  /**
   * Worker: runs the operation and records its answer as the job's result. A retry redoes only the AI
   * call: the quota unit was reserved once, at queueing, and is given back once, after the last attempt.
   */
  @OnJob(AiToolsJobs.AiGenerate)
  async runJob(data: AiGeneratePayload, job: Job): Promise<Record<string, unknown>> {
    const spec = aiOperations[data.operation as AiOperationName] as AiOperation<object, unknown> | undefined;
    try {
      return await this.tracker.run(job, async () => {
        if (!spec) throw new JobFailure('AI_OPERATION_UNKNOWN', `Unknown AI operation "${data.operation}"`);
        const call: AiToolCall = {
          workspaceId: data.workspaceId,
          userId: data.userId,
          requestId: data.requestId,
          signal: new AbortController().signal, // nobody waits on a connection: the job runs to its end
          started: Date.now(),
          respondAsync: false,
        };
        let body: unknown;
        try {
          body = await spec.run(this.tools, call, plainToInstance(spec.input, data.input));
        } catch (error) {
          throw asJobFailure(error);
        }
        if (spec.quota) await this.quota.settle(data.jobId);
        return { result: body as Record<string, unknown> };
      });
    } catch (error) {
      if (spec?.quota && isFinalFailure(job, error)) await this.quota.release(data.jobId);
      throw error;
    }
  }
}

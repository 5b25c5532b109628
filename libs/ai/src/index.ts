export * from './ai.module';
export * from './ai.service';
export * from './ai.types';
export * from './ai.errors';
export { AiProviderRegistry } from './ai-provider.registry';
export type { AiBreakerState, AiProviderInfo } from './ai-provider.registry';
export { AiUsageService } from './ai-usage.service';
export * from './ai.dto';
export * from './workspace-credentials';

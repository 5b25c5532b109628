import { Injectable, Logger } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { PersonalDataRegistry, Principal } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import type { EraseDataSubjectResponseDto } from './gdpr.dto';
import { JsonExportWriter } from './json-export.writer';

/** Data subjects who are not users (leads, subscribers): a workspace admin exports or erases them by e-mail. */
@Injectable()
export class GdprSubjectsService {
  private readonly logger = new Logger(GdprSubjectsService.name);

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly audit: AuditService,
  ) {}

  export(workspaceId: string, email: string): { stream: PassThrough; fileName: string } {
    const at = new Date();
    const stream = new PassThrough();
    const writer = new JsonExportWriter(stream);
    void (async () => {
      await writer.begin({ format: 'crescendo-subject-export/1', workspaceId, email, exportedAt: at.toISOString() });
      for (const provider of this.registry.list()) {
        if (provider.exportSubject) await provider.exportSubject(workspaceId, email, writer.sinkFor(provider.feature));
      }
      await writer.end();
    })().then(
      () => stream.end(),
      (error: unknown) => {
        this.logger.error({ err: error, workspaceId }, 'Data subject export failed');
        stream.destroy(error as Error);
      },
    );
    return { stream, fileName: `crescendo-subject-export-${at.toISOString().replace(/[:.]/g, '-')}.json` };
  }

  async erase(principal: Principal, email: string): Promise<EraseDataSubjectResponseDto> {
    const erased: Record<string, number> = {};
    for (const provider of this.registry.list()) {
      const n = provider.eraseSubject ? await provider.eraseSubject(principal.workspaceId, email) : 0;
      if (n) erased[provider.feature] = n;
    }
    // Who asked and how much went; not whom it was about.
    await this.audit.record({
      type: LogType.Admin,
      action: 'gdpr.subject_erased',
      message: 'A data subject was erased from the workspace',
      workspaceId: principal.workspaceId,
      userId: principal.kind === 'user' ? principal.userId : null,
      apiKeyId: principal.apiKeyId ?? null,
      metadata: { erased },
    });
    return { success: true, erased };
  }
}

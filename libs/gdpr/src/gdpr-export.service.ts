import { Injectable, Logger } from '@nestjs/common';
import { PassThrough, type Writable } from 'node:stream';
import { notFound, PersonalDataRegistry } from '@crescendo/platform';
import { IdentityPersonalData } from '@crescendo/identity';
import { JsonExportWriter } from './json-export.writer';

export interface PersonalDataExport {
  stream: PassThrough;
  fileName: string;
}

export const exportFileName = (userId: string, at: Date) =>
  `crescendo-data-export-${userId}-${at.toISOString().replace(/[:.]/g, '-')}.json`;

/** Everything Crescendo holds about a user, asked of every feature's provider and written as one JSON file. */
@Injectable()
export class GdprExportService {
  private readonly logger = new Logger(GdprExportService.name);

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly identity: IdentityPersonalData,
  ) {}

  /** The export as a stream the caller pipes; it is written while read, never assembled in memory. */
  async stream(userId: string): Promise<PersonalDataExport> {
    const at = new Date();
    const owned = await this.ownedWorkspaces(userId);
    const stream = new PassThrough();
    void this.writeTo(stream, userId, owned, at).then(
      () => stream.end(),
      (error: unknown) => {
        this.logger.error({ err: error, userId }, 'Personal data export failed');
        stream.destroy(error as Error);
      },
    );
    return { stream, fileName: exportFileName(userId, at) };
  }

  /** Writes the whole export into `out` (a response or a file); answers how many records it wrote. */
  async writeTo(out: Writable, userId: string, owned?: readonly string[], at = new Date()): Promise<number> {
    const workspaces = owned ?? (await this.ownedWorkspaces(userId));
    const email = await this.identity.emailOf(userId);
    if (email === null) throw notFound('USER_NOT_FOUND', 'No such user');
    const writer = new JsonExportWriter(out);
    await writer.begin({ format: 'crescendo-data-export/1', userId, exportedAt: at.toISOString() });
    for (const provider of this.registry.list()) {
      await provider.exportFor(userId, workspaces, writer.sinkFor(provider.feature), { email });
    }
    await writer.end();
    return writer.rows;
  }

  private async ownedWorkspaces(userId: string): Promise<string[]> {
    const memberships = await this.identity.workspacesOf(userId);
    if (!memberships.length && !(await this.identity.exists(userId))) {
      throw notFound('USER_NOT_FOUND', 'No such user');
    }
    return memberships.filter((m) => m.role === 'owner').map((m) => m.workspaceId);
  }
}

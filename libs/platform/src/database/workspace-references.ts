import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '../http/app.exception';

/** Workspace tables a request body may point into by id (a closed list: the name is pasted into SQL). */
export type ReferencedTable = 'niches' | 'segments' | 'leads' | 'campaigns' | 'subscribers' | 'chatbot_conversations';

export interface BodyReference {
  table: ReferencedTable;
  ids: readonly string[];
  /** The body field, named in `details`. */
  field: string;
  /** `<KIND>_NOT_FOUND`. */
  code: string;
  noun: string;
  /** Extra SQL condition on the row, e.g. `deleted_at IS NULL`. */
  where?: string;
}

/**
 * The one answer for an id in a request body that is not a record of the caller's workspace (unknown,
 * deleted, or another workspace's): 404 with a `<KIND>_NOT_FOUND` code and one detail per id naming the
 * field, as for a foreign id in the path. Nothing is stored.
 */
export function referenceNotFound(code: string, field: string, noun: string, ids: readonly string[]): AppException {
  return new AppException(
    HttpStatus.NOT_FOUND,
    code,
    ids.length === 1
      ? `The ${noun} of ${field} is not in this workspace`
      : `${ids.length} ${noun}s of ${field} are not in this workspace`,
    ids.map((id) => ({ field, message: `unknown ${noun} ${id}` })),
  );
}

/** Throws referenceNotFound unless every id is a row of `table` in the workspace. */
export async function assertInWorkspace(
  manager: EntityManager,
  workspaceId: string,
  reference: BodyReference,
): Promise<void> {
  const ids = [...new Set(reference.ids)];
  if (!ids.length) return;
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM ${reference.table} WHERE workspace_id = $1 AND id = ANY($2::uuid[])` +
      (reference.where ? ` AND ${reference.where}` : ''),
    [workspaceId, ids],
  );
  const known = new Set(rows.map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw referenceNotFound(reference.code, reference.field, reference.noun, unknown);
}

/** A user id in a body (an owner, an assignee) must be a member of the workspace: 404 OWNER_NOT_MEMBER otherwise. */
export async function assertMember(
  manager: EntityManager,
  workspaceId: string,
  userId: string,
  field = 'ownerId',
): Promise<void> {
  // Someone invited who has not accepted is not a member.
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND status <> 'invited'`,
    [workspaceId, userId],
  );
  if (!rows.length) {
    throw new AppException(HttpStatus.NOT_FOUND, 'OWNER_NOT_MEMBER', 'The owner must be a member of the workspace', [
      { field, message: 'not a member of this workspace' },
    ]);
  }
}
